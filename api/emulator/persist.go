package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// stateVersion is the layout of state.json; another one is started over.
const stateVersion = 1

// keptState is what a kept emulator (the demo's) remembers between runs,
// in DIR/emulator/state.json (0600, its dir 0700): each cluster's and
// fleet's CA (and its man in the middle's), the addresses of its API
// servers, and the certificates it issued and revoked and the hashes of
// the tokens it issued. So credentials from one run verify in the next:
// the kubeconfig's certificate-authority-data still signs the API server,
// its client certificate still chains to the cluster CA and is known.
// The CA keys are the emulator's own test keys, never printed.
type keptState struct {
	Version int                    `json:"version"`
	Targets map[string]*keptTarget `json:"targets"`
}

// keptTarget is one cluster's or fleet's runtime at rest.
type keptTarget struct {
	CA      pemPair               `json:"ca"`
	MITMCA  *pemPair              `json:"mitm_ca,omitempty"`
	Addrs   []string              `json:"addrs,omitempty"` // host:port, internal first
	Seq     uint64                `json:"seq"`
	Issued  map[string]keptIssued `json:"issued,omitempty"`  // by serial
	Revoked map[string]uint64     `json:"revoked,omitempty"` // user → last seq revoked
	Tokens  []string              `json:"token_sha256,omitempty"`
}

type keptIssued struct {
	User string `json:"user"`
	Seq  uint64 `json:"seq"`
}

// stateKeeper saves a server's runtimes into its state file after each
// change.
type stateKeeper struct {
	path     string
	mu       sync.Mutex
	runtimes map[string]*targetRuntime // by state key
	last     []byte                    // what state.json holds: a save that would not change it writes nothing
	err      error                     // the first failed save, reported by Close
}

// stateDir is where a kept emulator's files are, under dir.
func stateDir(dir string) string { return filepath.Join(dir, "emulator") }

// loadState reads DIR/emulator/state.json; a missing file is a fresh
// state. A file that does not parse is an error that says how to start
// over.
func loadState(dir string) (*keptState, error) {
	st, _, err := loadStateBytes(dir)
	return st, err
}

// loadStateBytes is loadState with the file's bytes.
func loadStateBytes(dir string) (*keptState, []byte, error) {
	path := filepath.Join(stateDir(dir), "state.json")
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return &keptState{Version: stateVersion, Targets: map[string]*keptTarget{}}, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read the demo emulator's state: %w", err)
	}
	st := &keptState{}
	if err := json.Unmarshal(data, st); err != nil || st.Version != stateVersion {
		return nil, nil, fmt.Errorf("the demo emulator's state %s is damaged or from another version: remove %s to start the demo over", path, stateDir(dir))
	}
	if st.Targets == nil {
		st.Targets = map[string]*keptTarget{}
	}
	return st, data, nil
}

// keep restores every runtime of s and its accounts from st, starts their
// API servers (on the kept addresses where they are free) and saves after
// every change from then on. moved maps each kept server URL that had to
// move (its port was taken) to the new one.
func keep(s *Server, st *keptState, last []byte, dir string) (k *stateKeeper, moved map[string]string, err error) {
	moved = map[string]string{}
	k = &stateKeeper{path: filepath.Join(stateDir(dir), "state.json"), runtimes: map[string]*targetRuntime{}, last: last}
	for _, acct := range s.accounts() {
		for i := range acct.idx.inv.Clusters {
			c := acct.idx.clusters[acct.idx.inv.Clusters[i].ID]
			rt, err := acct.clusterRuntime(c)
			if err != nil {
				return nil, nil, err
			}
			k.runtimes["cluster/"+c.ID] = rt
		}
		for i := range acct.idx.inv.Fleets {
			f := acct.idx.fleets[acct.idx.inv.Fleets[i].ID]
			rt, err := acct.fleetRuntime(f)
			if err != nil {
				return nil, nil, err
			}
			k.runtimes["fleet/"+f.ID] = rt
		}
	}
	for key, rt := range k.runtimes {
		if kt := st.Targets[key]; kt != nil {
			if err := rt.restore(kt); err != nil {
				return nil, nil, fmt.Errorf("the demo emulator's state: %s: %w (remove %s to start the demo over)", rt.name, err, stateDir(dir))
			}
		}
		urls, err := rt.endpoints()
		if err != nil {
			return nil, nil, err
		}
		for i, addr := range rt.want {
			if i < len(urls) && "https://"+addr != urls[i] {
				moved["https://"+addr] = urls[i]
			}
		}
	}
	for _, rt := range k.runtimes {
		rt.changed = func() { k.save() }
	}
	return k, moved, k.saveErr()
}

