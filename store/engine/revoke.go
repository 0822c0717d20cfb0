package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"

	"ccecert/api"
	"ccecert/store"
)

// RevokeOutcome is what a revoke did: the cloud revoked every certificate
// of the user on the cluster, so every such credential was marked.
type RevokeOutcome struct {
	Target  api.Target
	UserID  string
	Revoked []string // credential ids marked revoked
	Removed []string // context names removed from kubeconfigs
	Kept    []string // context names left: no longer ccecert's (the operator's own, or edited)
	Files   []string // kubeconfigs written (each keeps its former content in FILE.bak)
	Message string   // the cloud's scope, spelled out
	Notices []string // the kubeconfig writes' news for the operator, once (see FetchResult.Notices)
	// ClearedCurrent are the current-contexts the revoke removed, by
	// kubeconfig file; no other is set in their place.
	ClearedCurrent []ClearedContext
}

// ClearedContext is a file's current-context that a revoke removed.
type ClearedContext struct{ File, Context string }

// Revoke revokes a credential's user at the cloud, marks every credential of
// that user on that cluster revoked, and removes their contexts from their
// kubeconfigs (each write keeps a backup).
func (e *Engine) Revoke(ctx context.Context, c store.Credential) (RevokeOutcome, error) {
	t := c.Target
	switch {
	case c.Revoked():
		return RevokeOutcome{}, fmt.Errorf("credential %s is already revoked", c.ID)
	case c.Subject == "":
		return RevokeOutcome{}, fmt.Errorf("credential %s has no certificate subject to revoke (token-only)", c.ID)
	case t.Kind == api.KindFleet:
		return RevokeOutcome{}, fmt.Errorf("fleet certificates cannot be revoked through the UCS API: delete the federation connection in the UCS console")
	case c.Source == store.SourceScanned || isUnmatched(t):
		return RevokeOutcome{}, &HintError{Hint: HintRefreshThenImport, Err: fmt.Errorf("credential %s is not tied to a known cluster: refresh the list of clusters, then import it again", c.ID)}
	}
	if err := e.ownProfile(c); err != nil {
		return RevokeOutcome{}, err
	}
	cloud, err := e.cloud()
	if err != nil {
		return RevokeOutcome{}, err
	}
	// Recorded before the call: a run killed after the cloud revoked is
	// then shown as such, and finished by the next (Reconcile).
	seq, err := e.Store.RecordIntent(ctx, store.Intent{Action: store.IntentRevoke, TargetKey: t.Key(), Subject: c.Subject, Credential: c.ID})
	if err != nil {
		return RevokeOutcome{}, err
	}
	return e.revokeAt(ctx, cloud, t, c.Subject, c.ID, seq)
}

// revokeAt sends the revoke of user on t and records its outcome, clearing
// intent seq: settled either way, unless the call failed after it may have
// reached the cloud, when the intent stays for Reconcile.
func (e *Engine) revokeAt(ctx context.Context, cloud Cloud, t api.Target, user, credID string, seq int64) (RevokeOutcome, error) {
	res, err := cloud.Revoke(ctx, t, user)
	if err != nil {
		e.event(ctx, "revoke", t.Key(), credID, err)
		var ae *api.Error
		if !errors.As(err, &ae) || !ae.MayHaveActed() {
			_ = e.Store.ClearIntent(context.WithoutCancel(ctx), seq) // never sent: nothing to reconcile
		}
		return RevokeOutcome{}, err
	}
	out := RevokeOutcome{Target: t, UserID: user, Message: res.Message}
	// The cloud call succeeded: record it even if the caller gives up now.
	ctx = context.WithoutCancel(ctx)
	ids, err := e.Store.MarkRevoked(ctx, t.Key(), user, e.now())
	out.Revoked = ids
	e.event(ctx, "revoke", t.Key(), credID, err)
	if err != nil {
		return out, err
	}
	// Every revoked credential of the user there, not only those marked
	// now: an interrupted run may have marked them and died before this.
	all, err := e.Store.Credentials(ctx, store.Filter{TargetKey: t.Key(), All: true})
	if err != nil {
		return out, err
	}
	var gone []string
	for _, c := range all {
		if c.Subject == user && c.Revoked() {
			gone = append(gone, c.ID)
		}
	}
	err = e.removeContexts(ctx, gone, &out)
	if cerr := e.Store.ClearIntent(ctx, seq); err == nil {
		err = cerr
	}
	return out, err
}

