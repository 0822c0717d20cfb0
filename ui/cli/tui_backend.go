package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"ccecert/api"
	"ccecert/store"
	"ccecert/store/engine"
	"ccecert/ui"
)

// errTUIClosing answers calls that arrive while the TUI shuts down.
var errTUIClosing = errors.New("ccecert is quitting")

// tuiBackend is ui.Backend over the app's store and engine. Every call
// holds a read lock, so drain can wait for the calls in flight before the
// app (store, emulator, cloud client) is closed under them.
type tuiBackend struct {
	a      *app
	mu     sync.RWMutex
	closed bool
	// loaded runs once, after the first credentials load.
	loaded     func()
	loadedOnce sync.Once
	live       liveState // what Changes compares with (tui_backend_contexts.go)
	pmu        sync.Mutex
	cur        tuiProfile // see current (tui_profiles.go)
	// early is the credentials read prefetch started, for the first
	// Credentials call; nil once taken.
	earlyMu sync.Mutex
	early   chan credentialsRead
}

// credentialsRead is a read of the credentials, as Credentials lists them.
type credentialsRead struct {
	creds   []store.Credential
	err     error
	profile string // the profile read
}

var _ ui.Backend = (*tuiBackend)(nil)

func newTUIBackend(a *app) *tuiBackend { return &tuiBackend{a: a} }

// enter admits a call unless the backend is closed; leave ends it.
func (b *tuiBackend) enter() error {
	b.mu.RLock()
	if b.closed {
		b.mu.RUnlock()
		return errTUIClosing
	}
	return nil
}

func (b *tuiBackend) leave() { b.mu.RUnlock() }

// drain refuses new calls and waits up to d for those in flight; it
// reports whether they all ended.
func (b *tuiBackend) drain(d time.Duration) bool {
	done := make(chan struct{})
	go func() {
		b.mu.Lock()
		b.closed = true
		b.mu.Unlock()
		close(done)
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-t.C:
		return false
	}
}

// CachedTargets reads the saved inventory; no cloud call. FetchedAt is the
// oldest record's: the cache is as fresh as its oldest part.
func (b *tuiBackend) CachedTargets(ctx context.Context) (ui.Inventory, error) {
	if err := b.enter(); err != nil {
		return ui.Inventory{}, err
	}
	defer b.leave()
	inv, _, err := b.cached(ctx)
	return inv, err
}

// cached returns the cache with its oldest FetchedAt, and the newest.
func (b *tuiBackend) cached(ctx context.Context) (ui.Inventory, time.Time, error) {
	recs, err := b.a.store.ProfileTargets(ctx, b.current().profile.Name)
	if err != nil {
		return ui.Inventory{}, time.Time{}, err
	}
	inv := ui.Inventory{Targets: make([]api.Target, 0, len(recs))}
	var newest time.Time
	for _, r := range recs {
		inv.Targets = append(inv.Targets, r.Target)
		if inv.FetchedAt.IsZero() || r.FetchedAt.Before(inv.FetchedAt) {
			inv.FetchedAt = r.FetchedAt
		}
		if r.FetchedAt.After(newest) {
			newest = r.FetchedAt
		}
	}
	return inv, newest, nil
}

// Refresh lists the cloud and returns the whole cache after saving: the
// targets of regions that failed stay as they were cached, and the
// failures are in Errors. FetchedAt is this refresh's time.
func (b *tuiBackend) Refresh(ctx context.Context, progress func(done, total int)) (ui.Inventory, error) {
	if err := b.enter(); err != nil {
		return ui.Inventory{}, err
	}
	defer b.leave()
	listed, err := b.engine().Refresh(ctx, engine.RefreshOptions{Progress: progress})
	if err != nil {
		return ui.Inventory{}, err
	}
	inv, newest, err := b.cached(ctx)
	if err != nil {
		return ui.Inventory{}, err
	}
	inv.FetchedAt = newest
	if newest.IsZero() {
		inv.FetchedAt = b.a.env.now() // nothing to list is an answer too
	}
	inv.Errors = listed.Errors
	return inv, nil
}

// tuiCredentials is what the TUI lists: active and revoked credentials,
// without what no page shows (Brief).
var tuiCredentials = store.Filter{All: true, Brief: true}

// credentialsFilter is tuiCredentials of the profile on screen.
func (b *tuiBackend) credentialsFilter() store.Filter {
	f := tuiCredentials
	f.Profile = b.current().profile.Name
	return f
}

// prefetch starts reading the credentials at once, as the TUI is about to
// ask for them: the read (the longest part of its start at 10,000) then
// overlaps the terminal's setup and the cache's read, and the first frame
// with the countdowns comes sooner. The first Credentials call takes it.
func (b *tuiBackend) prefetch(ctx context.Context) {
	if err := b.enter(); err != nil {
		return
	}
	ch := make(chan credentialsRead, 1)
	b.earlyMu.Lock()
	b.early = ch
	b.earlyMu.Unlock()
	go func() {
		defer b.leave() // drain waits for it, so the store outlives it
		f := b.credentialsFilter()
		creds, err := b.readNow(ctx, f)
		ch <- credentialsRead{creds: creds, err: err, profile: f.Profile}
	}()
}

