package cli

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"ccecert/api"
	"ccecert/api/emulator"
	"ccecert/store"
)

// relEnv is one hermetic ccecert installation for the reliability suite:
// temp HOME, XDG dirs and KUBECONFIG, a config with short timeouts and no
// keyring, and an emulator in this process. Commands run in-process
// (relEnv.run) or as the built binary (relEnv.proc) with the same
// environment.
type relEnv struct {
	t    *testing.T
	srv  *emulator.Server
	root string
	vars map[string]string
	kube string // $KUBECONFIG: the file ccecert writes
	data string // the store's data dir
	bin  string // the built binary, when built
}

// relResult is one command's outcome.
type relResult struct {
	code           int
	stdout, stderr string
}

func newRelEnv(t *testing.T, opts emulator.Options) *relEnv {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	srv, err := emulator.Start(ctx, opts)
	if err != nil {
		t.Fatalf("start emulator: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	root := t.TempDir()
	caFile, err := srv.WriteCAFile(root)
	if err != nil {
		t.Fatal(err)
	}
	e := &relEnv{t: t, srv: srv, root: root, kube: filepath.Join(root, "home", ".kube", "config"),
		data: filepath.Join(root, "data", "ccecert")}
	e.vars = map[string]string{
		"HOME":            filepath.Join(root, "home"),
		"XDG_CONFIG_HOME": filepath.Join(root, "config"),
		"XDG_DATA_HOME":   filepath.Join(root, "data"),
		"XDG_CACHE_HOME":  filepath.Join(root, "cache"),
		"KUBECONFIG":      e.kube,
		"TMPDIR":          filepath.Join(root, "tmp"),
		"PATH":            os.Getenv("PATH"),
	}
	for _, kv := range srv.Env(caFile) {
		k, v, _ := strings.Cut(kv, "=")
		e.vars[k] = v
	}
	for _, d := range []string{"home", "tmp", "config/ccecert"} {
		if err := os.MkdirAll(filepath.Join(root, d), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	cfg := "keyring: false\ntimeouts:\n  request: 5s\n  region: 3s\n"
	if err := os.WriteFile(filepath.Join(root, "config", "ccecert", "config.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return e
}

// run runs ccecert in-process with an empty, non-terminal stdin.
func (e *relEnv) run(args ...string) relResult {
	e.t.Helper()
	var out, errb bytes.Buffer
	en := env{getenv: func(k string) string { return e.vars[k] }, now: time.Now, stdin: strings.NewReader(""), stdout: &out, stderr: &errb, deps: testDeps}
	code := execute(context.Background(), en, args)
	return relResult{code: code, stdout: out.String(), stderr: errb.String()}
}

// must runs ccecert in-process and fails the test unless it exits 0.
func (e *relEnv) must(args ...string) relResult {
	e.t.Helper()
	r := e.run(args...)
	if r.code != 0 {
		e.t.Fatalf("ccecert %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// build compiles ccecert into the env's temp dir for process tests.
func (e *relEnv) build() {
	e.t.Helper()
	e.bin = ccecertBinary(e.t)
}

// proc is a ccecert process with exactly the env's environment.
func (e *relEnv) proc(args ...string) *exec.Cmd {
	cmd := exec.Command(e.bin, args...)
	for k, v := range e.vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Dir = e.root
	return cmd
}

// procRun runs a ccecert process to the end.
func (e *relEnv) procRun(args ...string) relResult {
	e.t.Helper()
	cmd := e.proc(args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			e.t.Fatalf("run ccecert %v: %v", args, err)
		}
		code = ee.ExitCode()
	}
	return relResult{code: code, stdout: out.String(), stderr: errb.String()}
}

// openStore opens the env's store as another ccecert process would.
func (e *relEnv) openStore() *store.Store {
	e.t.Helper()
	st, err := store.Open(context.Background(), e.data, store.Options{Getenv: func(k string) string { return e.vars[k] }})
	if err != nil {
		e.t.Fatalf("store.Open after the run: %v", err)
	}
	return st
}

// relState is what relCheck found.
type relState struct {
	contexts []string // context names in the kubeconfig
	// dupTargets counts targets with more than one active credential.
	dupTargets int
	active     int // active credentials
	// staleInUse lists contexts whose credential is marked replaced: renew
	// skips it and status hides it, so it would expire unnoticed.
	staleInUse []string
}

// relCheck checks the invariants no crash or race may break: the kubeconfig
// parses (clientcmd); the database opens; every context uses a stored,
// unrevoked, unexpired credential whose key (in the file or, for exec mode,
// in the store) matches its certificate; no credential is marked replaced
// without its replacement stored.
func (e *relEnv) relCheck() relState {
	t := e.t
	t.Helper()
	cfg, err := clientcmd.LoadFromFile(e.kube)
	if err != nil {
		t.Fatalf("kubeconfig does not parse: %v", err)
	}
	st := e.openStore()
	defer st.Close()
	ctx := context.Background()
	all, err := st.Credentials(ctx, store.Filter{All: true})
	if err != nil {
		t.Fatalf("read credentials: %v", err)
	}
	byFP, byID, active := map[string]store.Credential{}, map[string]store.Credential{}, map[string]int{}
	for _, c := range all {
		byFP[c.Fingerprint], byID[c.ID] = c, c
		if c.Active() {
			active[c.Target.Key()]++
		}
	}
	for _, c := range all {
		if _, ok := byID[c.ReplacedBy]; c.ReplacedBy != "" && !ok {
			t.Errorf("credential %s is marked replaced by %s, which is not stored", c.ID, c.ReplacedBy)
		}
	}
	var s relState
	for name, kc := range cfg.Contexts {
		s.contexts = append(s.contexts, name)
		if c, ok := e.relCredentialOf(name, cfg, kc, byFP, byID); ok {
			relCheckCred(t, st, name, c)
			if c.ReplacedBy != "" {
				s.staleInUse = append(s.staleInUse, name+": "+relChain(c, byID))
			}
		}
	}
	for _, n := range active {
		s.active += n
		if n > 1 {
			s.dupTargets++
		}
	}
	return s
}

// relChain follows a credential's replacements: "a → b → c (active)",
// or "… (cycle)".
func relChain(c store.Credential, byID map[string]store.Credential) string {
	out, seen := c.ID, map[string]bool{c.ID: true}
	for c.ReplacedBy != "" {
		next, ok := byID[c.ReplacedBy]
		if !ok || seen[next.ID] {
			return out + " → " + c.ReplacedBy + " (cycle)"
		}
		seen[next.ID], c = true, next
		out += " → " + c.ID
	}
	if c.Active() {
		return out + " (active, not in the kubeconfig)"
	}
	return out + " (revoked)"
}

// relCredentialOf finds the stored credential a context authenticates with;
// false (and an error reported) when there is none. Contexts ccecert did
// not write (no owner) are skipped.
func (e *relEnv) relCredentialOf(name string, cfg *clientcmdapi.Config, kc *clientcmdapi.Context,
	byFP, byID map[string]store.Credential) (store.Credential, bool) {
	t := e.t
	t.Helper()
	ai := cfg.AuthInfos[kc.AuthInfo]
	if ai == nil || cfg.Clusters[kc.Cluster] == nil {
		t.Errorf("context %s points to a missing user or cluster", name)
		return store.Credential{}, false
	}
	if ai.Exec != nil {
		id := ai.Exec.Args[len(ai.Exec.Args)-1]
		c, ok := byID[id]
		if !ok {
			t.Errorf("exec context %s runs credential %s, which is not stored", name, id)
		}
		return c, ok
	}
	if len(ai.ClientCertificateData) == 0 {
		return store.Credential{}, false // the operator's own entry
	}
	if err := store.KeyMatches(ai.ClientCertificateData, ai.ClientKeyData); err != nil {
		t.Errorf("context %s: the key in the file does not match its certificate: %v", name, err)
		return store.Credential{}, false
	}
	b, _ := pem.Decode(ai.ClientCertificateData)
	if b == nil {
		t.Errorf("context %s: certificate is not PEM", name)
		return store.Credential{}, false
	}
	sum := sha256.Sum256(b.Bytes)
	c, ok := byFP[hex.EncodeToString(sum[:])]
	if !ok {
		t.Errorf("context %s uses a certificate that is not stored", name)
	}
	return c, ok
}

// relCheckCred checks a credential a context uses is valid and its stored
// key matches.
func relCheckCred(t *testing.T, st *store.Store, name string, c store.Credential) {
	t.Helper()
	now := time.Now()
	if c.Revoked() || !c.NotAfter.After(now) {
		t.Errorf("context %s uses credential %s, which is revoked or expired", name, c.ID)
	}
	key, err := st.Key(context.Background(), c.ID)
	if err != nil {
		t.Errorf("context %s: key of %s: %v", name, c.ID, err)
		return
	}
	if err := store.KeyMatches(c.CertPEM, key.Reveal()); err != nil {
		t.Errorf("context %s: stored key of %s does not match: %v", name, c.ID, err)
	}
}

// relLeakCheck makes the test fail if it leaves goroutines behind; call it
// first, so it runs after every other cleanup.
func relLeakCheck(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) })
}

// relTree hashes every file under dir (path → sha256), for "nothing
// changed" checks.
func relTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := os.Readlink(p)
			out[p] = "symlink to " + target
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		out[p] = hex.EncodeToString(sum[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// relConsoleKubeconfig issues a certificate for a demo cluster straight
// from the emulator and writes it as the console would let one download
// it, returning the file and the key PEM.
func (e *relEnv) relConsoleKubeconfig(name, file string, days int) (string, []byte) {
	e.t.Helper()
	client, err := api.New(api.Config{AK: e.srv.AK, SK: api.Secret(e.srv.SK), Endpoint: e.srv.URL,
		CAFile: e.vars[api.EnvCAFile], UserAgent: "ccecert-test"})
	if err != nil {
		e.t.Fatal(err)
	}
	defer client.Close()
	inv, err := client.Inventory(context.Background(), api.InventoryOptions{Kinds: []api.Kind{api.KindCCE, api.KindAutopilot}})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, tg := range inv.Targets {
		if tg.Name != name {
			continue
		}
		is, err := client.Issue(context.Background(), tg, api.CertRequest{Validity: api.Days(days)})
		if err != nil {
			e.t.Fatal(err)
		}
		cfg := clientcmdapi.NewConfig()
		cfg.AuthInfos["user"] = &clientcmdapi.AuthInfo{ClientCertificateData: is.CertPEM, ClientKeyData: is.Key.Reveal()}
		for _, c := range is.Contexts {
			cfg.Clusters[c.ClusterName] = &clientcmdapi.Cluster{Server: c.Server, CertificateAuthorityData: c.CAData, InsecureSkipTLSVerify: c.InsecureSkipTLSVerify}
			cfg.Contexts[c.Name] = &clientcmdapi.Context{Cluster: c.ClusterName, AuthInfo: "user"}
		}
		cfg.CurrentContext = is.CurrentContext
		if err := clientcmd.WriteToFile(*cfg, file); err != nil {
			e.t.Fatal(err)
		}
		return file, is.Key.Reveal()
	}
	e.t.Fatalf("no demo cluster %s", name)
	return "", nil
}
