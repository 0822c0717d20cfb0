//go:build unix

package cli

import (
	"errors"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// demoShellPids are the processes of a demo shell run: ccecert, the shell
// and the shell's process group.
type demoShellPids struct{ shell, ccecert, group int }

// openDemoShell runs `ccecert --demo shell` in tmux (bash when there is
// one), waits for its prompt and learns its processes.
func openDemoShell(t *testing.T, bin, tmuxDir string, env []string) (*tmuxSession, demoShellPids) {
	t.Helper()
	shell := "/bin/sh"
	if p, err := exec.LookPath("bash"); err == nil {
		shell = p
	}
	s := startShell(t, tmuxDir, "'"+bin+"' --demo shell; echo \"ccecert exited $?\"", append(env, "SHELL="+shell))
	s.waitFor(demoPrompt)
	s.text(`clear; echo pids $$ $PPID $(ps -o pgid= -p $$)`)
	s.keys("Enter")
	screen := s.waitUntil("the pids", func(screen string) bool { return pidsLine.MatchString(screen) })
	m := pidsLine.FindStringSubmatch(screen)
	var p demoShellPids
	p.shell, _ = strconv.Atoi(m[1])
	p.ccecert, _ = strconv.Atoi(m[2])
	p.group, _ = strconv.Atoi(m[3])
	return s, p
}

var pidsLine = regexp.MustCompile(`(?m)^pids (\d+) (\d+) +(\d+)\s*$`)

// kubectlInShell runs kubectl get --raw /version with the shell's
// KUBECONFIG and waits for its exit status.
func kubectlInShell(s *tmuxSession, context string) string {
	s.t.Helper()
	s.text("clear; kubectl --context " + context + " get --raw /version >/dev/null; echo kubectl-" + context + "-rc-$?")
	s.keys("Enter")
	rc := regexp.MustCompile(`(?m)^kubectl-` + regexp.QuoteMeta(context) + `-rc-(\d+)`)
	screen := s.waitUntil("kubectl's status", func(screen string) bool { return rc.MatchString(screen) })
	return rc.FindStringSubmatch(screen)[1]
}

// assertGone fails unless the demo shell's processes are all gone and
// the demo's API servers are closed.
func assertGone(t *testing.T, p demoShellPids, server string) {
	t.Helper()
	deadline := time.Now().Add(e2eWait)
	pids := []int{p.ccecert, p.shell}
	if p.group == p.shell { // the shell's own group (job control), with its jobs
		pids = append(pids, -p.group)
	}
	for _, pid := range pids {
		for !errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
			if time.Now().After(deadline) {
				t.Fatalf("process (group) %d is still there after the demo shell ended", pid)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	if conn, err := net.DialTimeout("tcp", u.Host, time.Second); err == nil {
		_ = conn.Close()
		t.Errorf("the demo API server %s still answers after the demo shell ended", server)
	}
}

// TestDemoShellEndToEnd drives `ccecert --demo shell` (the built binary)
// in tmux: kubectl reaches a seeded context inside, leaving the shell
// leaves no process and no server behind; a second run trusts the same
// CAs (run 1's seeded credential still works), and SIGTERM to ccecert
// ends the shell and the emulator.
func TestDemoShellEndToEnd(t *testing.T) {
	if _, err := exec.LookPath("kubectl"); err != nil {
		t.Skip("kubectl is not installed")
	}
	bin, tmuxDir, env := e2eSetup(t)
	kubeconfig := filepath.Join(os.Getenv("XDG_DATA_HOME"), "ccecert", "demo", "kubeconfig") // isolateMain sets it
	s, pids := openDemoShell(t, bin, tmuxDir, env)
	s.text(`clear; echo "kc=$KUBECONFIG"; command -v ccecert`)
	s.keys("Enter")
	s.waitFor("kc="+kubeconfig, filepath.Join(filepath.Dir(kubeconfig), "shell", "bin", "ccecert"))
	for _, c := range []string{"prod-web-internal", "serverless-api-external", "global-prod-federation"} {
		if rc := kubectlInShell(s, c); rc != "0" {
			t.Fatalf("kubectl --context %s get --raw /version in the demo shell: exit %s\n%s", c, rc, s.last)
		}
	}
	if rc := kubectlInShell(s, "staging-web-external"); rc == "0" {
		t.Errorf("kubectl with the expired seed succeeded; want 401")
	}
	server := readKubeconfig(t, kubeconfig).Clusters["prod-web-internal"].Server
	s.text("exit")
	s.keys("Enter")
	if status := s.waitExit(); status != "0" {
		t.Fatalf("ccecert --demo shell exited %s after exit, want 0:\n%s", status, s.last)
	}
	assertGone(t, pids, server)

	// Run 2: the same CAs and ports, so run 1's kubeconfig still works.
	tmuxDir2 := filepath.Join(tmuxDir, "2")
	if err := os.Mkdir(tmuxDir2, 0o700); err != nil {
		t.Fatal(err)
	}
	s, pids = openDemoShell(t, bin, tmuxDir2, env)
	if rc := kubectlInShell(s, "prod-web-internal"); rc != "0" {
		t.Fatalf("run 2: kubectl with run 1's seeded credential: exit %s\n%s", rc, s.last)
	}
	if err := syscall.Kill(pids.ccecert, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if status := s.waitExit(); status != "129" {
		t.Errorf("after SIGTERM ccecert exited %s, want 129 (the shell ended by SIGHUP)", status)
	}
	assertGone(t, pids, server)
}

// TestDemoTUIServesKubectl: while the demo TUI (the built binary, in tmux)
// runs, kubectl in another process reaches the demo's contexts, a cluster
// and a fleet; once it quits, nothing serves them.
func TestDemoTUIServesKubectl(t *testing.T) {
	if _, err := exec.LookPath("kubectl"); err != nil {
		t.Skip("kubectl is not installed")
	}
	bin, tmuxDir, env := e2eSetup(t)
	kubeconfig := filepath.Join(os.Getenv("XDG_DATA_HOME"), "ccecert", "demo", "kubeconfig")
	s := startShell(t, tmuxDir, "'"+bin+"' --demo 2>/dev/null; echo \"ccecert exited $?\"", env)
	s.waitFor("ccecert [DEMO]", "staging-web", "refreshed")
	for _, c := range []string{"prod-payments-internal", "serverless-api-external", "global-prod-federation"} {
		if out, err := kubectlDemo(t, kubeconfig, c); err != nil {
			t.Errorf("kubectl --context %s while the demo TUI runs: %v\n%s", c, err, out)
		}
	}
	server := readKubeconfig(t, kubeconfig).Clusters["prod-payments-internal"].Server
	s.keys("3") // as a person would: a page, then quit
	s.waitFor("[3 Credentials]")
	s.keys("q")
	// The pane's "dead" line can push the exit status into the history.
	exited := regexp.MustCompile(`ccecert exited (\d+)`)
	for deadline := time.Now().Add(e2eWait); ; time.Sleep(50 * time.Millisecond) {
		all, _ := s.tmux("capture-pane", "-p", "-S", "-", "-t", "e2e")
		if m := exited.FindStringSubmatch(all); m != nil {
			if m[1] != "0" {
				t.Fatalf("the TUI exited %s", m[1])
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the TUI did not exit on q:\n%s", all)
		}
	}
	u, _ := url.Parse(server)
	if conn, err := net.DialTimeout("tcp", u.Host, time.Second); err == nil {
		_ = conn.Close()
		t.Errorf("%s still answers after the TUI quit", server)
	}
}