// Credentials lists active and revoked credentials; replaced ones are
// left out (their renewals stand in for them).
func (b *tuiBackend) Credentials(ctx context.Context) ([]store.Credential, error) {
	if err := b.enter(); err != nil {
		return nil, err
	}
	defer b.leave()
	all, err := b.read(ctx)
	if b.loaded != nil {
		defer b.loadedOnce.Do(b.loaded)
	}
	if err == nil {
		err = b.a.store.CheckFailed() // the background integrity check (tui.go)
	}
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, c := range all {
		if c.ReplacedBy == "" {
			out = append(out, c)
		}
	}
	return out, nil
}

// read is the prefetched read the first time, a new one after.
func (b *tuiBackend) read(ctx context.Context) ([]store.Credential, error) {
	b.earlyMu.Lock()
	early := b.early
	b.early = nil
	b.earlyMu.Unlock()
	f := b.credentialsFilter()
	if early == nil {
		return b.readNow(ctx, f)
	}
	select {
	case r := <-early:
		if r.profile != f.Profile { // switched since: read the new one's
			return b.readNow(ctx, f)
		}
		return r.creds, r.err
	case <-ctx.Done():
		return nil, fmt.Errorf("read credentials: %w", ctx.Err())
	}
}

// readNow reads the credentials, taking the live watcher's baseline
// first: a commit after it is a change the next Changes reports.
func (b *tuiBackend) readNow(ctx context.Context, f store.Filter) ([]store.Credential, error) {
	if err := b.storeBaseline(ctx); err != nil {
		return nil, err
	}
	return b.a.store.Credentials(ctx, f)
}

// VPCs lists the VPCs a target's federation connection can use (for a
// global fleet, those of every project), each with its project, which the
// fetch request carries back.
func (b *tuiBackend) VPCs(ctx context.Context, t api.Target) ([]engine.ProjectVPC, error) {
	if err := b.enter(); err != nil {
		return nil, err
	}
	defer b.leave()
	return b.engine().VPCs(ctx, t)
}

// Fetch issues, stores and writes a credential as the dialog asked, with
// the engine's warnings (a legacy cluster chose the validity itself). When
// the kubeconfig write fails the stored credential comes with the error.
func (b *tuiBackend) Fetch(ctx context.Context, req engine.FetchRequest) (ui.FetchOutcome, error) {
	if err := b.enter(); err != nil {
		return ui.FetchOutcome{}, err
	}
	defer b.leave()
	req.Kubeconfig = b.expandHome(req.Kubeconfig)
	res, err := b.engine().Fetch(ctx, req)
	return outcome(res), err
}

// Renew replaces a credential with a new one like it.
func (b *tuiBackend) Renew(ctx context.Context, credID string) (ui.FetchOutcome, error) {
	if err := b.enter(); err != nil {
		return ui.FetchOutcome{}, err
	}
	defer b.leave()
	old, err := b.a.store.Find(ctx, credID)
	if err != nil {
		return ui.FetchOutcome{}, err
	}
	res, err := b.engine().Renew(ctx, old)
	return outcome(res), err
}

// outcome is what the TUI shows of a fetch or renewal: the credential, the
// engine's warnings and the kubeconfig write's notices.
func outcome(res engine.FetchResult) ui.FetchOutcome {
	return ui.FetchOutcome{Credential: res.Credential, Warnings: append(slices.Clip(res.Warnings), res.Notices...)}
}

// Revoke revokes a credential's user on its cluster.
func (b *tuiBackend) Revoke(ctx context.Context, credID string) ([]string, error) {
	if err := b.enter(); err != nil {
		return nil, err
	}
	defer b.leave()
	c, err := b.a.store.Find(ctx, credID)
	if err != nil {
		return nil, err
	}
	out, err := b.engine().Revoke(ctx, c)
	return out.Revoked, err
}

// Export writes a standalone kubeconfig to a new 0600 file.
func (b *tuiBackend) Export(ctx context.Context, credID, path string) error {
	if err := b.enter(); err != nil {
		return err
	}
	defer b.leave()
	path = b.expandHome(strings.TrimSpace(path))
	if path == "" {
		return errors.New("type a file name to export to")
	}
	c, err := b.a.store.Find(ctx, credID)
	if err != nil {
		return err
	}
	data, err := b.engine().Export(ctx, c, "")
	if err != nil {
		return err
	}
	return writeNewFile(path, data)
}

// UseContext sets current-context in a kubeconfig.
func (b *tuiBackend) UseContext(ctx context.Context, kubeconfig, contextName string) error {
	if err := b.enter(); err != nil {
		return err
	}
	defer b.leave()
	return b.engine().UseContext(ctx, b.expandHome(kubeconfig), contextName)
}

// Events reads the events log, as `ccecert log` does.
func (b *tuiBackend) Events(ctx context.Context, q store.EventQuery) ([]store.EventRecord, error) {
	if err := b.enter(); err != nil {
		return nil, err
	}
	defer b.leave()
	return b.a.store.EventLog(ctx, q)
}

// expandHome turns a leading ~/ into $HOME/, as a shell would for a path
// typed in the TUI.
func (b *tuiBackend) expandHome(path string) string {
	rest, ok := strings.CutPrefix(path, "~/")
	if !ok && path != "~" {
		return path
	}
	home := b.a.env.getenv("HOME")
	if home == "" {
		return path
	}
	return filepath.Join(home, rest)
}
