package cli

import (
	"bytes"
	"context"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// demoEnv is the environment of an in-process --demo run with nothing but
// a temp HOME.
func demoEnv(t *testing.T) env {
	t.Helper()
	vars := map[string]string{"HOME": t.TempDir()}
	return env{getenv: func(k string) string { return vars[k] }, now: time.Now, stdin: strings.NewReader(""),
		stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, deps: testDeps}
}

// openDemo opens the demo app (seeded, its emulator started); close it
// with a.close.
func openDemo(t *testing.T, e env) *app {
	t.Helper()
	a, err := openApp(context.Background(), &globalFlags{demo: true, quiet: true}, e)
	if err != nil {
		t.Fatalf("open the demo: %v", err)
	}
	return a
}

// kubectlDemo runs kubectl get --raw /version on a context of the demo
// kubeconfig.
func kubectlDemo(t *testing.T, kubeconfig, context string) (string, error) {
	t.Helper()
	cmd := exec.Command("kubectl", "--kubeconfig", kubeconfig, "--context", context, "get", "--raw", "/version")
	cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=/usr/bin:/bin"}
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestDemoKubectlReachesEveryContextWhileOpen: while a --demo ccecert runs,
// kubectl reaches every context of the demo kubeconfig (internal and
// external, clusters and a fleet), but the expired one, which gets 401.
func TestDemoKubectlReachesEveryContextWhileOpen(t *testing.T) {
	if _, err := exec.LookPath("kubectl"); err != nil {
		t.Skip("kubectl is not installed")
	}
	a := openDemo(t, demoEnv(t))
	defer a.close()
	cfg := readKubeconfig(t, a.paths.Kubeconfig)
	if len(cfg.Contexts) < 6 {
		t.Fatalf("the demo kubeconfig has %d contexts, want the live seeds", len(cfg.Contexts))
	}
	for name := range cfg.Contexts {
		out, err := kubectlDemo(t, a.paths.Kubeconfig, name)
		if name == "staging-web-external" { // the expired seed
			if err == nil || !strings.Contains(out, "Unauthorized") {
				t.Errorf("kubectl --context %s (expired): %v %s, want 401", name, err, out)
			}
			continue
		}
		if err != nil || !strings.Contains(out, `"gitVersion"`) {
			t.Errorf("kubectl --context %s while the demo runs: %v\n%s", name, err, out)
		}
	}
}

// TestDemoMovedPortRewritesTheDemoKubeconfig: when another program took a
// demo API server's port between two runs, the second run points the demo
// kubeconfig's server at the new port, and kubectl works there.
func TestDemoMovedPortRewritesTheDemoKubeconfig(t *testing.T) {
	e := demoEnv(t)
	a := openDemo(t, e)
	kubeconfig := a.paths.Kubeconfig
	old := readKubeconfig(t, kubeconfig).Clusters["prod-web-internal"].Server
	a.close()
	u, err := url.Parse(old)
	if err != nil {
		t.Fatal(err)
	}
	squat, err := net.Listen("tcp", u.Host)
	if err != nil {
		t.Fatalf("take prod-web's port: %v", err)
	}
	defer func() { _ = squat.Close() }()

	a = openDemo(t, e)
	defer a.close()
	now := readKubeconfig(t, kubeconfig).Clusters["prod-web-internal"].Server
	if now == old || !strings.HasPrefix(now, "https://127.0.0.1:") {
		t.Fatalf("prod-web-internal's server is %s after its port %s was taken, want a new loopback port", now, old)
	}
	if other := readKubeconfig(t, kubeconfig).Clusters["prod-payments-internal"].Server; other == now {
		t.Errorf("another context points at the moved server")
	}
	if _, err := exec.LookPath("kubectl"); err != nil {
		return
	}
	if out, err := kubectlDemo(t, kubeconfig, "prod-web-internal"); err != nil || !strings.Contains(out, `"gitVersion"`) {
		t.Errorf("kubectl on the moved server: %v\n%s", err, out)
	}
}

// TestDemoFromAnOlderCcecertSaysHowToStartOver: a seeded demo store with
// no kept emulator state (its CAs are gone) gets one note that says what
// to do.
func TestDemoFromAnOlderCcecertSaysHowToStartOver(t *testing.T) {
	e := demoEnv(t)
	a := openDemo(t, e)
	dir := a.paths.DataDir
	a.close()
	if err := os.Remove(filepath.Join(dir, "emulator", "state.json")); err != nil {
		t.Fatal(err)
	}
	a, err := openApp(context.Background(), &globalFlags{demo: true}, e)
	if err != nil {
		t.Fatal(err)
	}
	a.close()
	if got := e.stderr.(*bytes.Buffer).String(); strings.Count(got, "remove "+dir+" to start the demo over") != 1 {
		t.Errorf("stderr:\n%s\nwant one note that says to remove %s", got, dir)
	}
}
