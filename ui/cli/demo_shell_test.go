package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestIsDemoShell(t *testing.T) {
	for _, c := range []struct {
		args []string
		want bool
	}{
		{[]string{"--demo", "shell"}, true},
		{[]string{"shell", "--demo"}, true},
		{[]string{"--no-color", "--demo=true", "--kubeconfig", "shell", "shell"}, true},
		{[]string{"--demo", "--config", "x.yaml", "shell", "--help"}, true},
		{[]string{"shell"}, false},                  // not the demo: the usual "unknown command"
		{[]string{"--demo", "get", "shell"}, false}, // a cluster named shell
		{[]string{"--demo", "--", "shell"}, false},  // after --: arguments
		{[]string{"--kubeconfig", "shell"}, false},  // a flag's value
		{[]string{"--demo", "status"}, false},
	} {
		if got := IsDemoShell(c.args); got != c.want {
			t.Errorf("IsDemoShell(%q) = %v, want %v", c.args, got, c.want)
		}
	}
}

// TestDemoShellEnv: KUBECONFIG is the demo's, the wrapper is first on PATH,
// the prompt says demo, and nothing that points ccecert at a real cloud
// is passed on.
func TestDemoShellEnv(t *testing.T) {
	sh := demoShell{path: "/bin/zsh", binDir: "/d/shell/bin", zdotdir: "/d/shell/zsh"}
	got := demoShellEnv([]string{
		"PATH=/usr/bin", "HOME=/h", "KUBECONFIG=/h/.kube/config", "CLOUD_SDK_AK=AKIDEXAMPLE", "CLOUD_SDK_SK=secret",
		"HUAWEICLOUD_SDK_SECURITY_TOKEN=tok", "CCECERT_ENDPOINT=https://real", "ZDOTDIR=/h/zsh", "PS1=$ ",
	}, "/d/kubeconfig", sh)
	for _, want := range []string{"HOME=/h", "KUBECONFIG=/d/kubeconfig", "PATH=/d/shell/bin:/usr/bin", "PS1=" + demoPrompt + "$ ",
		"ZDOTDIR=/d/shell/zsh", "CCECERT_USER_ZDOTDIR=/h/zsh", "CCECERT_DEMO_SHELL=1"} {
		if !slices.Contains(got, want) {
			t.Errorf("demo shell env lacks %s: %q", want, got)
		}
	}
	for _, kv := range got {
		if strings.Contains(kv, "secret") || strings.Contains(kv, "AKIDEXAMPLE") || strings.Contains(kv, "tok") && !strings.HasPrefix(kv, "CCECERT") ||
			strings.Contains(kv, "https://real") || kv == "KUBECONFIG=/h/.kube/config" {
			t.Errorf("demo shell env passes on %s", kv)
		}
	}
}

// TestPrepareDemoShellBash: bash reads an rc file that reads ~/.bashrc
// and then puts the demo in front of PS1; the wrapper runs this binary
// with --demo; the files are private.
func TestPrepareDemoShellBash(t *testing.T) {
	dir := t.TempDir()
	sh, err := prepareDemoShell(dir, func(k string) string { return map[string]string{"SHELL": "/usr/bin/bash"}[k] })
	if err != nil {
		t.Fatal(err)
	}
	rc := filepath.Join(dir, "shell", "bashrc")
	if !slices.Equal(sh.args, []string{"--rcfile", rc, "-i"}) {
		t.Errorf("bash args %q", sh.args)
	}
	text, _ := os.ReadFile(rc)
	if !strings.Contains(string(text), ". ~/.bashrc") || !strings.Contains(string(text), "PS1='"+demoPrompt+"'") {
		t.Errorf("bashrc:\n%s", text)
	}
	wrapper, _ := os.ReadFile(filepath.Join(sh.binDir, "ccecert"))
	exe, _ := os.Executable()
	if !strings.Contains(string(wrapper), shQuote(exe)+" --demo \"$@\"") {
		t.Errorf("wrapper:\n%s", wrapper)
	}
	for path, want := range map[string]os.FileMode{rc: 0o600, filepath.Join(sh.binDir, "ccecert"): 0o700, filepath.Join(dir, "shell"): 0o700} {
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: %v, want %o", path, err, want)
		}
	}
	if got := demoShellPath(func(string) string { return "zsh" }); got != "/bin/sh" {
		t.Errorf("a relative $SHELL gives %s, want /bin/sh", got)
	}
}
