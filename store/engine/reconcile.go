package engine

import (
	"context"
	"errors"
	"fmt"
	"time"

	"ccecert/store"
)

// orphanAge is how old an unwritten credential must be before Reconcile
// takes it for the leftover of an interrupted run rather than a fetch
// still under way (which writes within its lock wait, 10 s by default).
const orphanAge = time.Minute

// Reconciled is what Reconcile settled and what it could not.
type Reconciled struct {
	Revoked  []RevokeOutcome // interrupted revokes, finished
	Written  []string        // credentials that had reached no kubeconfig, now written
	Retired  []string        // such credentials kept out: a newer one holds their context
	Problems []error         // what is left, each saying what to do
}

// Reconcile finishes what interrupted runs left: a revoke recorded but not
// settled (its process gone) is sent again, which is harmless if the cloud
// had revoked already, and recorded; a credential stored but written to no
// kubeconfig is written where it was meant to go (an import: the engine's
// kubeconfig), or retired when a newer
// one holds its context there. Front ends call it at the start of a
// command that changes state (get, renew, revoke, import) and of the TUI;
// what it did is for the operator.
func (e *Engine) Reconcile(ctx context.Context) (Reconciled, error) {
	var out Reconciled
	intents, err := e.Store.Intents(ctx)
	if err != nil {
		return out, err
	}
	for _, in := range intents {
		if in.Action != store.IntentRevoke || !in.Orphaned() || !e.ownIntent(ctx, in) {
			continue
		}
		if err := e.fetchedSince(ctx, in); err != nil {
			out.Problems = append(out.Problems, err)
			continue
		}
		r, err := e.finishRevoke(ctx, in)
		if err != nil {
			out.Problems = append(out.Problems, err)
			continue
		}
		out.Revoked = append(out.Revoked, r)
	}
	creds, err := e.Store.Credentials(ctx, store.Filter{})
	if err != nil {
		return out, err
	}
	out.Problems = append(out.Problems, e.settleTwins(ctx, creds)...)
	for _, c := range creds {
		if !c.Unwritten() || e.now().Sub(c.CreatedAt) < orphanAge {
			continue
		}
		if c.Kubeconfig == "" {
			c.Kubeconfig = e.Kubeconfig // an import: it goes where imports go
		}
		if err := e.finishWrite(ctx, c, &out); err != nil {
			out.Problems = append(out.Problems, fmt.Errorf("credential %s for %s is in no kubeconfig and could not be written (%w): `ccecert export %s` writes it elsewhere", c.ID, c.Target.Label(), err, c.ID))
		}
	}
	return out, nil
}

// ownIntent reports whether the intent's credential is the engine's
// profile's: another profile's revoke is finished with that profile's
// keys, by a run under it.
func (e *Engine) ownIntent(ctx context.Context, in store.Intent) bool {
	c, err := e.Store.Find(ctx, in.Credential)
	return err != nil || e.ownProfile(c) == nil
}

// finishRevoke sends an interrupted revoke again and records it.
func (e *Engine) finishRevoke(ctx context.Context, in store.Intent) (RevokeOutcome, error) {
	r, found, err := e.Store.Target(ctx, in.TargetKey)
	if err != nil {
		return RevokeOutcome{}, err
	}
	t := r.Target
	if !found {
		c, err := e.Store.Find(ctx, in.Credential)
		if err != nil {
			return RevokeOutcome{}, fmt.Errorf("an interrupted revoke of %s names no known target or credential (%w): revoke again by hand", in.TargetKey, err)
		}
		t = c.Target
	}
	cloud, err := e.cloud()
	if err != nil {
		return RevokeOutcome{}, fmt.Errorf("an interrupted revoke of user %s on %s is unfinished: %w", in.Subject, t.Label(), err)
	}
	out, err := e.revokeAt(ctx, cloud, t, in.Subject, in.Credential, in.Seq)
	if err != nil {
		return out, fmt.Errorf("finish the interrupted revoke of user %s on %s: %w; run `ccecert revoke %s` again", in.Subject, t.Label(), err, in.Credential)
	}
	return out, nil
}

// finishWrite writes an unwritten credential, unless a newer live one of
// its target holds that kubeconfig: then it is retired as replaced.
func (e *Engine) finishWrite(ctx context.Context, c store.Credential, out *Reconciled) error {
	newer, found, err := e.newerLive(ctx, c, c.Kubeconfig)
	if err != nil {
		return err
	}
	if found {
		if err := e.Store.MarkReplaced(ctx, c.ID, newer.ID); err != nil && !errors.Is(err, store.ErrSuperseded) {
			return err
		}
		out.Retired = append(out.Retired, c.ID)
		return nil
	}
	if _, _, err := e.write(ctx, c, c.Kubeconfig, c.Mode, false); err != nil {
		return err
	}
	e.event(ctx, "write", c.Target.Key(), c.ID, nil)
	out.Written = append(out.Written, c.ID)
	return nil
}

// fetchedSince refuses to send an interrupted revoke again when a
// certificate of the same user on the target was stored after it was
// asked for: CCE revokes all of a user's certificates on a cluster, so
// sending it now would revoke that newer one too. The operator decides.
func (e *Engine) fetchedSince(ctx context.Context, in store.Intent) error {
	creds, err := e.Store.Credentials(ctx, store.Filter{TargetKey: in.TargetKey})
	if err != nil {
		return err
	}
	for _, c := range creds {
		if c.Subject == in.Subject && c.CreatedAt.After(in.CreatedAt) {
			return fmt.Errorf("a revoke of credential %s (user %s) was interrupted, and %s of the same user was stored since: ccecert does not know whether the cloud revoked the older certificates. Run `ccecert revoke %s` to be sure (CCE then revokes %s too, as it revokes all of a user's certificates on a cluster)",
				in.Credential, in.Subject, c.ID, in.Credential, c.ID)
		}
	}
	return nil
}

// settleTwins finds targets with more than one live, written credential
// in one kubeconfig (a run interrupted between writing and superseding)
// and lets the newest supersede the others, as that write would have.
func (e *Engine) settleTwins(ctx context.Context, creds []store.Credential) []error {
	newest := map[string]store.Credential{}
	count := map[string]int{}
	for _, c := range creds {
		if !c.Active() || len(c.Contexts) == 0 || c.Kubeconfig == "" || c.Source == store.SourceScanned {
			continue
		}
		k := renewalKey(c)
		count[k]++
		if n, ok := newest[k]; !ok || older(n, c) {
			newest[k] = c
		}
	}
	var errs []error
	for k, c := range newest {
		if count[k] > 1 {
			if err := e.supersede(ctx, c, c.Kubeconfig); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errs
}
