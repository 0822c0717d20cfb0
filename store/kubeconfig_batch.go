package store

import (
	"errors"
	"fmt"
	"sync"

	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// kubeWriter coalesces one process's merges into the same kubeconfig (group
// commit). A merge that arrives while the file is being written waits for
// the next write, which applies every waiting merge in arrival order under
// one lock, one read and one atomic write. Each merge still lands whole or
// not at all and gets its own result; other processes still serialize on
// the lock file. Without it, a bulk renew of N credentials re-reads,
// re-encodes and fsyncs the whole file N times, one writer at a time.
type kubeWriter struct {
	mu    sync.Mutex
	files map[string][]*mergeReq // by path: the merges waiting for the next write
}

// mergeReq is one merge waiting to be written.
type mergeReq struct {
	mutate func(*clientcmdapi.Config) (mergeResult, error)
	opts   fileOptions
	res    mergeResult
	err    error
	// wake says true: write the batch now (this request leads it), or
	// false: the request was written (or failed) by another's batch.
	wake chan bool
}

// errNoneApplied stops a batch whose every merge failed: nothing is written.
var errNoneApplied = errors.New("no merge in the batch applied")

// merge applies mutate to the kubeconfig at path, batched with the merges
// of this process in flight for the same path.
func (w *kubeWriter) merge(path string, opts fileOptions, mutate func(*clientcmdapi.Config) (mergeResult, error)) (mergeResult, error) {
	r := &mergeReq{mutate: mutate, opts: opts, wake: make(chan bool, 1)}
	w.mu.Lock()
	if w.files == nil {
		w.files = map[string][]*mergeReq{}
	}
	queue, busy := w.files[path]
	w.files[path] = append(queue, r)
	w.mu.Unlock()
	if busy && !<-r.wake {
		return r.res, r.err
	}
	w.lead(path)
	return r.res, r.err
}

// lead writes the waiting batch of path (the leader's own request is in
// it), then hands the file to the first merge that arrived meanwhile, or
// marks it idle.
func (w *kubeWriter) lead(path string) {
	w.mu.Lock()
	batch := w.files[path]
	w.files[path] = []*mergeReq{} // present and empty: a write is in progress
	w.mu.Unlock()
	writeBatch(path, batch)
	for _, r := range batch[1:] {
		r.wake <- false
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if next := w.files[path]; len(next) > 0 {
		next[0].wake <- true
		return
	}
	delete(w.files, path)
}

// writeBatch applies each merge of batch to its own copy of the file's
// content, keeps those that succeed, and writes the result once, with the
// first merge's lock options (one engine's merges all pass the same). A
// merge that fails leaves no trace; a write that fails fails every merge.
func writeBatch(path string, batch []*mergeReq) {
	notices, err := updateKubeconfig(path, batch[0].opts, func(cfg *clientcmdapi.Config) error {
		applied := 0
		for _, r := range batch {
			trial := cfg
			if len(batch) > 1 {
				trial = cfg.DeepCopy()
			}
			res, err := r.mutate(trial)
			if err != nil {
				r.err = fmt.Errorf("update kubeconfig %s: %w; nothing was written", path, err)
				continue
			}
			*cfg = *trial
			r.res = res
			applied++
		}
		if applied == 0 {
			return errNoneApplied
		}
		return nil
	})
	if err == nil {
		for _, r := range batch {
			if r.err == nil { // the first that applied tells the file's notices
				r.res.notices = notices
				break
			}
		}
		return
	}
	for _, r := range batch {
		if r.err == nil {
			r.res, r.err = mergeResult{}, err
		}
	}
}
