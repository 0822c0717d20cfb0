package store

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// benchKubeconfig writes a kubeconfig holding targets×2 contexts (internal
// and external, one inline user per target), as ccecert writes them, and
// returns its path.
func benchKubeconfig(b *testing.B, dir string, ca *testCA, targets int) string {
	b.Helper()
	tmpl, err := parseNaming("")
	if err != nil {
		b.Fatal(err)
	}
	cfg := clientcmdapi.NewConfig()
	for i := range targets {
		tgt := cceTarget(fmt.Sprintf("cluster-%04d", i), "cn-north-4", fmt.Sprintf("id-%04d", i))
		if _, err := mergeEntry(cfg, entryFor(tgt, issuedFor(b, ca, tgt, t0, t0.AddDate(0, 1, 0))), tmpl, takenNames{}, MergeOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	path := filepath.Join(dir, "kubeconfig")
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		b.Fatal(err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkMerge500 merges one renewed credential (a new certificate each
// op) into a kubeconfig already holding 500 contexts: lock, read, parse,
// merge, encode, fsync'd temp file, backup, rename, directory fsync.
func BenchmarkMerge500(b *testing.B) {
	dir := b.TempDir()
	ca := newCA(b)
	path := benchKubeconfig(b, dir, ca, 250)
	tgt := cceTarget("cluster-0100", "cn-north-4", "id-0100") // already in the file
	entries := make([]Entry, 16)
	for i := range entries {
		entries[i] = entryFor(tgt, issuedFor(b, ca, tgt, t0, t0.AddDate(0, 1, i)))
	}
	i := 0
	for b.Loop() {
		names, err := mergeFile(path, entries[i%len(entries)], MergeOptions{})
		if err != nil || len(names) != 2 {
			b.Fatalf("Merge: %v %v", names, err)
		}
		i++
	}
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(fi.Size())/1024, "file_KiB")
}

// BenchmarkGetWrite500 is the kubeconfig work of one `ccecert get` into an
// operator's kubeconfig of 500 contexts (1.8 MB, RSA certificates inline,
// as kubectl writes it), from a fresh copy each op so each is a first
// write: the early check (CheckKubeconfig), then the merge (lock, read,
// parse, merge, encode, temp file fsync'd, .ccecert-orig and .bak kept,
// rename, directory fsync).
func BenchmarkGetWrite500(b *testing.B) {
	data := bigKubeconfig(b, newRSAFixture(b, 2), 500, true)
	dir := b.TempDir()
	path := filepath.Join(dir, "kubeconfig")
	ca := newCA(b)
	tgt := cceTarget("new-cluster", "cn-north-4", "id-new")
	e := entryFor(tgt, issuedFor(b, ca, tgt, t0, t0.AddDate(0, 1, 0)))
	for b.Loop() {
		b.StopTimer()
		for _, p := range []string{path + ".bak", path + OrigSuffix} {
			if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
				b.Fatal(err)
			}
		}
		if err := os.WriteFile(path, data, 0o600); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		s := new(Store)
		if err := s.CheckKubeconfig(path); err != nil {
			b.Fatal(err)
		}
		if names, _, err := s.Merge(path, e, MergeOptions{}); err != nil || len(names) != 2 {
			b.Fatalf("Merge: %v %v", names, err)
		}
	}
	b.ReportMetric(float64(len(data))/1024, "file_KiB")
}
