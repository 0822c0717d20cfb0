package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRelativePathsRecordedAbsolute: every way a kubeconfig path reaches
// ccecert — a $KUBECONFIG list, the config file's kubeconfig:, a path
// stored with a credential or recorded after a write — is absolute, so a
// later run from another directory names the same file.
func TestRelativePathsRecordedAbsolute(t *testing.T) {
	dir := hermetic(t)
	work := filepath.Join(dir, "work", "team")
	if err := os.MkdirAll(work, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Chdir(work)
	env := map[string]string{"HOME": dir, "KUBECONFIG": "kc.yaml" + string(os.PathListSeparator) + "../shared/./b.yaml" + string(os.PathListSeparator) + "kc.yaml"}
	got := KubeconfigPaths(func(k string) string { return env[k] })
	want := []string{filepath.Join(work, "kc.yaml"), filepath.Join(dir, "work", "shared", "b.yaml")}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Fatalf("KubeconfigPaths = %q, want %q", got, want)
	}

	cfgDir := filepath.Join(dir, "etc", "ccecert")
	_ = os.MkdirAll(cfgDir, 0o700)
	cfgFile := filepath.Join(cfgDir, "config.yaml")
	_ = os.WriteFile(cfgFile, []byte("kubeconfig: clusters/prod.kubeconfig\n"), 0o600)
	c, _, err := LoadConfig(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(cfgDir, "clusters", "prod.kubeconfig"); c.KubeconfigPath(func(string) string { return "" }) != want {
		t.Errorf("config kubeconfig: %q, want %q (relative to the config file)", c.KubeconfigPath(func(string) string { return "" }), want)
	}
	c.Kubeconfig = "./here.yaml" // set by a caller as typed
	if got := c.KubeconfigPath(func(string) string { return "" }); got != filepath.Join(work, "here.yaml") {
		t.Errorf("KubeconfigPath of a relative path: %q", got)
	}

	s, _ := openStore(t)
	ctx := context.Background()
	tgt := cceTarget("prod", "r", "c1")
	cred, err := s.AddCredential(ctx, tgt, issuedFor(t, newCA(t), tgt, t0, t0.Add(Day)), Meta{Kubeconfig: "sub/kc"})
	if err != nil {
		t.Fatal(err)
	}
	if cred.Kubeconfig != filepath.Join(work, "sub", "kc") {
		t.Errorf("stored kubeconfig %q, want it absolute", cred.Kubeconfig)
	}
	if err := s.RecordWrite(ctx, cred.ID, Written{Kubeconfig: "../other", Contexts: []string{"x"}, Mode: ModeInline}); err != nil {
		t.Fatal(err)
	}
	back, _ := s.Find(ctx, cred.ID)
	if back.Kubeconfig != filepath.Join(dir, "work", "other") || back.Attention() != "" {
		t.Errorf("recorded kubeconfig %q, want it absolute (%q)", back.Kubeconfig, back.Attention())
	}
	back.Kubeconfig = "kube/config" // as an older ccecert recorded it
	if a := back.Attention(); !strings.Contains(a, "relative kubeconfig path kube/config") || !strings.Contains(a, "ccecert renew "+back.ID) {
		t.Errorf("a relative record is not reported with its fix: %q", a)
	}
}
