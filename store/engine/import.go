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
}

// Import stores a console-downloaded kubeconfig's credentials and merges
// them, renamed per the naming template, into the engine's kubeconfig.
// Nothing is stored when the kubeconfig cannot take the merge.
func (e *Engine) Import(ctx context.Context, data []byte, source string) (ImportOutcome, error) {
	if err := kubeconfigHint(e.Store.CheckKubeconfig(e.Kubeconfig)); err != nil {
		e.event(ctx, "import", source, "", err)
		return ImportOutcome{}, err
	}
	res, err := e.Store.Import(ctx, data, source)
	if err != nil {
		e.event(ctx, "import", source, "", err)
		return ImportOutcome{}, err
	}
	out := ImportOutcome{ImportResult: res}
	for _, c := range res.Credentials {
		names, err := e.write(ctx, c, e.Kubeconfig, store.ModeInline, false)
		e.event(ctx, "import", c.Target.Key(), c.ID, err)
		if err != nil {
			return out, fmt.Errorf("%w (credential %s is stored: `ccecert export %s` writes it elsewhere)", err, c.ID, c.ID)
		}
		out.Contexts = append(out.Contexts, names)
	}
	return out, nil
}

// write merges a stored credential into a kubeconfig and records it.
func (e *Engine) write(ctx context.Context, c store.Credential, path string, mode store.Mode, use bool) ([]string, error) {
	secret, err := e.secretOf(ctx, c)
	if err != nil {
		return nil, err
	}
	entry, err := store.EntryFor(c, secret, mode)
	if err != nil {
		return nil, err
	}
	entry.ExecCommand, entry.ExecArgs = e.ExecCommand, e.execArgs(c.ID)
	names, user, err := e.Store.Merge(path, entry, store.MergeOptions{Template: e.Config.Naming, SetCurrent: use, Now: e.Now})
	if err != nil {
		return nil, err
	}
	if err := e.Store.RecordWrite(ctx, c.ID, store.Written{Kubeconfig: path, User: user, Contexts: names, Mode: mode}); err != nil {
		return nil, err
	}
	c.Kubeconfig, c.Contexts = path, names
	return names, e.supersede(ctx, c, path)
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
