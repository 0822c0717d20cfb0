package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestKubeChecksSeeEveryNewVersion: the remembered check never hides a
// change: a file that turns malformed is refused, and fine again once fixed.
func TestKubeChecksSeeEveryNewVersion(t *testing.T) {
	path := filepath.Join(hermetic(t), "config")
	k := &kubeChecks{}
	write := func(content string, mtime time.Time) {
		t.Helper()
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	if err := k.check(path); err != nil {
		t.Fatalf("missing file in a writable dir: %v", err)
	}
	write(userKubeconfig, t0)
	for range 2 {
		if err := k.check(path); err != nil {
			t.Fatalf("valid file: %v", err)
		}
	}
	write("clusters: [\n", t0) // another size
	if err := k.check(path); err == nil || !strings.Contains(err.Error(), "malformed") || errors.Is(err, ErrNotWritable) {
		t.Fatalf("malformed file: err %v", err)
	}
	bad := []byte(userKubeconfig)
	bad[0] = '\t' // same size, a tab where YAML forbids one
	write(string(bad), t0.Add(time.Second))
	if err := k.check(path); err == nil || !strings.Contains(err.Error(), "malformed") {
		t.Fatalf("same size, new mtime, malformed: err %v", err)
	}
	write(userKubeconfig, t0.Add(2*time.Second))
	if err := k.check(path); err != nil {
		t.Fatalf("fixed file: %v", err)
	}
	if err := os.Chmod(path, 0o400); err != nil {
		t.Fatal(err)
	}
	if err := k.check(path); err == nil || !strings.Contains(err.Error(), "read-only") || !errors.Is(err, ErrNotWritable) {
		t.Fatalf("read-only file, content unchanged: err %v", err)
	}
}
