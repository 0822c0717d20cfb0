package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// commentedKubeconfig is a hand-kept file: comments, an anchor and alias,
// a top-level key kubectl ignores.
const commentedKubeconfig = `# my clusters — hand kept
apiVersion: v1
kind: Config
x-team-notes: ask ops before editing  # unknown to client-go
defaults: &ns
  namespace: staging
clusters:
- name: lab
  cluster:
    server: https://127.0.0.1:6443
users:
- name: lab
  user:
    token: lab-token
contexts:
- name: lab
  context:
    cluster: lab
    user: lab
current-context: lab
`

// TestOriginalBytesNeverLost: the first write keeps the file's original
// bytes in FILE.ccecert-orig, which later writes never overwrite (the .bak
// rolls); the notices say once where it is, what the rewrite drops, and
// that the mode was tightened.
func TestOriginalBytesNeverLost(t *testing.T) {
	path := filepath.Join(hermetic(t), "config")
	if err := os.WriteFile(path, []byte(commentedKubeconfig), 0o644); err != nil {
		t.Fatal(err)
	}
	_ = os.Chmod(path, 0o644) // whatever the umask
	s := new(Store)
	ca := newCA(t)
	var all [][]string
	for i, id := range []string{"c1", "c2", "c3"} {
		tgt := cceTarget("svc-"+id, "eu-west-101", id)
		res, err := s.MergeFile(context.Background(), path, entryFor(tgt, issuedFor(t, ca, tgt, t0, t0.Add(Day))), MergeOptions{})
		if err != nil {
			t.Fatalf("write %d: %v", i, err)
		}
		all = append(all, res.Notices)
	}
	orig, err := os.ReadFile(path + OrigSuffix)
	if err != nil || string(orig) != commentedKubeconfig {
		t.Fatalf("original not kept byte for byte (%v):\n%s", err, orig)
	}
	if fi, _ := os.Stat(path + OrigSuffix); fi.Mode().Perm() != 0o600 {
		t.Errorf("the original's copy is mode %04o, want 0600", fi.Mode().Perm())
	}
	bak := loadFile(t, path+".bak")
	if len(bak.Contexts) != 5 { // lab + two each of svc-c1 and svc-c2: the content before the third write
		t.Errorf(".bak holds %d contexts, want the content before the last write (5)", len(bak.Contexts))
	}
	first := strings.Join(all[0], "\n")
	for _, want := range []string{path + OrigSuffix, "comments", "YAML anchors", `"x-team-notes"`, `"defaults"`, "mode 0644"} {
		if runtime.GOOS == "windows" && want == "mode 0644" {
			continue
		}
		if !strings.Contains(first, want) {
			t.Errorf("first write's notices lack %q:\n%s", want, first)
		}
	}
	if len(all[1]) != 0 || len(all[2]) != 0 {
		t.Errorf("later writes repeat notices: %q %q", all[1], all[2])
	}
	if fi, _ := os.Stat(path); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("kubeconfig mode %04o, want 0600", fi.Mode().Perm())
	}
	// The operator writes a comment in again: the next write says so again.
	data, _ := os.ReadFile(path)
	_ = os.WriteFile(path, append([]byte("# back again\n"), data...), 0o600)
	tgt := cceTarget("svc-c4", "eu-west-101", "c4")
	res, err := s.MergeFile(context.Background(), path, entryFor(tgt, issuedFor(t, ca, tgt, t0, t0.Add(Day))), MergeOptions{})
	if err != nil || !strings.Contains(strings.Join(res.Notices, "\n"), "comments") {
		t.Errorf("a re-added comment dropped without a word: %q, %v", res.Notices, err)
	}
	if again, _ := os.ReadFile(path + OrigSuffix); !bytes.Equal(again, orig) {
		t.Error("a later write overwrote the original's copy")
	}
}

