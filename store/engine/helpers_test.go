package engine

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"ccecert/api"
	"ccecert/api/emulator"
	"ccecert/store"
)

// offsetClock is real time plus an offset the test can move forward, so
// the engine can look 25 days ahead while the emulator, which checks
// request signatures against the real clock, stays in the present.
type offsetClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *offsetClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *offsetClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// hermetic points every directory a test could touch at a temp dir.
func hermetic(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, v := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"} {
		t.Setenv(v, filepath.Join(dir, v))
	}
	t.Setenv("KUBECONFIG", filepath.Join(dir, "kubeconfig"))
	return dir
}

// userKubeconfig is the operator's own kubeconfig: one minikube context.
const userKubeconfig = `apiVersion: v1
kind: Config
clusters:
- name: minikube
  cluster:
    server: https://127.0.0.1:8443
    certificate-authority: /home/op/.minikube/ca.crt
users:
- name: minikube
  user:
    token: op-token
contexts:
- name: minikube
  context:
    cluster: minikube
    user: minikube
    namespace: default
current-context: minikube
`

// engineEnv is an engine wired to a real api.Client talking to a running
// emulator, a real store and a kubeconfig, all in temp dirs.
type engineEnv struct {
	srv    *emulator.Server
	client *api.Client
	store  *store.Store
	eng    *Engine
	kube   string // the engine's kubeconfig
	data   string // the store's data dir
	dir    string // the hermetic root
	clock  *offsetClock
	cloud  *countingCloud
}

// countingCloud counts the engine's calls to the cloud.
type countingCloud struct {
	Cloud
	inventories, issues, revokes atomic.Int32
}

func (c *countingCloud) Inventory(ctx context.Context, o api.InventoryOptions) (*api.Inventory, error) {
	c.inventories.Add(1)
	return c.Cloud.Inventory(ctx, o)
}

func (c *countingCloud) Issue(ctx context.Context, t api.Target, r api.CertRequest) (*api.Issued, error) {
	c.issues.Add(1)
	return c.Cloud.Issue(ctx, t, r)
}

func (c *countingCloud) Revoke(ctx context.Context, t api.Target, user string) (*api.RevokeResult, error) {
	c.revokes.Add(1)
	return c.Cloud.Revoke(ctx, t, user)
}

// envOptions tune newEngineEnv.
type envOptions struct {
	inventory     *emulator.Inventory // nil = demo
	faults        emulator.Faults
	regionTimeout time.Duration // default 20s
	sk            string        // overrides the emulator's SK (a wrong key)
}

func newEngineEnv(t *testing.T, o envOptions) *engineEnv {
	t.Helper()
	dir := hermetic(t)
	srv, err := emulator.Start(t.Context(), emulator.Options{Inventory: o.inventory, Faults: o.faults})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	caFile, err := srv.WriteCAFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sk := srv.SK
	if o.sk != "" {
		sk = o.sk
	}
	if o.regionTimeout == 0 {
		o.regionTimeout = 20 * time.Second
	}
	client, err := api.New(api.Config{
		AK: srv.AK, SK: api.Secret(sk), Endpoint: srv.URL, CAFile: caFile, UserAgent: "ccecert-test",
		Timeout: 20 * time.Second, RegionTimeout: o.regionTimeout,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	env := &engineEnv{srv: srv, client: client, dir: dir, clock: &offsetClock{}, cloud: &countingCloud{Cloud: client},
		kube: filepath.Join(dir, "kube", "config"), data: filepath.Join(dir, "data")}
	env.store, err = store.Open(context.Background(), env.data, store.Options{Now: env.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = env.store.Close() })
	cfg, err := store.DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Keyring = false
	env.eng = &Engine{
		Store: env.store, Config: cfg, Kubeconfig: env.kube, Now: env.clock.Now,
		Cloud: func() (Cloud, error) { return env.cloud, nil },
	}
	return env
}

// refresh lists everything into the cache.
func (e *engineEnv) refresh(t *testing.T) *api.Inventory {
	t.Helper()
	inv, err := e.eng.Refresh(t.Context(), RefreshOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return inv
}

// target resolves a name from the cache (refreshing on first use).
func (e *engineEnv) target(t *testing.T, name string) api.Target {
	t.Helper()
	tg, err := e.eng.Resolve(t.Context(), name, "", "")
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

// fetch fetches with the engine and fails the test on error.
func (e *engineEnv) fetch(t *testing.T, req FetchRequest) FetchResult {
	t.Helper()
	if req.Validity == (api.Validity{}) {
		req.Validity = api.Days(30)
	}
	res, err := e.eng.Fetch(t.Context(), req)
	if err != nil {
		t.Fatalf("fetch %s: %v", req.Target.Name, err)
	}
	return res
}

// find reads a credential back from the store.
func (e *engineEnv) find(t *testing.T, id string) store.Credential {
	t.Helper()
	c, err := e.store.Find(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// events is the whole events log, newest first.
func (e *engineEnv) events(t *testing.T) []store.Event {
	t.Helper()
	evs, err := e.store.Events(t.Context(), 0)
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// hintOf is the hint of err's HintError, or "" when it has none.
func hintOf(err error) Hint {
	var he *HintError
	if errors.As(err, &he) {
		return he.Hint
	}
	return ""
}

// readKube loads a kubeconfig with clientcmd.
func readKube(t *testing.T, path string) *clientcmdapi.Config {
	t.Helper()
	cfg, err := clientcmd.LoadFromFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// readKubeBytes parses kubeconfig data with clientcmd.
func readKubeBytes(t *testing.T, data []byte) *clientcmdapi.Config {
	t.Helper()
	cfg, err := clientcmd.Load(data)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// writeKubeBytes encodes a kubeconfig with clientcmd.
func writeKubeBytes(t *testing.T, cfg *clientcmdapi.Config) []byte {
	t.Helper()
	data, err := clientcmd.Write(*cfg)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// readBytes reads a file, or nil when it does not exist.
func readBytes(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	return data
}

func haveKubectl() bool {
	_, err := exec.LookPath("kubectl")
	return err == nil
}

// needKubectl skips the test when kubectl is not installed.
func needKubectl(t *testing.T) {
	t.Helper()
	if !haveKubectl() {
		t.Skip("kubectl not installed: the end-to-end kubeconfig check needs it")
	}
}

// kubectl runs `kubectl --kubeconfig file [--context name] get --raw /version`
// and returns its output and error. The environment is the test's
// (hermetic) one plus extra.
func kubectl(t *testing.T, file, ctxName string, extra ...string) (string, error) {
	t.Helper()
	args := []string{"--kubeconfig", file}
	if ctxName != "" {
		args = append(args, "--context", ctxName)
	}
	args = append(args, "get", "--raw", "/version")
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "kubectl", args...)
	cmd.Env = append(os.Environ(), extra...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// mustKubectl fails unless kubectl reaches the cluster's /version.
func mustKubectl(t *testing.T, file, ctxName string, extra ...string) {
	t.Helper()
	out, err := kubectl(t, file, ctxName, extra...)
	if err != nil || !strings.Contains(out, "gitVersion") {
		t.Fatalf("kubectl --context %s get --raw /version: %v\n%s", ctxName, err, out)
	}
}

// assertNoSecret fails when text holds key material or any of secrets.
func assertNoSecret(t *testing.T, what, text string, secrets ...string) {
	t.Helper()
	for _, s := range append(secrets, "-----BEGIN", "PRIVATE KEY") {
		if s != "" && strings.Contains(text, s) {
			t.Fatalf("%s holds secret material %.20q…: %s", what, s, text)
		}
	}
}
