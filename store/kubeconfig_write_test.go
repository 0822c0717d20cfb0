package store

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"ccecert/api"
)

func TestMergeBadInputChangesNothing(t *testing.T) {
	ca := newCA(t)
	tgt := cceTarget("prod", "cn-north-4", "c1")
	iss := issuedFor(t, ca, tgt, t0, t0.Add(Day))
	_, otherKey := ca.issue(t, "x", t0, t0.Add(Day))
	cases := map[string]struct {
		existing string
		entry    Entry
		want     string
	}{
		"malformed existing": {"clusters: [\n  - name: x\n", entryFor(tgt, iss), "malformed"},
		"truncated existing": {userKubeconfig[:len(userKubeconfig)/2] + "\n  bad: [", entryFor(tgt, iss), "malformed"},
		"not a kubeconfig":   {"just: some\nother: yaml\n", entryFor(tgt, iss), "not a kubeconfig"},
		"garbage cert data":  {userKubeconfig + "  bogus: {\n", entryFor(tgt, iss), "malformed"},
		"key mismatch":       {userKubeconfig, Entry{Target: tgt, Contexts: iss.Contexts, CertPEM: iss.CertPEM, Key: api.Secret(otherKey)}, "does not match"},
		"http server":        {userKubeconfig, Entry{Target: tgt, Contexts: []api.IssuedContext{{Name: "i", Role: api.RoleInternal, Server: "http://1.2.3.4"}}, CertPEM: iss.CertPEM, Key: iss.Key}, "https"},
		"no contexts":        {userKubeconfig, Entry{Target: tgt, CertPEM: iss.CertPEM, Key: iss.Key}, "no contexts"},
	}
	for name, c := range cases {
		path := filepath.Join(t.TempDir(), "config")
		_ = os.WriteFile(path, []byte(c.existing), 0o600)
		_, err := mergeFile(path, c.entry, MergeOptions{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", name, err, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "PRIVATE KEY") {
			t.Errorf("%s: error leaks the key", name)
		}
		assertUnchanged(t, path, []byte(c.existing))
	}
}

// assertUnchanged checks path holds want and no backup, lock or temp file
// was left beside it.
func assertUnchanged(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("%s changed (%v)", path, err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if e.Name() != filepath.Base(path) {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

func TestMergeReadOnlyAndUnwritable(t *testing.T) {
	tgt := cceTarget("prod", "cn-north-4", "c1")
	e := entryFor(tgt, issuedFor(t, newCA(t), tgt, t0, t0.Add(Day)))
	path := filepath.Join(hermetic(t), "config")
	_ = os.WriteFile(path, []byte(userKubeconfig), 0o400)
	if _, err := mergeFile(path, e, MergeOptions{}); err == nil || !strings.Contains(err.Error(), "read-only") || !errors.Is(err, ErrNotWritable) {
		t.Fatalf("read-only: %v", err)
	}
	assertUnchanged(t, path, []byte(userKubeconfig))
	// A parent that is a file: nothing can be created there.
	blocker := filepath.Join(t.TempDir(), "file")
	_ = os.WriteFile(blocker, []byte("x"), 0o600)
	if _, err := mergeFile(filepath.Join(blocker, "config"), e, MergeOptions{}); err == nil {
		t.Fatal("path under a file accepted")
	}
}

// fullDisk fails with ENOSPC after n bytes.
type fullDisk struct {
	w io.Writer
	n int
}

func (d *fullDisk) Write(p []byte) (int, error) {
	if len(p) > d.n {
		k, _ := d.w.Write(p[:d.n])
		d.n = 0
		return k, &os.PathError{Op: "write", Path: "temp", Err: syscall.ENOSPC}
	}
	d.n -= len(p)
	return d.w.Write(p)
}

func TestMergeDiskFullLeavesOldFile(t *testing.T) {
	path := filepath.Join(hermetic(t), "config")
	_ = os.WriteFile(path, []byte(userKubeconfig), 0o600)
	tgt := cceTarget("prod", "cn-north-4", "c1")
	opts := MergeOptions{hooks: writeHooks{wrapTemp: func(w io.Writer) io.Writer { return &fullDisk{w: w, n: 100} }}}
	_, err := mergeFile(path, entryFor(tgt, issuedFor(t, newCA(t), tgt, t0, t0.Add(Day))), opts)
	if !errors.Is(err, syscall.ENOSPC) || !strings.Contains(err.Error(), "unchanged") {
		t.Fatalf("disk full: %v", err)
	}
	assertUnchanged(t, path, []byte(userKubeconfig))
}

func TestLockHeldByLiveProcess(t *testing.T) {
	path := filepath.Join(hermetic(t), "config")
	_ = os.WriteFile(path, []byte(userKubeconfig), 0o600)
	// PID 1 is alive and is not us; the lock is fresh.
	_ = os.WriteFile(path+".lock", []byte("1 abc 0\n"), 0o600)
	tgt := cceTarget("prod", "cn-north-4", "c1")
	_, err := mergeFile(path, entryFor(tgt, issuedFor(t, newCA(t), tgt, t0, t0.Add(Day))), MergeOptions{LockTimeout: 150 * time.Millisecond})
	var le *LockError
	if !errors.As(err, &le) || le.PID != 1 || !strings.Contains(err.Error(), "locked by process 1") {
		t.Fatalf("live lock: %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != userKubeconfig {
		t.Fatal("file changed under a live lock")
	}
	if _, err := os.Stat(path + ".lock"); err != nil {
		t.Fatal("someone else's live lock was removed")
	}
}

func TestStaleLocksAreTakenOver(t *testing.T) {
	tgt := cceTarget("prod", "cn-north-4", "c1")
	e := entryFor(tgt, issuedFor(t, newCA(t), tgt, t0, t0.Add(Day)))
	dir := hermetic(t)
	// A dead pid: the highest pids are free on any ordinary machine.
	dead := filepath.Join(dir, "dead")
	_ = os.WriteFile(dead+".lock", []byte("4194303 abc 0\n"), 0o600)
	if _, err := mergeFile(dead, e, MergeOptions{LockTimeout: time.Second}); err != nil {
		t.Fatalf("dead holder: %v", err)
	}
	// A live holder, but the lock is older than StaleLock.
	old := filepath.Join(dir, "old")
	_ = os.WriteFile(old+".lock", []byte("1 abc 0\n"), 0o600)
	past := time.Now().Add(-time.Hour)
	_ = os.Chtimes(old+".lock", past, past)
	if _, err := mergeFile(old, e, MergeOptions{LockTimeout: time.Second, StaleLock: time.Minute}); err != nil {
		t.Fatalf("old lock: %v", err)
	}
	for _, p := range []string{dead, old} {
		if _, err := os.Stat(p + ".lock"); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s.lock left: %v", p, err)
		}
		loadFile(t, p)
	}
}

func TestSymlinkedKubeconfigStaysALink(t *testing.T) {
	dir := hermetic(t)
	real := filepath.Join(dir, "real-config")
	link := filepath.Join(dir, "config")
	_ = os.WriteFile(real, []byte(userKubeconfig), 0o600)
	if err := os.Symlink(real, link); err != nil {
		t.Skip("no symlinks here:", err)
	}
	tgt := cceTarget("prod", "r", "c1")
	mergeT(t, link, entryFor(tgt, issuedFor(t, newCA(t), tgt, t0, t0.Add(Day))), MergeOptions{})
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Fatal("symlink replaced by a file")
	}
	if len(loadFile(t, real).Contexts) != 3 {
		t.Fatal("real file not updated")
	}
}