// TestNewFileHasNoNotices: creating a kubeconfig keeps no "original".
func TestNewFileHasNoNotices(t *testing.T) {
	path := filepath.Join(hermetic(t), "fresh", "config")
	tgt := cceTarget("prod", "r", "c1")
	res, err := new(Store).MergeFile(context.Background(), path, entryFor(tgt, issuedFor(t, newCA(t), tgt, t0, t0.Add(Day))), MergeOptions{})
	if err != nil || len(res.Notices) != 0 {
		t.Fatalf("new file: %q, %v", res.Notices, err)
	}
	if _, err := os.Stat(path + OrigSuffix); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an original kept for a file that did not exist: %v", err)
	}
}

// TestDanglingSymlinkWrittenThrough: a link to a file not made yet (a
// dotfiles checkout, relative or absolute, even through a chain of links)
// gets its target created and stays a link.
func TestDanglingSymlinkWrittenThrough(t *testing.T) {
	dir := hermetic(t)
	cases := map[string]func(link string) string{
		"absolute": func(link string) string {
			target := filepath.Join(dir, "dotfiles", "kube", "config")
			must(t, os.Symlink(target, link))
			return target
		},
		"relative": func(link string) string {
			must(t, os.Symlink(filepath.Join("..", "elsewhere", "kc"), link))
			return filepath.Join(filepath.Dir(filepath.Dir(link)), "elsewhere", "kc")
		},
		"chain": func(link string) string {
			mid := link + "-mid"
			target := filepath.Join(dir, "chain-target")
			must(t, os.Symlink(target, mid))
			must(t, os.Symlink(mid, link))
			return target
		},
	}
	for name, mk := range cases {
		t.Run(name, func(t *testing.T) {
			home := filepath.Join(dir, name, ".kube")
			must(t, os.MkdirAll(home, 0o700))
			link := filepath.Join(home, "config")
			target := mk(link)
			tgt := cceTarget("prod", "r", "c1")
			mergeT(t, link, entryFor(tgt, issuedFor(t, newCA(t), tgt, t0, t0.Add(Day))), MergeOptions{})
			if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
				t.Fatalf("the link was replaced (%v)", err)
			}
			if len(loadFile(t, target).Contexts) != 2 {
				t.Fatal("the link's target was not written")
			}
			if len(loadFile(t, link).Contexts) != 2 {
				t.Fatal("the link does not lead to the written file")
			}
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Skip("no symlinks here:", err)
	}
}

// TestKubeconfigListNamesClash: a context, cluster or user name taken in
// any other file of $KUBECONFIG is not given to a new entry.
func TestKubeconfigListNamesClash(t *testing.T) {
	dir := hermetic(t)
	a, b, c := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "c")
	tgt := cceTarget("shop", "ap-southeast-3", "c9")
	// b: a context of the operator's named like ours; c: a cluster named
	// like our external context and a user named like ours.
	_ = os.WriteFile(b, []byte(`apiVersion: v1
kind: Config
clusters: [{name: mine, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: mine, user: {token: t}}]
contexts: [{name: shop-internal, context: {cluster: mine, user: mine}}]
`), 0o600)
	_ = os.WriteFile(c, []byte(`apiVersion: v1
kind: Config
clusters: [{name: shop-external, cluster: {server: "https://127.0.0.1:2"}}]
users: [{name: ccecert-shop, user: {token: t}}]
contexts: []
`), 0o600)
	res, err := new(Store).MergeFile(context.Background(), a, entryFor(tgt, issuedFor(t, newCA(t), tgt, t0, t0.Add(Day))),
		MergeOptions{Others: []string{a, b, filepath.Join(dir, "missing"), c}})
	if err != nil {
		t.Fatal(err)
	}
	merged, err := LoadKubeconfigs([]string{a, b, c})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range res.Contexts {
		if n == "shop-internal" || n == "shop-external" {
			t.Errorf("context %q is taken in another $KUBECONFIG file", n)
		}
		if merged.Contexts[n] == nil || merged.Contexts[n].AuthInfo != res.User {
			t.Errorf("context %q is shadowed in the merged view", n)
		}
	}
	if res.User == "ccecert-shop" {
		t.Error("user name taken in another $KUBECONFIG file reused")
	}
	for n := range loadFile(t, a).Clusters {
		if n == "shop-external" || n == "mine" {
			t.Errorf("cluster name %q is taken in another $KUBECONFIG file", n)
		}
	}
	// An unreadable other file is an error, not a guess.
	_ = os.WriteFile(b, []byte("clusters: [\n"), 0o600)
	if _, err := new(Store).MergeFile(context.Background(), filepath.Join(dir, "d"), entryFor(tgt, issuedFor(t, newCA(t), tgt, t0, t0.Add(Day))),
		MergeOptions{Others: []string{b}}); err == nil || !strings.Contains(err.Error(), b) {
		t.Errorf("a malformed other file: %v", err)
	}
}

