package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"ccecert/api/emulator"
)

// testClock is the CLI's injected clock: real time plus an offset the test
// moves. The emulator keeps real time (the SDK signs with it).
type testClock struct {
	mu     sync.Mutex
	offset time.Duration
	frozen time.Time // when set, Now stands still here (plus offset)
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.frozen.IsZero() {
		return c.frozen.Add(c.offset)
	}
	return time.Now().Add(c.offset)
}

// Freeze stops the CLI's clock, so repeated outputs compare equal.
func (c *testClock) Freeze() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.frozen = time.Now()
}

// standStill holds the clock at at (offset included) until the returned
// func puts it back as it was.
func (c *testClock) standStill(at time.Time) func() {
	c.mu.Lock()
	defer c.mu.Unlock()
	frozen, offset := c.frozen, c.offset
	c.frozen, c.offset = at, 0
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		c.frozen, c.offset = frozen, offset
	}
}

// Advance moves the CLI's clock forward by d.
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// cli is one hermetic ccecert installation: temp HOME, XDG dirs and
// kubeconfig, an emulator, and an environment map pointing at it.
type cli struct {
	t          *testing.T
	srv        *emulator.Server
	clock      *testClock
	snapAt     time.Time // the instant snapshots read the store at
	vars       map[string]string
	home       string
	kubeconfig string // the file ccecert writes ($KUBECONFIG)
}

// result is one CLI run.
type result struct {
	code           int
	stdout, stderr string
}

// newCLI starts an emulator serving opts' inventory and a temp installation
// that talks to it.
func newCLI(t *testing.T, opts emulator.Options) *cli {
	t.Helper()
	srv, vars, home := newInstallation(t, opts)
	return &cli{t: t, srv: srv, clock: &testClock{}, vars: vars, home: home, kubeconfig: vars["KUBECONFIG"]}
}

