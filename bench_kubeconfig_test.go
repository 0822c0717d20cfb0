//go:build bench

package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"ccecert/api"
)

// benchKubectl is the kubectl the kubeconfig write is measured against.
const benchKubectl = "/usr/bin/kubectl"

// benchKubeconfigWrite times `ccecert get CLUSTER` (the built binary
// against the emulator on loopback, no injected latency: start-up, the
// cloud's answers, the store, and the kubeconfig read, merged and written
// with its lock, backup and fsyncs) into a copy of an operator's kubeconfig
// of contexts contexts, against `kubectl config set-context` on another
// copy of the same file, interleaved, runs times each after a warm-up;
// medians. Each run starts from a fresh copy, as a first write: the
// original kept as .ccecert-orig too. A get into an empty kubeconfig,
// interleaved too, is the floor the file's size adds to.
func benchKubeconfigWrite(ctx context.Context, exe, dir string, contexts, runs int, externalCA bool) ([]benchFigure, error) {
	if _, err := os.Stat(benchKubectl); err != nil {
		return nil, fmt.Errorf("no kubectl to compare with: %w", err)
	}
	srv, cfg, err := benchCloud(ctx, dir, 4, 1)
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	h, err := newBenchHome(dir, fmt.Sprintf("home-kube-%d", contexts))
	if err != nil {
		return nil, err
	}
	target := ""
	for _, t := range srv.Targets() {
		if t.Kind == string(api.KindCCE) && !t.Legacy && t.Phase == string(api.PhaseAvailable) {
			target = t.Name
			break
		}
	}
	if target == "" {
		return nil, errors.New("the emulator serves no available CCE cluster")
	}
	fixture := filepath.Join(dir, fmt.Sprintf("kubeconfig-%d", contexts))
	if err := writeOperatorKubeconfig(fixture, contexts, externalCA); err != nil {
		return nil, err
	}
	fi, err := os.Stat(fixture)
	if err != nil {
		return nil, err
	}
	kube := h.getenv("KUBECONFIG")
	env := append(h.environ(), srv.Env(cfg.CAFile)...)
	get := func() (time.Duration, error) {
		if err := freshCopy(fixture, kube); err != nil {
			return 0, err
		}
		d, _, err := timeProcess(ctx, exe, env, "get", target, "--quiet")
		return d, err
	}
	other := filepath.Join(dir, fmt.Sprintf("kubectl-%d", contexts))
	kubectlEnv := append(h.environ(), "KUBECONFIG="+other)
	setContext := func() (time.Duration, error) {
		if err := freshCopy(fixture, other); err != nil {
			return 0, err
		}
		d, _, err := timeProcess(ctx, benchKubectl, kubectlEnv, "--kubeconfig", other, "config", "set-context", "bench-new",
			"--cluster", "cce-00001-internal", "--user", "cce-00001", "--namespace", "bench")
		return d, err
	}
	empty := filepath.Join(dir, "kubeconfig-empty")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		return nil, err
	}
	getEmpty := func() (time.Duration, error) { // the floor: start-up, the cloud, the store
		if err := freshCopy(empty, kube); err != nil {
			return 0, err
		}
		d, _, err := timeProcess(ctx, exe, env, "get", target, "--quiet")
		return d, err
	}
	if _, err := get(); err != nil { // warm up: the cache, the page cache
		return nil, err
	}
	if err := checkWritten(kube, target); err != nil {
		return nil, err
	}
	if _, err := setContext(); err != nil {
		return nil, err
	}
	var ours, theirs, floor []time.Duration
	for range runs {
		d, err := get()
		if err != nil {
			return nil, err
		}
		ours = append(ours, d)
		if d, err = setContext(); err != nil {
			return nil, err
		}
		theirs = append(theirs, d)
		if d, err = getEmpty(); err != nil {
			return nil, err
		}
		floor = append(floor, d)
	}
	o, k := median(ours), median(theirs)
	size := fmt.Sprintf("%d contexts, %.1f MB", contexts, float64(fi.Size())/1e6)
	figs := []benchFigure{
		info(fmt.Sprintf("`ccecert get` into a kubeconfig of %s, median", size), ms(o), "ms"),
		info("`kubectl config set-context` on the same file, median", ms(k), "ms"),
		info("`ccecert get` into an empty kubeconfig (the floor), median", ms(median(floor)), "ms"),
	}
	name := fmt.Sprintf("kubeconfig write, ccecert / kubectl (%d contexts)", contexts)
	ratio := 100 * o.Seconds() / k.Seconds()
	if contexts == 500 {
		return append(figs, figure(name, ratio, "%", "≤ 50 % (half kubectl's time)", o*2 <= k)), nil
	}
	return append(figs, info(name, ratio, "%")), nil
}

