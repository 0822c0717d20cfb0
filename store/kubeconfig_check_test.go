package store

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
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

// TestMergeTakesTheCheckParseOnlyForTheSameBytes: a merge after a check
// reuses the check's parse only while the file holds what the check read:
// an edit in between (another writer, the operator) is merged, not lost.
func TestMergeTakesTheCheckParseOnlyForTheSameBytes(t *testing.T) {
	path := filepath.Join(hermetic(t), "config")
	if err := os.WriteFile(path, []byte(userKubeconfig), 0o600); err != nil {
		t.Fatal(err)
	}
	ca := newCA(t)
	s := new(Store)
	merge := func(name string) {
		t.Helper()
		tgt := cceTarget(name, "cn-north-4", "id-"+name)
		if _, _, err := s.Merge(path, entryFor(tgt, issuedFor(t, ca, tgt, t0, t0.AddDate(0, 1, 0))), MergeOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.CheckKubeconfig(path); err != nil {
		t.Fatal(err)
	}
	if s.checks.last == nil {
		t.Fatal("the check kept no parse for the merge")
	}
	merge("first")
	if s.checks.last != nil {
		t.Error("the merge left the check's parse for another")
	}
	// Checked, then changed before the merge: the merge must see the change.
	if err := s.CheckKubeconfig(path); err != nil {
		t.Fatal(err)
	}
	cfg, err := readKubeconfigFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Contexts["edited-meanwhile"] = cfg.Contexts["minikube"]
	data, err := encodeKubeconfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	merge("second")
	got, err := readKubeconfigFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"edited-meanwhile", "minikube", "first-internal", "second-internal"} {
		if got.Contexts[want] == nil {
			t.Errorf("context %q lost; have %v", want, slices.Sorted(maps.Keys(got.Contexts)))
		}
	}
}
