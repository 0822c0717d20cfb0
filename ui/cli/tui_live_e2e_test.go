package cli

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"ccecert/api/emulator"
)

// liveBudget is issue 16's bound: a change another process makes shows on
// screen within it. It is behaviour, not performance: the TUI checks once
// a second.
const liveBudget = 2 * time.Second

// TestTUILiveEndToEnd: the built binary's TUI is open in tmux while other
// processes run `ccecert get`, `renew` and `revoke` and edit the
// kubeconfig; each change is on screen within liveBudget, with no key
// pressed. Then, on the Contexts page, switching changes what
// `kubectl config current-context` says, and "-" goes back.
func TestTUILiveEndToEnd(t *testing.T) {
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
	run := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(t.Context(), e2eWait)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, args...)
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("ccecert %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	run("list") // the store and the inventory cache exist before the TUI opens

	s := startTUI(t, tmuxDir, bin, env)
	s.waitFor("refreshed: 10 clusters, 3 fleets")
	s.keys("3")
	s.waitFor("[3 Credentials]", "no credentials yet")

	var got jsonCred
	if err := json.Unmarshal([]byte(run("get", "prod-gz", "--duration", "7d", "--context", "external", "-o", "json")), &got); err != nil {
		t.Fatal(err)
	}
	s.within("a credential another process fetched", "prod-gz", got.ID, "6d 23h")

	out := run("renew", got.ID, "--yes")
	renewed := regexp.MustCompile(got.ID + `\s+([0-9a-f]{8,})\s`).FindStringSubmatch(out)
	if renewed == nil {
		t.Fatalf("no new id in renew's output:\n%s", out)
	}
	s.within("the renewal", renewed[1])

	run("revoke", renewed[1], "--yes")
	s.within("the revocation", "REVOKED")

	if err := json.Unmarshal([]byte(run("get", "prod-gz", "--duration", "7d", "--context", "external", "-o", "json")), &got); err != nil {
		t.Fatal(err)
	}
	s.within("a second fetch", got.ID)
	name := got.Contexts[0]

	s.keys("4")
	s.waitFor("[4 Contexts]", name)
	kube := os.Getenv("KUBECONFIG")
	addForeignContext(t, kube, "e2e-foreign")
	s.within("a context another program wrote", "e2e-foreign")

	for _, want := range []string{"e2e-foreign", name} {
		s.keys("/")
		s.text(want)
		s.keys("Enter")
		s.waitFor("/" + want + " 1/")
		s.keys("Enter")
		s.waitFor("switched to " + want)
		if cur := kubectlCurrentContext(t, env, kube); cur != want {
			t.Fatalf("switched to %s on the Contexts page; kubectl says %q", want, cur)
		}
		s.waitFor("ctx " + want) // the header
		s.keys("Escape")
		// Wait for the filter to go before the next key: sent at once,
		// ESC and "/" read as one alt+/ key.
		s.waitUntil("the filter cleared", func(screen string) bool { return !strings.Contains(screen, "/"+want+" 1/") })
	}
	s.keys("-")
	s.waitFor("switched to the previous context")
	if cur := kubectlCurrentContext(t, env, kube); cur != "e2e-foreign" {
		t.Fatalf("- on the Contexts page; kubectl says %q", cur)
	}
	s.keys("q")
	if status := s.exitStatus(); status != "0" {
		t.Fatalf("ccecert exited with %s; screen:\n%s", status, s.last)
	}
}

// exitStatus is waitExit over the pane's history too: the shell's line
// may have scrolled off the main screen the TUI gave back.
func (s *tmuxSession) exitStatus() string {
	s.t.Helper()
	re := regexp.MustCompile(`ccecert exited (\d+)`)
	deadline := time.Now().Add(e2eWait)
	for {
		out, err := s.tmux("capture-pane", "-p", "-S", "-", "-t", "e2e")
		if m := re.FindStringSubmatch(out); err == nil && m != nil {
			return m[1]
		}
		s.last = out
		if time.Now().After(deadline) {
			s.t.Fatalf("no exit status within %v; last screen:\n%s", e2eWait, s.last)
		}
		time.Sleep(50 * time.Millisecond) // poll interval, not an assertion
	}
}

// within polls the screen until it shows every want, failing when that
// takes longer than liveBudget (what names the change).
func (s *tmuxSession) within(what string, want ...string) {
	s.t.Helper()
	start := time.Now()
	for {
		out, err := s.tmux("capture-pane", "-p", "-t", "e2e")
		if err == nil {
			s.last = out
			if containsAll(out, want) {
				return
			}
		}
		if time.Since(start) > liveBudget {
			s.t.Fatalf("%s: the screen did not show %q within %v; last screen:\n%s", what, want, liveBudget, s.last)
		}
		time.Sleep(50 * time.Millisecond) // poll interval, not an assertion
	}
}

// addForeignContext writes a context as another program would (kubectl
// config set-context does the same through clientcmd).
func addForeignContext(t *testing.T, kube, name string) {
	t.Helper()
	kc, err := clientcmd.LoadFromFile(kube)
	if err != nil {
		t.Fatal(err)
	}
	kc.Clusters[name] = &clientcmdapi.Cluster{Server: "https://127.0.0.1:1"}
	kc.AuthInfos[name] = &clientcmdapi.AuthInfo{Token: "not-a-secret"}
	kc.Contexts[name] = &clientcmdapi.Context{Cluster: name, AuthInfo: name}
	if err := clientcmd.WriteToFile(*kc, kube); err != nil {
		t.Fatal(err)
	}
}

// kubectlCurrentContext is what `kubectl config current-context` says
// (clientcmd's own reading when kubectl is not installed).
func kubectlCurrentContext(t *testing.T, env []string, kube string) string {
	t.Helper()
	kubectl, err := exec.LookPath("kubectl")
	if err != nil {
		kc, err := clientcmd.LoadFromFile(kube)
		if err != nil {
			t.Fatal(err)
		}
		return kc.CurrentContext
	}
	cmd := exec.Command(kubectl, "config", "current-context")
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl config current-context: %v\n%s", err, out)
	}
	return strings.TrimSpace(string(out))
}
