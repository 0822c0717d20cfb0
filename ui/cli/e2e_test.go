package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ccecert/api/emulator"
)

// sub runs a program with the installation's environment only.
func (c *cli) sub(name string, args ...string) (string, error) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = c.environ()
	cmd.Stdin = strings.NewReader("")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// kubectlVersion is `kubectl --kubeconfig file --context ctx get --raw /version`.
func (c *cli) kubectlVersion(file, ctxName string) (string, error) {
	c.t.Helper()
	return c.sub("kubectl", "--kubeconfig", file, "--context", ctxName, "get", "--raw", "/version")
}

// TestE2EExecPluginThroughKubectl proves the whole chain with the real
// binary: get in exec mode, kubectl through the plugin, export, revoke, and
// kubectl refused afterwards.
func TestE2EExecPluginThroughKubectl(t *testing.T) {
	if _, err := exec.LookPath("kubectl"); err != nil {
		t.Skip("kubectl is not installed: the end-to-end check needs it")
	}
	bin := ccecertBinary(t)
	c := newCLI(t, emulator.Options{})

	out, err := c.sub(bin, "get", "prod-payments", "--mode", "exec", "--context", "both", "-o", "json")
	if err != nil {
		t.Fatalf("ccecert get: %v\n%s", err, out)
	}
	var v jsonCred
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &v); err != nil {
		t.Fatalf("get -o json: %v\n%s", err, out)
	}
	user := readKubeconfig(t, c.kubeconfig).AuthInfos
	for _, u := range user {
		if u.Exec == nil || u.Exec.Command != bin {
			t.Fatalf("exec user runs %+v, want the built binary %s", u.Exec, bin)
		}
	}
	for _, ctx := range v.Contexts {
		if out, err := c.kubectlVersion(c.kubeconfig, ctx); err != nil || !strings.Contains(out, `"gitVersion"`) {
			t.Fatalf("kubectl --context %s through the exec plugin: %v\n%s", ctx, err, out)
		}
	}

	exportFile := filepath.Join(t.TempDir(), "exported.yaml")
	if out, err := c.sub(bin, "export", v.ID, "--file", exportFile); err != nil {
		t.Fatalf("ccecert export: %v\n%s", err, out)
	}
	exportedCtx := readKubeconfig(t, exportFile).CurrentContext
	if out, err := c.kubectlVersion(exportFile, exportedCtx); err != nil || !strings.Contains(out, `"gitVersion"`) {
		t.Fatalf("kubectl with the exported kubeconfig: %v\n%s", err, out)
	}

	if out, err := c.sub(bin, "revoke", v.ID, "--yes"); err != nil {
		t.Fatalf("ccecert revoke: %v\n%s", err, out)
	}
	for _, ctx := range v.Contexts {
		out, err := c.kubectlVersion(c.kubeconfig, ctx)
		if err == nil || !strings.Contains(out, `context "`+ctx+`" does not exist`) {
			t.Errorf("kubectl --context %s after revoke: err %v (want the context gone)\n%s", ctx, err, out)
		}
	}
	out, err = c.kubectlVersion(exportFile, exportedCtx)
	if err == nil || !strings.Contains(strings.ToLower(out), "unauthorized") {
		t.Errorf("kubectl with the exported (revoked) certificate: err %v, want 401 Unauthorized\n%s", err, out)
	}
	// The plugin itself refuses the revoked credential and says what to do.
	out, err = c.sub(bin, "credential", v.ID)
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(out, "ccecert get prod-payments") {
		t.Errorf("credential after revoke: %v\n%s", err, out)
	}
}

// TestCLIDemoStatus runs `ccecert --demo status` with nothing but a temp
// HOME: the demo brings its own cloud, data and kubeconfig.
func TestCLIDemoStatus(t *testing.T) {
	home := t.TempDir()
	vars := map[string]string{"HOME": home}
	var out, errb bytes.Buffer
	e := env{getenv: func(k string) string { return vars[k] }, now: time.Now, stdin: strings.NewReader(""), stdout: &out, stderr: &errb, deps: testDeps}
	code := execute(context.Background(), e, []string{"--demo", "status"})
	if code != 3 {
		t.Fatalf("--demo status = exit %d, want 3 (the demo has expired credentials)\n%s\n%s", code, out.String(), errb.String())
	}
	for _, want := range []string{"EXPIRED", "CRITICAL", "WARNING", "OK", "prod-web", "imported"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("demo status lacks %q:\n%s", want, out.String())
		}
	}
	if _, err := os.Stat(filepath.Join(home, ".kube")); err == nil {
		t.Error("the demo touched ~/.kube")
	}
	if _, err := os.Stat(filepath.Join(home, ".local", "share", "ccecert", "demo", "ccecert.db")); err != nil {
		t.Errorf("the demo store is not in its own data dir: %v", err)
	}
	// Again: the seeded store is reused, not seeded twice.
	out.Reset()
	if code := execute(context.Background(), e, []string{"--demo", "status", "--all", "-o", "json"}); code != 3 {
		t.Fatalf("second --demo status = exit %d", code)
	}
	var views []jsonCred
	if err := json.Unmarshal(out.Bytes(), &views); err != nil || len(views) != len(demoSeeds) {
		t.Errorf("demo credentials: %d (%v), want %d", len(views), err, len(demoSeeds))
	}
}
