package engine

import (
	"context"
	"fmt"

	"ccecert/store"
)

// ImportOutcome is an import stored and merged.
type ImportOutcome struct {
	store.ImportResult
	Contexts [][]string // per credential: the context names written
	// Kept is per credential: why it was not written ("" when it was): a
	// newer live certificate for the same target and context was kept.
	Kept []string
	// Notices are the kubeconfig writes' news for the operator, once (see
	// FetchResult.Notices).
	Notices []string
}

// Import stores a console-downloaded kubeconfig's credentials and merges
// them, renamed per the naming template, into the engine's kubeconfig.
// Nothing is stored when the kubeconfig cannot take the merge. An import
// never rolls a context back: a certificate older than the live one the
// kubeconfig has for that target (an old export, imported after a renew)
// is stored as history, and the live one is kept and named in Kept and
// Warnings.
func (e *Engine) Import(ctx context.Context, data []byte, source string) (ImportOutcome, error) {
	if err := kubeconfigHint(e.Store.CheckKubeconfig(e.Kubeconfig)); err != nil {
		e.event(ctx, "import", source, "", err)
		return ImportOutcome{}, err
	}
	if err := store.WaitKubeconfigLock(ctx, e.Kubeconfig, e.LockTimeout); err != nil {
		e.event(ctx, "import", source, "", err)
		return ImportOutcome{}, err
	}
	res, err := e.Store.Import(ctx, data, source)
	if err != nil {
		e.event(ctx, "import", source, "", err)
		return ImportOutcome{}, err
	}
	out := ImportOutcome{ImportResult: res}
	for i, c := range res.Credentials {
		if !res.Existed[i] && c.Profile != e.profile() { // imported under this profile: renewed with its keys
			if err := e.Store.SetCredentialProfile(ctx, c.ID, e.profile()); err != nil {
				return out, err
			}
			c.Profile = e.profile()
			res.Credentials[i] = c
		}
		kept, err := e.keptInstead(ctx, c, !res.Existed[i])
		if err != nil {
			return out, err
		}
		if kept != "" {
			out.Contexts, out.Kept = append(out.Contexts, nil), append(out.Kept, kept)
			out.Warnings = append(out.Warnings, kept)
			e.event(ctx, "import", c.Target.Key(), c.ID, nil)
			continue
		}
		names, notices, err := e.write(ctx, c, e.Kubeconfig, store.ModeInline, false)
		e.event(ctx, "import", c.Target.Key(), c.ID, err)
		if err != nil {
			return out, fmt.Errorf("%w (credential %s is stored: `ccecert export %s` writes it elsewhere)", err, c.ID, c.ID)
		}
		out.Contexts, out.Kept = append(out.Contexts, names), append(out.Kept, "")
		out.Notices = append(out.Notices, notices...)
	}
	return out, nil
}

// keptInstead says why an imported credential must not be written, or "":
// it is itself history (revoked, or replaced by a renewal), or the
// kubeconfig has a newer live certificate for the same target and
// context. A credential this import stored (fresh) then becomes history,
// replaced by the one kept.
func (e *Engine) keptInstead(ctx context.Context, c store.Credential, fresh bool) (string, error) {
	if c.Revoked() {
		return fmt.Sprintf("credential %s for %s was revoked %s: not written; the kubeconfig keeps what it has", c.ID, c.Target.Label(), c.RevokedAt.UTC().Format("2006-01-02 15:04 MST")), nil
	}
	if c.ReplacedBy != "" {
		live := e.latest(ctx, c)
		return fmt.Sprintf("credential %s for %s was already replaced by its renewal %s: not written; the kubeconfig keeps %s (expires %s)", c.ID, c.Target.Label(), live.ID, live.ID, live.NotAfter.UTC().Format("2006-01-02 15:04 MST")), nil
	}
	newer, found, err := e.newerLive(ctx, c, e.Kubeconfig)
	if err != nil || !found {
		return "", err
	}
	if fresh {
		if err := e.Store.MarkReplaced(ctx, c.ID, newer.ID); err != nil {
			return "", err
		}
	}
	return fmt.Sprintf("credential %s for %s (expires %s) is older than %s (expires %s), which %s already has for that context: kept %s; the import is stored as history",
		c.ID, c.Target.Label(), c.NotAfter.UTC().Format("2006-01-02 15:04 MST"), newer.ID, newer.NotAfter.UTC().Format("2006-01-02 15:04 MST"), newer.Kubeconfig, newer.ID), nil
}

// newerLive finds a live, unexpired credential of c's target in the
// kubeconfig at path, for a context role c also has, issued after c.
func (e *Engine) newerLive(ctx context.Context, c store.Credential, path string) (store.Credential, bool, error) {
	kube, err := store.AbsPath(path)
	if err != nil {
		return store.Credential{}, false, err
	}
	others, err := e.Store.Credentials(ctx, store.Filter{TargetKey: c.Target.Key()})
	if err != nil {
		return store.Credential{}, false, err
	}
	for _, o := range others {
		if o.ID == c.ID || !o.Active() || o.Kubeconfig != kube || len(o.Contexts) == 0 || o.Remaining(e.now()) <= 0 || !sharesRole(o, c) {
			continue
		}
		if o.NotBefore.After(c.NotBefore) || (o.NotBefore.Equal(c.NotBefore) && o.NotAfter.After(c.NotAfter)) {
			return o, true, nil
		}
	}
	return store.Credential{}, false, nil
}

func sharesRole(a, b store.Credential) bool {
	for _, r := range a.Roles {
		for _, q := range b.Roles {
			if r == q {
				return true
			}
		}
	}
	return false
}

// write merges a stored credential into a kubeconfig and records it.
func (e *Engine) write(ctx context.Context, c store.Credential, path string, mode store.Mode, use bool) ([]string, []string, error) {
	secret, err := e.secretOf(ctx, c)
	if err != nil {
		return nil, nil, err
	}
	entry, err := store.EntryFor(c, secret, mode)
	if err != nil {
		return nil, nil, err
	}
	entry.ExecCommand, entry.ExecArgs = e.ExecCommand, e.execArgs(c.ID)
	path, err = store.AbsPath(path)
	if err != nil {
		return nil, nil, err
	}
	mr, err := e.Store.MergeFile(ctx, path, entry, e.mergeOptions(use))
	if err != nil {
		return nil, nil, err
	}
	ctx = context.WithoutCancel(ctx) // written: record it, interrupted or not
	if err := e.Store.RecordWrite(ctx, c.ID, store.Written{Kubeconfig: path, User: mr.User, Contexts: mr.Contexts, Mode: mode}); err != nil {
		return nil, nil, err
	}
	c.Kubeconfig, c.Contexts = path, mr.Contexts
	return mr.Contexts, mr.Notices, e.supersede(ctx, c, path)
}

// UseContext makes a context current in a kubeconfig.
func (e *Engine) UseContext(ctx context.Context, path, name string) error {
	if path == "" {
		path = e.Kubeconfig
	}
	err := store.SetCurrentContext(path, name)
	e.event(ctx, "use", name, "", err)
	if err != nil {
		return fmt.Errorf("use context %s in %s: %w", name, path, err)
	}
	return nil
}
