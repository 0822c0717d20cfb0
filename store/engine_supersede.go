package store

import "context"

// supersede marks the target's other live credentials written to the same
// kubeconfig as replaced by cred: a target has one user entry per
// kubeconfig, so once cred is merged every context of the target there
// authenticates with cred, and two live credentials never claim one
// context.
func (e *Engine) supersede(ctx context.Context, cred Credential, path string) error {
	others, err := e.Store.Credentials(ctx, Filter{TargetKey: cred.Target.Key()})
	if err != nil {
		return err
	}
	for _, o := range others {
		if o.ID == cred.ID || !o.Active() || o.Kubeconfig != path || len(o.Contexts) == 0 {
			continue
		}
		if err := e.Store.MarkReplaced(ctx, o.ID, cred.ID); err != nil {
			return err
		}
	}
	return nil
}