// newInstallation starts an emulator serving opts' inventory and returns
// the environment of a temp installation that talks to it, and its HOME.
func newInstallation(t testing.TB, opts emulator.Options) (*emulator.Server, map[string]string, string) {
	t.Helper()
	srv, err := emulator.Start(t.Context(), opts)
	if err != nil {
		t.Fatalf("start emulator: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	home := t.TempDir()
	caFile, err := srv.WriteCAFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	kube := filepath.Join(home, ".kube", "config")
	vars := map[string]string{
		"HOME":            home,
		"XDG_CONFIG_HOME": filepath.Join(home, ".config"),
		"XDG_DATA_HOME":   filepath.Join(home, ".local", "share"),
		"XDG_CACHE_HOME":  filepath.Join(home, ".cache"),
		"KUBECONFIG":      kube,
		"PATH":            os.Getenv("PATH"),
	}
	for _, kv := range srv.Env(caFile) {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	return srv, vars, home
}

// newDemoCLI is newCLI with the demo inventory and a first `list` done, so
// the store exists and the cache is full.
func newDemoCLI(t *testing.T) *cli {
	t.Helper()
	c := newCLI(t, emulator.Options{})
	c.ok("list")
	return c
}

func (c *cli) getenv(k string) string { return c.vars[k] }

// environ is the environment of a ccecert or kubectl subprocess.
func (c *cli) environ() []string {
	out := make([]string, 0, len(c.vars))
	for k, v := range c.vars {
		out = append(out, k+"="+v)
	}
	return out
}

// run runs ccecert in-process with an empty, non-terminal stdin.
func (c *cli) run(args ...string) result {
	c.t.Helper()
	return c.runIn(strings.NewReader(""), args...)
}

// runIn runs ccecert in-process with stdin.
func (c *cli) runIn(stdin io.Reader, args ...string) result {
	c.t.Helper()
	var out, errb bytes.Buffer
	e := env{getenv: c.getenv, now: c.clock.Now, stdin: stdin, stdout: &out, stderr: &errb, deps: testDeps}
	code := execute(context.Background(), e, args)
	return result{code: code, stdout: out.String(), stderr: errb.String()}
}

// ok runs ccecert and fails the test unless it exits 0.
func (c *cli) ok(args ...string) result {
	c.t.Helper()
	r := c.run(args...)
	if r.code != 0 {
		c.t.Fatalf("ccecert %s = exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// fetch gets a certificate with -o json and returns its credential view.
func (c *cli) fetch(args ...string) jsonCred {
	c.t.Helper()
	r := c.ok(append(append([]string{"get"}, args...), "-o", "json")...)
	var v jsonCred
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		c.t.Fatalf("get -o json: %v\n%s", err, r.stdout)
	}
	return v
}

// statusAll is `status --all -o json`, decoded.
func (c *cli) statusAll() []jsonCred {
	c.t.Helper()
	r := c.run("status", "--all", "-o", "json")
	if r.code != 0 && r.code != 3 {
		c.t.Fatalf("status --all -o json = exit %d: %s", r.code, r.stderr)
	}
	var out []jsonCred
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		c.t.Fatalf("status -o json: %v\n%s", err, r.stdout)
	}
	return out
}

// credByID finds a credential in `status --all -o json`.
func (c *cli) credByID(id string) jsonCred {
	c.t.Helper()
	for _, v := range c.statusAll() {
		if v.ID == id {
			return v
		}
	}
	c.t.Fatalf("credential %s not in status --all", id)
	return jsonCred{}
}

// jsonCred is the documented credential object of status/get -o json.
type jsonCred struct {
	ID     string `json:"id"`
	Target struct {
		Kind, ID, Name, Region string
	} `json:"target"`
	Contexts          []string `json:"contexts"`
	Subject           string   `json:"subject"`
	Serial            string   `json:"serial"`
	FingerprintSHA256 string   `json:"fingerprint_sha256"`
	NotBefore         *string  `json:"not_before"`
	NotAfter          *string  `json:"not_after"`
	RemainingSeconds  *int64   `json:"remaining_seconds"`
	Health            string   `json:"health"`
	Source            string   `json:"source"`
	Kubeconfig        string   `json:"kubeconfig"`
	Mode              string   `json:"mode"`
}

// notAfter parses the credential's not_after.
func (v jsonCred) notAfter(t *testing.T) time.Time {
	t.Helper()
	if v.NotAfter == nil {
		t.Fatalf("credential %s has no not_after", v.ID)
	}
	na, err := time.Parse(time.RFC3339, *v.NotAfter)
	if err != nil {
		t.Fatalf("not_after %q: %v", *v.NotAfter, err)
	}
	return na
}

// state is what a failed command must leave alone.
type state struct {
	kubeconfig string // bytes, or "<absent>"
	creds      string // status --all -o json
	targets    string // list -o json
}

// snapshot reads the state through the CLI itself (from the cache: it
// must be fresh, or list would refresh).
func (c *cli) snapshot() state {
	c.t.Helper()
	kube := "<absent>"
	if data, err := os.ReadFile(c.kubeconfig); err == nil {
		kube = string(data)
	}
	// Every snapshot reads the store at one instant, so remaining_seconds
	// and the stale marker compare equal however long the test takes.
	if c.snapAt.IsZero() {
		c.snapAt = c.clock.Now()
	}
	restore := c.clock.standStill(c.snapAt)
	st := c.run("status", "--all", "-o", "json")
	ls := c.ok("list", "-o", "json")
	restore()
	return state{kubeconfig: kube, creds: st.stdout, targets: ls.stdout}
}

// assertUnchanged fails when after differs from before.
func assertUnchanged(t *testing.T, what string, before, after state) {
	t.Helper()
	if before.kubeconfig != after.kubeconfig {
		t.Errorf("%s changed the kubeconfig:\nbefore:\n%s\nafter:\n%s", what, before.kubeconfig, after.kubeconfig)
	}
	if before.creds != after.creds {
		t.Errorf("%s changed the credentials:\nbefore:\n%s\nafter:\n%s", what, before.creds, after.creds)
	}
	if before.targets != after.targets {
		t.Errorf("%s changed the targets:\nbefore:\n%s\nafter:\n%s", what, before.targets, after.targets)
	}
}

// requestsSince returns the emulator's API requests after the first n.
// logSettled is the length of the emulator's log once every request it
// received is in it: a request the client abandoned (a listing cancelled
// when IAM refused the key) is logged when its handler ends, which can be
// after the command that sent it returned. It waits at most 5 s.
func (c *cli) logSettled() int {
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if n := len(c.srv.Log()); int64(n) >= c.srv.Requests() || time.Now().After(deadline) {
			return n
		}
	}
}

func (c *cli) requestsSince(n int) []emulator.RequestRecord {
	log := c.srv.Log()
	if n > len(log) {
		return nil
	}
	return log[n:]
}

// target returns the emulator's view of a target by name.
func (c *cli) target(name string) emulator.TargetInfo {
	c.t.Helper()
	ti, ok := c.srv.Target(name)
	if !ok {
		c.t.Fatalf("no target %q in the emulator", name)
	}
	return ti
}

// readKubeconfig loads a kubeconfig file with client-go.
func readKubeconfig(t *testing.T, path string) *clientcmdapi.Config {
	t.Helper()
	cfg, err := clientcmd.LoadFromFile(path)
	if err != nil {
		t.Fatalf("load kubeconfig %s: %v", path, err)
	}
	return cfg
}

// assertNoSecrets fails when text holds key material or the SK.
func (c *cli) assertNoSecrets(what, text string) {
	c.t.Helper()
	for _, s := range []string{c.srv.SK, "PRIVATE KEY", "-----BEGIN"} {
		if strings.Contains(text, s) {
			c.t.Errorf("%s shows secret material (%.12q…):\n%s", what, s, text)
		}
	}
}

// oneLineError fails unless r exited 1 with exactly one line on stderr,
// an error message.
func oneLineError(t *testing.T, what string, r result) {
	t.Helper()
	if r.code != 1 {
		t.Errorf("%s: exit %d, want 1\nstdout:\n%s\nstderr:\n%s", what, r.code, r.stdout, r.stderr)
		return
	}
	lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "ccecert: ") {
		t.Errorf("%s: stderr is not one error line:\n%s", what, r.stderr)
	}
}