// removeContexts takes the contexts of the given credentials out of their
// kubeconfigs, one write per file, leaving those no longer ccecert's, and
// notes what it did in out.
func (e *Engine) removeContexts(ctx context.Context, ids []string, out *RevokeOutcome) error {
	byFile := map[string][]string{}
	var order []string
	var errs []error
	for _, id := range ids {
		c, err := e.Store.Find(ctx, id)
		if err != nil || c.Kubeconfig == "" || len(c.Contexts) == 0 {
			continue
		}
		if c, err = e.absoluteRecord(ctx, c); err != nil {
			errs = append(errs, err) // an older ccecert's relative path, not found here
			continue
		}
		if _, err := os.Stat(c.Kubeconfig); errors.Is(err, os.ErrNotExist) {
			continue // the operator deleted it: do not write an empty one
		}
		if _, ok := byFile[c.Kubeconfig]; !ok {
			order = append(order, c.Kubeconfig)
		}
		for _, name := range c.Contexts {
			if !slices.Contains(byFile[c.Kubeconfig], name) { // renewals share names
				byFile[c.Kubeconfig] = append(byFile[c.Kubeconfig], name)
			}
		}
	}
	for _, file := range order {
		r, err := store.RemoveContextsFile(ctx, file, byFile[file])
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out.Removed, out.Kept = append(out.Removed, r.Removed...), append(out.Kept, r.Kept...)
		out.Notices = append(out.Notices, r.Notices...)
		if r.ClearedCurrent != "" {
			out.ClearedCurrent = append(out.ClearedCurrent, ClearedContext{File: file, Context: r.ClearedCurrent})
		}
		if len(r.Removed) > 0 {
			out.Files = append(out.Files, file)
		}
	}
	return errors.Join(errs...)
}

// Export builds a standalone kubeconfig for a credential: inline
// certificate and key whatever its mode, one context (contextName, or the
// credential's preferred one) set as current. A revoked or expired
// credential is refused: the file would not work.
func (e *Engine) Export(ctx context.Context, c store.Credential, contextName string) ([]byte, error) {
	now := e.now()
	switch {
	case c.Revoked():
		return nil, fmt.Errorf("credential %s was revoked %s: a kubeconfig with it would not work; fetch a new one with `ccecert get %s`", c.ID, c.RevokedAt.UTC().Format("2006-01-02 15:04 MST"), c.Target.Name)
	case !c.TokenOnly && !c.NotAfter.IsZero() && !now.Before(c.NotAfter):
		return nil, fmt.Errorf("credential %s %s: a kubeconfig with it would not work; renew it with `ccecert renew %s` or fetch one with `ccecert get %s`", c.ID, store.Countdown(c.NotAfter, now), c.ID, c.Target.Name)
	}
	if !c.HasKey {
		return nil, fmt.Errorf("credential %s was scanned from %s and its key is not stored: use that file", c.ID, c.Kubeconfig)
	}
	secret, err := e.secretOf(ctx, c)
	if err != nil {
		return nil, err
	}
	entry, err := store.EntryFor(c, secret, store.ModeInline)
	if err != nil {
		return nil, err
	}
	role, err := roleOf(c, contextName)
	if err != nil {
		return nil, err
	}
	data, err := store.ExportConfig(entry, store.ExportOptions{Role: role, Template: e.Config.Naming})
	e.event(ctx, "export", c.Target.Key(), c.ID, err)
	return data, err
}

// roleOf maps one of a credential's context names (or a role word) to its
// role; empty is empty (the preferred one).
func roleOf(c store.Credential, name string) (api.ContextRole, error) {
	if name == "" {
		return "", nil
	}
	for i, cl := range c.Clusters {
		if name == string(cl.Role) || (i < len(c.Contexts) && c.Contexts[i] == name) {
			return cl.Role, nil
		}
	}
	return "", fmt.Errorf("credential %s has no context %q (it has %v)", c.ID, name, c.Contexts)
}

func (e *Engine) secretOf(ctx context.Context, c store.Credential) (api.Secret, error) {
	if c.TokenOnly {
		return e.Store.Token(ctx, c.ID)
	}
	return e.Store.Key(ctx, c.ID)
}
