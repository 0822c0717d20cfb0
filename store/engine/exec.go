package engine

import (
	"context"
	"fmt"

	"ccecert/store"
)

// ExecCredential is the exec plugin's answer for a credential reference
// (a replaced one answers with its latest renewal): the ExecCredential
// JSON, or an error saying how to renew. With exec_auto_renew on, an
// expired or critical credential is renewed first; should that renewal
// fail, a critical one that is still valid is served as it is.
func (e *Engine) ExecCredential(ctx context.Context, ref string) ([]byte, error) {
	c, err := e.Store.Find(ctx, ref)
	if err != nil {
		return nil, err
	}
	if c.Revoked() {
		return nil, fmt.Errorf("credential %s for %s was revoked: get a new one with `ccecert get %s`", c.ID, label(c.Target), c.Target.Name)
	}
	c = e.latest(ctx, c)
	if c.TokenOnly {
		return nil, fmt.Errorf("credential %s is a bearer token, not a certificate: use `ccecert export %s` instead of the exec plugin", c.ID, c.ID)
	}
	expired := c.Remaining(e.now()) <= 0
	if e.Config.ExecAutoRenew && (expired || c.Health(e.now(), e.Config.Thresholds) == store.HealthCritical) {
		res, err := e.Renew(ctx, c)
		switch {
		case err == nil:
			c, expired = res.Credential, false
		case expired:
			return nil, err
		}
	}
	if expired {
		return nil, fmt.Errorf("credential %s for %s expired %s: renew it with `ccecert renew` (or set exec_auto_renew in the config)", c.ID, label(c.Target), c.NotAfter.UTC().Format("2006-01-02 15:04 MST"))
	}
	key, err := e.Store.Key(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	return store.ExecCredential(c.CertPEM, key, c.NotAfter)
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
