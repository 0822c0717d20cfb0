package engine

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"

	"ccecert/store"
)

// absoluteRecord settles a credential recorded, by an older ccecert, with
// a relative kubeconfig path: a renewal from another directory would
// otherwise write the new key into a new file there. The path is resolved
// against the working directory only when the file found there still
// holds the credential's contexts as ccecert wrote them (so this is the
// directory it was written from), and then recorded absolute once. Else
// it is an error that says how to settle it.
func (e *Engine) absoluteRecord(ctx context.Context, c store.Credential) (store.Credential, error) {
	if c.Kubeconfig == "" || filepath.IsAbs(c.Kubeconfig) {
		return c, nil
	}
	abs, err := store.AbsPath(c.Kubeconfig)
	if err != nil {
		return c, err
	}
	names, err := store.OwnedContexts(abs, c.Target.Key())
	if err != nil || len(c.Contexts) == 0 || !containsAll(names, c.Contexts) {
		return c, fmt.Errorf("credential %s was recorded with the relative kubeconfig path %q, and %s does not hold its contexts %v, so ccecert cannot tell which file it meant: run the command again from the directory it was written in (the path is then recorded absolute), or fetch a new one with `ccecert get %s --kubeconfig /absolute/path`",
			c.ID, c.Kubeconfig, abs, c.Contexts, c.Target.Name)
	}
	w := store.Written{Kubeconfig: abs, User: c.User, Contexts: c.Contexts, Mode: c.Mode}
	if err := e.Store.RecordWrite(ctx, c.ID, w); err != nil {
		return c, err
	}
	c.Kubeconfig = abs
	return c, nil
}

func containsAll(have, want []string) bool {
	for _, w := range want {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}
