package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"ccecert/api/emulator"
)

// e2eWait bounds every wait for the screen or the process.
const e2eWait = 20 * time.Second

// tmuxSession is the built binary running in a private tmux server.
type tmuxSession struct {
	t    *testing.T
	sock string
	last string // the last screen captured
}

func (s *tmuxSession) tmux(args ...string) (string, error) {
	out, err := exec.Command("tmux", append([]string{"-S", s.sock}, args...)...).CombinedOutput()
	return string(out), err
}

// keys sends tmux key names (Enter, Left, Tab...); text sends literally.
func (s *tmuxSession) keys(keys ...string) {
	s.t.Helper()
	if out, err := s.tmux(append([]string{"send-keys", "-t", "e2e"}, keys...)...); err != nil {
		s.t.Fatalf("send-keys %v: %v %s", keys, err, out)
	}
}

func (s *tmuxSession) text(text string) { s.keys("-l", text) }

// waitFor polls the screen until it shows every want, and returns it.
func (s *tmuxSession) waitFor(want ...string) string {
	s.t.Helper()
	return s.waitUntil(fmt.Sprintf("%q", want), func(screen string) bool { return containsAll(screen, want) })
}

// waitUntil polls the screen until ok says yes, and returns it; what
// names the awaited screen in the failure.
func (s *tmuxSession) waitUntil(what string, ok func(screen string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(e2eWait)
	for {
		out, err := s.tmux("capture-pane", "-p", "-t", "e2e")
		if err == nil {
			s.last = out
			if ok(out) {
				return out
			}
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen never showed %s within %v; last screen:\n%s", what, e2eWait, s.last)
		}
		time.Sleep(50 * time.Millisecond) // poll interval, not an assertion
	}
}

// waitExit waits for the program to end and returns its exit status, as
// the shell that ran it printed it (tmux itself may leave the process
// unreaped for a while, so its pane_dead_status is not reliable).
func (s *tmuxSession) waitExit() string {
	s.t.Helper()
	screen := s.waitFor("ccecert exited ")
	m := regexp.MustCompile(`ccecert exited (\d+)`).FindStringSubmatch(screen)
	if m == nil {
		s.t.Fatalf("no exit status on the screen:\n%s", screen)
	}
	return m[1]
}

func containsAll(s string, want []string) bool {
	for _, w := range want {
		if !strings.Contains(s, w) {
			return false
		}
	}
	return true
}

// e2eSetup skips the test without tmux, builds the binary, isolates HOME,
// the XDG dirs and KUBECONFIG in temp dirs, and returns the binary, a dir
// for tmux's socket and the environment the program is to get.
func e2eSetup(t *testing.T) (bin, tmuxDir string, env []string) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	bin = ccecertBinary(t)
	tmuxDir = t.TempDir() // before TMPDIR moves: a socket path must be short
	isolateMain(t)
	env = []string{"PATH=" + os.Getenv("PATH"), "TERM=xterm-256color", "LANG=C.UTF-8", "TMPDIR=" + os.Getenv("TMPDIR")}
	for _, k := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "KUBECONFIG"} {
		env = append(env, k+"="+os.Getenv(k))
	}
	return bin, tmuxDir, env
}

// startTUI runs bin in a private tmux server at 120x40 with env only; the
// server's socket and config are in dir.
func startTUI(t *testing.T, dir, bin string, env []string) *tmuxSession {
	t.Helper()
	return startShell(t, dir, "'"+bin+"'; echo \"ccecert exited $?\"", env)
}

// startShell runs the shell command line in a private tmux server at
// 120x40 with env only.
func startShell(t *testing.T, dir, line string, env []string) *tmuxSession {
	t.Helper()
	conf := filepath.Join(dir, "tmux.conf")
	if err := os.WriteFile(conf, []byte("set -g remain-on-exit on\nset -g default-shell /bin/sh\nset -g status off\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := &tmuxSession{t: t, sock: filepath.Join(dir, "tmux.sock")}
	cmd := exec.Command("tmux", "-S", s.sock, "-f", conf, "-u", "new-session", "-d", "-s", "e2e", "-x", "120", "-y", "40",
		line)
	cmd.Env = env // the server, and so the program, gets exactly this
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v %s", err, out)
	}
	t.Cleanup(func() { _, _ = s.tmux("kill-server") })
	return s
}

// TestTUIEndToEnd drives the real binary against the emulator in tmux:
// filter to a cluster with an EIP, fetch a 7-day external credential, see
// its countdown, quit, and reach the cluster with kubectl and that context.
func TestTUIEndToEnd(t *testing.T) {
	bin, tmuxDir, env := e2eSetup(t)
	srv, err := emulator.Start(t.Context(), emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	caFile, err := srv.WriteCAFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	env = append(env, srv.Env(caFile)...)

	s := startTUI(t, tmuxDir, bin, env)
	s.waitFor("refreshed: 10 clusters, 3 fleets", "prod-gz")
	s.keys("/")
	s.text("prod-gz")
	s.keys("Enter")
	s.waitFor("/prod-gz 1/")
	s.keys("f")
	// With an EIP the dialog starts on the engine's default: external.
	s.waitFor("Fetch a credential · prod-gz", "[30d]", "[external]", "checked against the cluster CA")
	s.keys("Left")
	s.waitFor("[7d]")
	s.keys("Enter")
	screen := s.waitFor("6d 23h", "fetched ")
	m := regexp.MustCompile(`→ context (\S+), expires in 6d 23h`).FindStringSubmatch(screen)
	if m == nil {
		t.Fatalf("no context name in the status line:\n%s", screen)
	}
	contextName := m[1]
	s.keys("q")
	if status := s.waitExit(); status != "0" {
		t.Fatalf("ccecert exited with %s; screen:\n%s", status, s.last)
	}

	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		t.Skip("kubectl is not installed: the fetched context is not checked")
	}
	ctx, cancel := context.WithTimeout(t.Context(), e2eWait)
	defer cancel()
	cmd := exec.CommandContext(ctx, kubectl, "--kubeconfig", os.Getenv("KUBECONFIG"), "--context", contextName, "get", "--raw", "/version")
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "gitVersion") {
		t.Fatalf("kubectl --context %s get --raw /version: %v\n%s", contextName, err, out)
	}
}
