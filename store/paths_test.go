package store

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func mapEnv(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaultPaths(t *testing.T) {
	p, err := DefaultPaths(mapEnv(map[string]string{"HOME": "/home/op"}))
	if err != nil {
		t.Fatal(err)
	}
	want := Paths{ConfigFile: "/home/op/.config/ccecert/config.yaml", DataDir: "/home/op/.local/share/ccecert", Database: "/home/op/.local/share/ccecert/ccecert.db"}
	if p != want {
		t.Fatalf("got %+v", p)
	}
	p, _ = DefaultPaths(mapEnv(map[string]string{"HOME": "/home/op", "XDG_CONFIG_HOME": "/cfg", "XDG_DATA_HOME": "relative/ignored"}))
	if p.ConfigFile != "/cfg/ccecert/config.yaml" || p.DataDir != "/home/op/.local/share/ccecert" {
		t.Fatalf("XDG: %+v", p)
	}
	if _, err := DefaultPaths(mapEnv(nil)); err == nil {
		t.Fatal("no HOME and no XDG accepted")
	}
}

func TestDemoPaths(t *testing.T) {
	p, err := DemoPaths(mapEnv(map[string]string{"HOME": "/h", "XDG_DATA_HOME": "/data", "KUBECONFIG": "/real/kubeconfig"}))
	if err != nil {
		t.Fatal(err)
	}
	if p.DataDir != "/data/ccecert/demo" || p.Kubeconfig != "/data/ccecert/demo/kubeconfig" || p.Database != "/data/ccecert/demo/ccecert.db" || !p.Demo {
		t.Fatalf("demo paths %+v", p)
	}
}

func TestKubeconfigPaths(t *testing.T) {
	sep := string(filepath.ListSeparator)
	got := KubeconfigPaths(mapEnv(map[string]string{"HOME": "/h", "KUBECONFIG": "/a" + sep + sep + "/b" + sep + "/a"}))
	if !reflect.DeepEqual(got, []string{"/a", "/b"}) {
		t.Fatalf("list: %v", got)
	}
	if got := KubeconfigPaths(mapEnv(map[string]string{"HOME": "/h"})); !reflect.DeepEqual(got, []string{"/h/.kube/config"}) {
		t.Fatalf("default: %v", got)
	}
}

func TestEnsureDirTightens(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a", "b")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := EnsureDir(dir); err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(dir)
	if fi.Mode().Perm() != 0o700 {
		t.Fatalf("mode %o", fi.Mode().Perm())
	}
}
