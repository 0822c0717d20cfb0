package engine

import (
	"context"
	"errors"
	"fmt"

	"ccecert/store"
)

// ExecResult is the exec plugin's answer.
type ExecResult struct {
	JSON     []byte   // the ExecCredential for kubectl's stdout
	Renewed  string   // the id of the renewal this call made or waited for; "" if none
	Warnings []string // for stderr, which kubectl shows: e.g. thresholds that make every certificate due
}

// Exec answers the exec plugin for a credential reference (a replaced one
// answers with its latest renewal): the ExecCredential JSON, or an error
// saying how to renew. With exec_auto_renew on, an expired or critical
// credential is renewed first, by one process at a time (kubectl runs many
// plugins at once): the others wait for that renewal and serve it. Should
// the renewal fail, a critical one that is still valid is served as it is;
// one whose renewal would be critical at once (thresholds longer than the
// certificates last) is not renewed again until it expires, with a warning.
func (e *Engine) Exec(ctx context.Context, ref string) (ExecResult, error) {
	c, err := e.Store.Find(ctx, ref)
	if err != nil {
		return ExecResult{}, err
	}
	if c.Revoked() {
		return ExecResult{}, fmt.Errorf("credential %s for %s was revoked: get a new one with `ccecert get %s`", c.ID, c.Target.Label(), c.Target.Name)
	}
	c = e.latest(ctx, c)
	if c.TokenOnly {
		return ExecResult{}, fmt.Errorf("credential %s is a bearer token, not a certificate: use `ccecert export %s` instead of the exec plugin", c.ID, c.ID)
	}
	var out ExecResult
	if e.Config.ExecAutoRenew && e.due(c) {
		c, out, err = e.execRenew(ctx, c)
		if err != nil {
			return out, err
		}
	}
	if out.Renewed == "" && c.Remaining(e.now()) <= 0 {
		return out, fmt.Errorf("credential %s for %s expired %s: renew it with `ccecert renew` (or set exec_auto_renew in the config)", c.ID, c.Target.Label(), c.NotAfter.UTC().Format("2006-01-02 15:04 MST"))
	}
	key, err := e.Store.Key(ctx, c.ID)
	if err != nil {
		return out, err
	}
	out.JSON, err = store.ExecCredential(c.CertPEM, key, c.NotAfter)
	return out, err
}

// due reports a credential the exec plugin renews: expired, or critical.
func (e *Engine) due(c store.Credential) bool {
	return c.Remaining(e.now()) <= 0 || c.Health(e.now(), e.Config.Thresholds) == store.HealthCritical
}

// execRenew renews a due credential under the store's claim for its target
// and kubeconfig, or serves the renewal another process made meanwhile.
// The credential to serve comes back; an error only when there is none.
func (e *Engine) execRenew(ctx context.Context, c store.Credential) (store.Credential, ExecResult, error) {
	var out ExecResult
	expired := c.Remaining(e.now()) <= 0
	if w := e.dueAtOnce(c); w != "" && !expired {
		out.Warnings = append(out.Warnings, w)
		return c, out, nil // a renewal would be as due as this one
	}
	release, err := e.Store.ClaimRenewal(ctx, renewalKey(c), 0)
	if err != nil {
		if expired {
			return c, out, fmt.Errorf("renew %s: %w", c.ID, err)
		}
		out.Warnings = append(out.Warnings, fmt.Sprintf("credential %s was not renewed (%v); serving it while it is valid", c.ID, err))
		return c, out, nil
	}
	defer release()
	// Another process may have renewed it while this one waited.
	if cur, err := e.Store.Find(ctx, c.ID); err == nil {
		if cur = e.latest(ctx, cur); cur.ID != c.ID && cur.Active() {
			out.Renewed = cur.ID
			return cur, out, nil
		}
	}
	res, err := e.Renew(ctx, c)
	switch {
	case err == nil:
		out.Renewed = res.Credential.ID
		out.Warnings = append(out.Warnings, res.Warnings...)
		return res.Credential, out, nil
	case expired:
		return c, out, err
	}
	out.Warnings = append(out.Warnings, fmt.Sprintf("credential %s could not be renewed (%s); serving it while it is valid", c.ID, errText(err)))
	return c, out, nil
}

// renewalKey names what one renewal rewrites: the target's user entry in
// one kubeconfig (see RenewSet), so renewals of any credential of that
// chain take the same claim.
func renewalKey(c store.Credential) string { return c.Target.Key() + "\x00" + c.Kubeconfig }

func errText(err error) string {
	if err == nil {
		return ""
	}
	var he *HintError
	if errors.As(err, &he) {
		return he.Err.Error()
	}
	return err.Error()
}

// maxRenewals bounds the walk along a chain of renewals.
const maxRenewals = 64

// latest follows c's renewals to the newest active credential (kubeconfigs
// written before a renewal still name the old id), or returns c.
func (e *Engine) latest(ctx context.Context, c store.Credential) store.Credential {
	for next, i := c, 0; next.ReplacedBy != "" && i < maxRenewals; i++ {
		var err error
		if next, err = e.Store.Find(ctx, next.ReplacedBy); err != nil || next.Revoked() {
			return c
		}
		if next.Active() {
			return next
		}
	}
	return c
}
