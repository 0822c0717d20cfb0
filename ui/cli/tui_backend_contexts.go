package cli

import (
	"context"
	"os"
	"slices"
	"sync"

	"ccecert/store"
	"ccecert/ui"
)

// contextPaths are the kubeconfig files the Contexts page lists and
// switches in, as kubectl reads them: the --kubeconfig file alone (as
// kubectl's own flag), the demo's own, else the $KUBECONFIG list.
func (a *app) contextPaths() []string {
	if a.g.kubeconfig != "" || a.paths.Demo || len(a.engine.KubeconfigPaths) == 0 {
		if a.engine.Kubeconfig == "" {
			return nil
		}
		return []string{a.engine.Kubeconfig}
	}
	return a.engine.KubeconfigPaths
}

// Contexts lists every context of the kubeconfig files (the TUI matches
// them to the credentials it shows).
func (b *tuiBackend) Contexts(ctx context.Context) (store.ContextList, error) {
	if err := b.enter(); err != nil {
		return store.ContextList{}, err
	}
	defer b.leave()
	paths := b.a.contextPaths()
	b.live.stampFiles(paths) // before the read: a later write is a change
	return store.ListContexts(paths), nil
}

// SwitchContext makes name current where kubectl would write it; "-" is
// the previous one.
func (b *tuiBackend) SwitchContext(ctx context.Context, name string) (store.SwitchResult, error) {
	if err := b.enter(); err != nil {
		return store.SwitchResult{}, err
	}
	defer b.leave()
	_, res, err := switchTo(ctx, b.a, name)
	return res, err
}

// switchTo is `ccecert use NAME` and the TUI's switch: "-" goes back to
// the context the last switch left; the switch is in the events log.
func switchTo(ctx context.Context, a *app, name string) (string, store.SwitchResult, error) {
	prev := a.store.PreviousContextPath()
	if name == "-" {
		p, err := store.PreviousContext(prev)
		if err != nil {
			return "", store.SwitchResult{}, err
		}
		name = p
	}
	res, err := store.SwitchContext(ctx, a.contextPaths(), name, prev)
	a.logEvent(ctx, "use", name, err)
	return name, res, err
}

// SetNamespace sets a context's namespace in its own file.
func (b *tuiBackend) SetNamespace(ctx context.Context, name, namespace string) error {
	if err := b.enter(); err != nil {
		return err
	}
	defer b.leave()
	_, err := store.SetContextNamespace(ctx, b.a.contextPaths(), name, namespace)
	b.a.logEvent(ctx, "namespace", name, err)
	return err
}

// DeleteContext removes a context ccecert wrote; a foreign one is refused.
func (b *tuiBackend) DeleteContext(ctx context.Context, name string) (store.RemoveResult, error) {
	if err := b.enter(); err != nil {
		return store.RemoveResult{}, err
	}
	defer b.leave()
	res, err := store.DeleteContext(ctx, b.a.contextPaths(), name)
	b.a.logEvent(ctx, "delete-context", name, err)
	return res, err
}

// logEvent records a context action in the events log (who, what, when,
// result; never a secret). A failure to log is not the action's failure.
func (a *app) logEvent(ctx context.Context, action, name string, err error) {
	result := "ok"
	if err != nil {
		result = "error: " + err.Error()
	}
	_ = a.store.AppendEvent(context.WithoutCancel(ctx), store.Event{Action: action, Target: name, Result: result, At: a.env.now()})
}

// liveState is what Changes compares with: the store's change watcher
// (its own connection, opened on first use) and the kubeconfig files'
// stat at the last call.
type liveState struct {
	mu    sync.Mutex
	db    *store.Changes
	files []fileStamp
	// damaged: the store's background integrity check failed, and a
	// change was reported so the TUI reloads and shows why.
	damaged bool
}

// fileStamp is what a stat tells of a file: a write by kubectl, an editor
// or ccecert (a rename over it) changes one of them.
type fileStamp struct {
	path    string
	exists  bool
	size    int64
	modTime int64 // Unix nanoseconds
}

func stampsOf(paths []string) []fileStamp {
	stamps := make([]fileStamp, len(paths))
	for i, p := range paths {
		stamps[i] = stampFile(p)
	}
	return stamps
}

func stampFile(path string) fileStamp {
	fi, err := os.Stat(path)
	if err != nil {
		return fileStamp{path: path}
	}
	return fileStamp{path: path, exists: true, size: fi.Size(), modTime: fi.ModTime().UnixNano()}
}

// stampFiles records the files' stat as seen now.
func (l *liveState) stampFiles(paths []string) {
	stamps := stampsOf(paths)
	l.mu.Lock()
	l.files = stamps
	l.mu.Unlock()
}

// storeBaseline records the database's version as seen now, before a read
// of the credentials, so a commit after it is a change and one before is
// in what was read (otherwise one between the TUI's first read and the
// first Changes call would go unseen). It opens the watcher on first use.
func (b *tuiBackend) storeBaseline(ctx context.Context) error {
	l := &b.live
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.db == nil {
		db, err := b.a.store.Changes(ctx)
		if err != nil {
			return err
		}
		l.db = db
		return nil
	}
	_, err := l.db.Changed(ctx)
	return err
}

// closeLive gives the watcher's connection back; the TUI calls it once
// its Backend calls have drained, before the store closes.
func (b *tuiBackend) closeLive() {
	l := &b.live
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.db != nil {
		_ = l.db.Close()
		l.db = nil
	}
}

// Changes reports commits to the store by any other connection (another
// ccecert, the exec plugin's renewal, or this process's own writes) and
// changed kubeconfig files since the last call (or the last read of
// either). It reads no table and no file: SQLite's data_version and one
// stat per file.
func (b *tuiBackend) Changes(ctx context.Context) (ui.Changes, error) {
	if err := b.enter(); err != nil {
		return ui.Changes{}, err
	}
	defer b.leave()
	var ch ui.Changes
	l := &b.live
	l.mu.Lock()
	opened := l.db != nil
	l.mu.Unlock()
	if !opened { // not read yet: nothing to compare with
		return ch, b.storeBaseline(ctx)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	changed, err := l.db.Changed(ctx)
	if err != nil {
		return ui.Changes{}, err
	}
	ch.Store = changed
	if !l.damaged && b.a.store.CheckFailed() != nil {
		l.damaged, ch.Store = true, true // Credentials says what is wrong
	}
	stamps := stampsOf(b.a.contextPaths())
	ch.Kubeconfigs = l.files != nil && !slices.Equal(stamps, l.files)
	l.files = stamps
	return ch, nil
}