// restore sets the runtime's CAs, addresses and records from kt, before
// anything used them.
func (rt *targetRuntime) restore(kt *keptTarget) error {
	ca, err := authorityAtRest(kt.CA)
	if err != nil {
		return err
	}
	rt.caOnce.Do(func() { rt.ca = ca })
	if kt.MITMCA != nil {
		mitm, err := authorityAtRest(*kt.MITMCA)
		if err != nil {
			return err
		}
		rt.mitmCAOnce.Do(func() { rt.mitmCA = mitm })
	}
	rt.want = append([]string(nil), kt.Addrs...)
	rt.mu.Lock()
	defer rt.mu.Unlock()
	rt.seq = kt.Seq
	for serial, rec := range kt.Issued {
		rt.issued[serial] = issueRecord{user: rec.User, seq: rec.Seq}
	}
	for user, seq := range kt.Revoked {
		rt.revoked[user] = seq
	}
	for _, h := range kt.Tokens {
		rt.tokens[h] = true
	}
	// A fleet that issued anything had its federation connection made.
	rt.connected = len(kt.Issued) > 0 || len(kt.Tokens) > 0
	return nil
}

// atRest is the runtime as kept.
func (rt *targetRuntime) atRest() (*keptTarget, error) {
	ca, err := rt.authority()
	if err != nil {
		return nil, err
	}
	kt := &keptTarget{Issued: map[string]keptIssued{}, Revoked: map[string]uint64{}}
	if kt.CA, err = ca.atRest(); err != nil {
		return nil, err
	}
	if rt.mitm {
		mitm, err := rt.mitmAuthority()
		if err != nil {
			return nil, err
		}
		p, err := mitm.atRest()
		if err != nil {
			return nil, err
		}
		kt.MITMCA = &p
	}
	for _, u := range rt.urls {
		kt.Addrs = append(kt.Addrs, strings.TrimPrefix(u, "https://"))
	}
	rt.mu.Lock()
	defer rt.mu.Unlock()
	kt.Seq = rt.seq
	for serial, rec := range rt.issued {
		kt.Issued[serial] = keptIssued{User: rec.user, Seq: rec.seq}
	}
	for user, seq := range rt.revoked {
		kt.Revoked[user] = seq
	}
	for h := range rt.tokens {
		kt.Tokens = append(kt.Tokens, h)
	}
	sort.Strings(kt.Tokens)
	return kt, nil
}

// save writes the whole state: to a temp file in the same dir (0600),
// synced, then renamed over state.json, so a crash leaves the old or the
// new one, whole. The first failure is kept for Close.
func (k *stateKeeper) save() {
	k.mu.Lock()
	defer k.mu.Unlock()
	st := keptState{Version: stateVersion, Targets: map[string]*keptTarget{}}
	for key, rt := range k.runtimes {
		kt, err := rt.atRest()
		if err != nil {
			k.fail(err)
			return
		}
		st.Targets[key] = kt
	}
	data, err := json.MarshalIndent(st, "", " ")
	if err != nil {
		k.fail(err)
		return
	}
	if bytes.Equal(data, k.last) {
		return
	}
	if err := writeFileAtomic(k.path, data); err != nil {
		k.fail(err)
		return
	}
	k.last = data
}

func (k *stateKeeper) fail(err error) {
	if err != nil && k.err == nil {
		k.err = fmt.Errorf("save the demo emulator's state: %w", err)
	}
}

func (k *stateKeeper) saveErr() error {
	k.save()
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.err
}

// writeFileAtomic writes data to path (0600) through a synced temp file
// and a rename.
func writeFileAtomic(path string, data []byte) error { return writeFileRenamed(path, data, true) }

// writeFileRenamed writes data to path (0600) through a temp file (synced
// when sync) and a rename, so a reader sees the old file or the new one.
func writeFileRenamed(path string, data []byte, sync bool) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp.Name()) }()
	if err := tmp.Chmod(0o600); err != nil {
		_ = tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return err
	}
	if sync {
		if err := tmp.Sync(); err != nil {
			_ = tmp.Close()
			return err
		}
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
