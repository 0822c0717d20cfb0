package engine

import (
	"context"
	"errors"

	"ccecert/store"
)

// supersede marks the target's older live credentials in the same
// kubeconfig as replaced by cred: a target has one user entry per
// kubeconfig, so once cred is merged every context of the target there
// authenticates with cred, and two live credentials never claim one
// context. Only older ones: renewals racing in two processes then order by
// creation and never replace each other in a cycle; and nothing happens
// when cred itself was superseded meanwhile.
func (e *Engine) supersede(ctx context.Context, cred store.Credential, path string) error {
	others, err := e.Store.Credentials(ctx, store.Filter{TargetKey: cred.Target.Key(), All: true})
	if err != nil {
		return err
	}
	for _, o := range others {
		if o.ID == cred.ID && !o.Active() {
			return nil
		}
	}
	for _, o := range others {
		if o.ID == cred.ID || !o.Active() || o.Kubeconfig != path || !older(o, cred) {
			continue
		}
		if err := e.Store.MarkReplaced(ctx, o.ID, cred.ID); errors.Is(err, store.ErrSuperseded) {
			return nil // a newer credential took over meanwhile; it supersedes
		} else if err != nil {
			return err
		}
	}
	return nil
}

// older reports whether a was stored before b.
func older(a, b store.Credential) bool {
	if !a.CreatedAt.Equal(b.CreatedAt) {
		return a.CreatedAt.Before(b.CreatedAt)
	}
	if !a.NotBefore.Equal(b.NotBefore) {
		return a.NotBefore.Before(b.NotBefore)
	}
	return a.ID < b.ID
}
