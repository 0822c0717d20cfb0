package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// addContext is a merge that adds one context (and its cluster and user).
func addContext(name string) func(*clientcmdapi.Config) (mergeResult, error) {
	return func(cfg *clientcmdapi.Config) (mergeResult, error) {
		cl := clientcmdapi.NewCluster()
		cl.Server = "https://127.0.0.1:6443"
		cfg.Clusters[name] = cl
		cfg.AuthInfos[name] = clientcmdapi.NewAuthInfo()
		c := clientcmdapi.NewContext()
		c.Cluster, c.AuthInfo = name, name
		cfg.Contexts[name] = c
		return mergeResult{contexts: []string{name}, user: name}, nil
	}
}

func contextNames(cfg *clientcmdapi.Config) []string {
	var out []string
	for n := range cfg.Contexts {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// waitQueued waits until n merges of path are queued behind the write in
// progress.
func waitQueued(t *testing.T, w *kubeWriter, path string, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		w.mu.Lock()
		got := len(w.files[path])
		w.mu.Unlock()
		if got == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d merges queued, want %d", got, n)
		}
		time.Sleep(time.Millisecond)
	}
}

// TestKubeWriterBatchesWaitingMerges holds a first write open while three
// more merges arrive: they are written together, in one write (the backup
// is the file as the first write left it), each gets its own result, and
// the one that fails — after changing its copy — leaves no trace.
func TestKubeWriterBatchesWaitingMerges(t *testing.T) {
	path := filepath.Join(hermetic(t), "kube", "config")
	w := &kubeWriter{}
	entered, release := make(chan struct{}), make(chan struct{})
	first := func(cfg *clientcmdapi.Config) (mergeResult, error) {
		close(entered)
		<-release
		return addContext("a")(cfg)
	}
	failing := func(cfg *clientcmdapi.Config) (mergeResult, error) {
		_, _ = addContext("c")(cfg)
		return mergeResult{}, errors.New("name clash")
	}
	mutations := []func(*clientcmdapi.Config) (mergeResult, error){first, addContext("b"), failing, addContext("d")}
	results := make([]mergeResult, len(mutations))
	errs := make([]error, len(mutations))
	var wg sync.WaitGroup
	for i, m := range mutations {
		wg.Go(func() { results[i], errs[i] = w.merge(path, fileOptions{}, m) })
		if i == 0 {
			<-entered
		} else {
			waitQueued(t, w, path, i)
		}
	}
	close(release)
	wg.Wait()
	for i, want := range []string{"a", "b", "", "d"} {
		if want == "" {
			if errs[i] == nil || !strings.Contains(errs[i].Error(), "name clash") || !strings.Contains(errs[i].Error(), "nothing was written") {
				t.Errorf("merge %d: err %v, want the clash and nothing written", i, errs[i])
			}
			continue
		}
		if errs[i] != nil || !slices.Equal(results[i].contexts, []string{want}) || results[i].user != want {
			t.Errorf("merge %d: %+v %v, want context and user %q", i, results[i], errs[i], want)
		}
	}
	if got := contextNames(loadFile(t, path)); !slices.Equal(got, []string{"a", "b", "d"}) {
		t.Errorf("file has contexts %v, want a b d", got)
	}
	if got := contextNames(loadFile(t, path+".bak")); !slices.Equal(got, []string{"a"}) {
		t.Errorf("backup has contexts %v, want a (b and d written in one write)", got)
	}
	if len(w.files) != 0 {
		t.Errorf("writer still tracks %v", w.files)
	}
}

// TestKubeWriterFailedWriteFailsTheBatch: a malformed file fails every
// merge waiting on it, and is left as it was.
func TestKubeWriterFailedWriteFailsTheBatch(t *testing.T) {
	path := filepath.Join(hermetic(t), "config")
	if err := os.WriteFile(path, []byte("clusters: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	w := &kubeWriter{}
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() { _, errs[i] = w.merge(path, fileOptions{}, addContext(fmt.Sprint("ctx", i))) })
	}
	wg.Wait()
	for i, err := range errs {
		if err == nil || !strings.Contains(err.Error(), "malformed") {
			t.Errorf("merge %d: err %v, want malformed", i, err)
		}
	}
	assertUnchanged(t, path, []byte("clusters: [\n"))
}

// TestStoreMergesConcurrentlyIntoOneFile: many fetch-like merges at once
// through a Store all land, each with its own names and user entry.
func TestStoreMergesConcurrentlyIntoOneFile(t *testing.T) {
	s, _ := openStore(t)
	path := filepath.Join(t.TempDir(), "config")
	ca := newCA(t)
	const n = 24
	names := make([][]string, n)
	users := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		tgt := cceTarget(fmt.Sprintf("c%02d", i), "cn-north-4", fmt.Sprintf("id%02d", i))
		e := entryFor(tgt, issuedFor(t, ca, tgt, t0, t0.Add(Day)))
		wg.Go(func() { names[i], users[i], errs[i] = s.Merge(path, e, MergeOptions{}) })
	}
	wg.Wait()
	cfg := loadFile(t, path)
	for i := range n {
		if errs[i] != nil || len(names[i]) != 2 {
			t.Fatalf("merge %d: %v %v", i, names[i], errs[i])
		}
		for _, name := range names[i] {
			if c := cfg.Contexts[name]; c == nil || c.AuthInfo != users[i] || cfg.AuthInfos[users[i]] == nil {
				t.Errorf("merge %d: context %s missing or not on user %q", i, name, users[i])
			}
		}
	}
	if len(cfg.Contexts) != 2*n {
		t.Errorf("%d contexts, want %d", len(cfg.Contexts), 2*n)
	}
}