// TestMergeContextEndsTheLockWait: a cancelled context ends the wait for
// a live writer's lock promptly, writes nothing and leaves the other's
// lock; WaitKubeconfigLock reports the holder before anything is done.
func TestMergeContextEndsTheLockWait(t *testing.T) {
	path := filepath.Join(hermetic(t), "config")
	_ = os.WriteFile(path, []byte(userKubeconfig), 0o600)
	_ = os.WriteFile(path+".lock", []byte("1 abc 0\n"), 0o600) // pid 1: alive, not us
	ctx, cancel := context.WithCancel(context.Background())
	tgt := cceTarget("prod", "r", "c1")
	done := make(chan error, 1)
	go func() {
		_, err := new(Store).MergeFile(ctx, path, entryFor(tgt, issuedFor(t, newCA(t), tgt, t0, t0.Add(Day))), MergeOptions{LockTimeout: time.Hour})
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled merge: %v", err)
		}
	case <-time.After(time.Minute): // a hang, not a timing assertion
		t.Fatal("the cancelled merge kept waiting for the lock")
	}
	if got, _ := os.ReadFile(path); string(got) != userKubeconfig {
		t.Fatal("file changed")
	}
	if _, err := os.Stat(path + ".lock"); err != nil {
		t.Fatal("the live writer's lock was removed")
	}
	var le *LockError
	if err := WaitKubeconfigLock(context.Background(), path, 50*time.Millisecond); !errors.As(err, &le) || le.PID != 1 {
		t.Fatalf("WaitKubeconfigLock with a live holder: %v", err)
	}
	_ = os.WriteFile(path+".lock", []byte("4194303 abc 0\n"), 0o600) // dead holder
	if err := WaitKubeconfigLock(context.Background(), path, time.Minute); err != nil {
		t.Fatalf("WaitKubeconfigLock with a dead holder: %v", err)
	}
	if err := WaitKubeconfigLock(context.Background(), filepath.Join(filepath.Dir(path), "unlocked"), time.Minute); err != nil {
		t.Fatalf("no lock: %v", err)
	}
}

// TestCancelDuringWriteFinishes: a context cancelled once the write holds
// the lock does not stop it halfway: the file is whole, and no lock or
// temp file stays.
func TestCancelDuringWriteFinishes(t *testing.T) {
	path := filepath.Join(hermetic(t), "config")
	_ = os.WriteFile(path, []byte(userKubeconfig), 0o600)
	ctx, cancel := context.WithCancel(context.Background())
	tgt := cceTarget("prod", "r", "c1")
	opts := MergeOptions{hooks: writeHooks{afterTemp: func(string) { cancel() }}}
	if _, err := new(Store).MergeFile(ctx, path, entryFor(tgt, issuedFor(t, newCA(t), tgt, t0, t0.Add(Day))), opts); err != nil {
		t.Fatalf("write cancelled under way: %v", err)
	}
	if len(loadFile(t, path).Contexts) != 3 {
		t.Fatal("the write did not finish")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if strings.Contains(e.Name(), ".lock") || strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}