// freshCopy replaces dst with src, removing what an earlier write left
// beside it (.bak, .ccecert-orig, lock), so each run is a first write.
func freshCopy(src, dst string) error {
	for _, suffix := range []string{".bak", ".ccecert-orig", ".lock"} {
		if err := os.Remove(dst + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, 0o600)
}

// checkWritten makes sure the get did write the cluster's context.
func checkWritten(path, target string) error {
	cfg, err := clientcmd.LoadFromFile(path)
	if err != nil {
		return err
	}
	for name, c := range cfg.Contexts {
		if len(name) >= len(target) && name[:len(target)] == target && c.AuthInfo != "" {
			return nil
		}
	}
	return fmt.Errorf("ccecert get wrote no context for %s into %s", target, path)
}

// writeOperatorKubeconfig writes a kubeconfig as kubectl leaves one after
// years of CCE downloads: per cluster an internal context (its CA inline)
// and an external one (its CA inline with externalCA, else
// insecure-skip-tls-verify, as CCE issues it), one user with an RSA-2048
// certificate and key inline; no entry of ccecert's. Two RSA keys serve
// every entry: generating one each would take minutes.
func writeOperatorKubeconfig(path string, contexts int, externalCA bool) error {
	var keys []*rsa.PrivateKey
	for range 2 {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return err
		}
		keys = append(keys, k)
	}
	now := time.Now()
	mint := func(i int, cn string, ca bool) ([]byte, []byte, error) {
		key := keys[i%2]
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(int64(i) + 2), Subject: pkix.Name{CommonName: cn, Organization: []string{"system:masters"}},
			NotBefore: now.Add(-benchDay), NotAfter: now.Add(365 * benchDay)}
		if ca {
			tmpl.IsCA, tmpl.BasicConstraintsValid, tmpl.KeyUsage = true, true, x509.KeyUsageCertSign
		} else {
			tmpl.KeyUsage, tmpl.ExtKeyUsage = x509.KeyUsageDigitalSignature, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			return nil, nil, err
		}
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
			pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)}), nil
	}
	cfg := clientcmdapi.NewConfig()
	for i := range contexts / 2 {
		name := fmt.Sprintf("cce-%05d", i)
		caPEM, _, err := mint(i, name+"-ca", true)
		if err != nil {
			return err
		}
		certPEM, keyPEM, err := mint(i, "user-"+name, false)
		if err != nil {
			return err
		}
		user := clientcmdapi.NewAuthInfo()
		user.ClientCertificateData, user.ClientKeyData = certPEM, keyPEM
		cfg.AuthInfos[name] = user
		in := clientcmdapi.NewCluster()
		in.Server, in.CertificateAuthorityData = fmt.Sprintf("https://192.168.%d.%d:5443", i/250, i%250+1), caPEM
		cfg.Clusters[name+"-internal"] = in
		ex := clientcmdapi.NewCluster()
		ex.Server = fmt.Sprintf("https://100.85.%d.%d:5443", i/250, i%250+1)
		if externalCA {
			ex.CertificateAuthorityData = caPEM
		} else {
			ex.InsecureSkipTLSVerify = true
		}
		cfg.Clusters[name+"-external"] = ex
		for _, role := range []string{"internal", "external"} {
			c := clientcmdapi.NewContext()
			c.Cluster, c.AuthInfo = name+"-"+role, name
			cfg.Contexts[name+"-"+role] = c
		}
	}
	cfg.CurrentContext = "cce-00000-internal"
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		return err
	}
	return os.Chmod(path, 0o600)
}

// benchKubeExe, when set, is the ccecert binary TestBenchKubeconfig times
// instead of one built from this module (an older build, to compare).
var benchKubeExe = flag.String("kubeconfig-exe", "", "TestBenchKubeconfig: time this ccecert binary instead of building one")

// TestBenchKubeconfig runs the kubeconfig write scenario alone (500 and
// 5,000 contexts), printing its rows as TestBench does.
func TestBenchKubeconfig(t *testing.T) {
	exe := *benchKubeExe
	if exe == "" {
		exe = benchBinary(t)
	}
	dir := t.TempDir()
	b := &benchRun{t: t}
	b.kubeconfigWrites(t.Context(), exe, dir, *benchRuns)
	if err := writeBenchTable(os.Stdout, b.figs); err != nil {
		t.Fatal(err)
	}
	for _, f := range b.figs {
		if f.verdict != "ok" && f.verdict != "-" {
			t.Errorf("%s: %s (target %s)", f.name, f.verdict, f.target)
		}
	}
}

// kubeconfigWrites is the scenario's steps: 500 contexts (about 1.8 MB,
// the file) against the target, and 5,000 (external contexts
// insecure, as CCE issues them, to stay under ccecert's 16 MiB limit).
func (b *benchRun) kubeconfigWrites(ctx context.Context, exe, dir string, runs int) {
	b.step("kubeconfig write, 500 contexts", "≤ 50 % of kubectl's", func() ([]benchFigure, error) {
		return benchKubeconfigWrite(ctx, exe, dir, 500, 2*runs+1, true)
	})
	b.step("kubeconfig write, 5,000 contexts", "-", func() ([]benchFigure, error) {
		return benchKubeconfigWrite(ctx, exe, dir, 5000, max(3, runs/2+1), false)
	})
}
