package engine

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
	"time"

	"go.uber.org/goleak"
	"k8s.io/client-go/tools/clientcmd"

	"ccecert/api"
	"ccecert/api/emulator"
	"ccecert/store"
)

// relEnv is an engine on a real api.Client that retries patiently, talking
// to an emulator whose faults the test sets, with its store and kubeconfig
// in temp dirs.
type relEnv struct {
	srv   *emulator.Server
	store *store.Store
	eng   *Engine
	kube  string
}

// newRelEnv builds a relEnv. Every goroutine it starts must be gone when
// the test ends: goleak checks after every other cleanup has run.
func newRelEnv(t *testing.T) *relEnv {
	t.Helper()
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) }) // runs last
	dir := hermetic(t)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	srv, err := emulator.Start(ctx, emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	caFile, err := srv.WriteCAFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	client, err := api.New(api.Config{
		AK: srv.AK, SK: api.Secret(srv.SK), Endpoint: srv.URL, CAFile: caFile, UserAgent: "ccecert-test",
		Timeout: time.Second, RegionTimeout: 2 * time.Second,
		Retry: api.RetryPolicy{MaxAttempts: 8, BaseBackoff: time.Millisecond, MaxBackoff: 10 * time.Millisecond},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	st, err := store.Open(context.Background(), filepath.Join(dir, "data"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	cfg, err := store.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Keyring = false
	kube := filepath.Join(dir, "kube", "config")
	eng := &Engine{Store: st, Config: cfg, Kubeconfig: kube, Cloud: func() (Cloud, error) { return client, nil }}
	return &relEnv{srv: srv, store: st, eng: eng, kube: kube}
}

// relFingerprint is the SHA-256 of a PEM certificate's DER, hex.
func relFingerprint(t *testing.T, certPEM []byte) string {
	t.Helper()
	b, _ := pem.Decode(certPEM)
	if b == nil {
		t.Fatal("kubeconfig user has no PEM certificate")
	}
	sum := sha256.Sum256(b.Bytes)
	return hex.EncodeToString(sum[:])
}

// relCheckConsistent checks what no failure may break: the kubeconfig
// parses; each of its contexts uses a certificate that is stored and not
// revoked, with a key that matches it (in the file and in the store); no
// credential is marked replaced without its replacement; and, when strict
// (no crash in between), every active credential's contexts are in the file
// with its certificate. It returns the fingerprints the file uses.
func relCheckConsistent(t *testing.T, e *relEnv, strict bool) map[string]bool {
	t.Helper()
	ctx := context.Background()
	cfg, err := clientcmd.LoadFromFile(e.kube)
	if err != nil {
		t.Fatalf("kubeconfig does not parse: %v", err)
	}
	all, err := e.store.Credentials(ctx, store.Filter{All: true})
	if err != nil {
		t.Fatalf("store unreadable: %v", err)
	}
	byFP := map[string]store.Credential{}
	for _, c := range all {
		byFP[c.Fingerprint] = c
		if c.ReplacedBy != "" {
			if _, err := e.store.Find(ctx, c.ReplacedBy); err != nil {
				t.Errorf("credential %s replaced by %s, which is not stored: %v", c.ID, c.ReplacedBy, err)
			}
		}
	}
	used := map[string]bool{}
	for name, kc := range cfg.Contexts {
		ai := cfg.AuthInfos[kc.AuthInfo]
		if ai == nil || cfg.Clusters[kc.Cluster] == nil {
			t.Errorf("context %s points to a missing user or cluster", name)
			continue
		}
		if err := store.KeyMatches(ai.ClientCertificateData, ai.ClientKeyData); err != nil {
			t.Errorf("context %s: key does not match its certificate: %v", name, err)
			continue
		}
		fp := relFingerprint(t, ai.ClientCertificateData)
		c, ok := byFP[fp]
		switch {
		case !ok:
			t.Errorf("context %s uses a certificate that is not stored", name)
			continue
		case c.Revoked():
			t.Errorf("context %s uses revoked credential %s", name, c.ID)
		}
		key, err := e.store.Key(ctx, c.ID)
		if err != nil || store.KeyMatches(c.CertPEM, key.Reveal()) != nil {
			t.Errorf("context %s: stored key of %s unusable: %v", name, c.ID, err)
		}
		used[fp] = true
	}
	if strict {
		for _, c := range all {
			if !c.Active() {
				continue
			}
			for _, name := range c.Contexts {
				kc := cfg.Contexts[name]
				if kc == nil || cfg.AuthInfos[kc.AuthInfo] == nil || !bytes.Equal(cfg.AuthInfos[kc.AuthInfo].ClientCertificateData, c.CertPEM) {
					t.Errorf("active credential %s: context %s missing or not its certificate", c.ID, name)
				}
			}
		}
	}
	return used
}

// relReadFile reads a file or fails.
func relReadFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
