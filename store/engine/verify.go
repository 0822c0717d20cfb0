package engine

import (
	"context"
	"time"

	"ccecert/api"
)

// DefaultUse is whether a get makes the new context current when the
// operator says nothing, in the CLI (--no-use turns it off) and the TUI
// (the dialog's toggle) alike: yes, as `aws eks update-kubeconfig`,
// `gcloud container clusters get-credentials` and `az aks get-credentials`
// do. A renewal never changes the current context.
const DefaultUse = true

// DefaultRoles is the `auto` choice of contexts, the one default of the CLI
// and the TUI: the external context when the target has an EIP (it works
// from anywhere, and SecureContexts makes it verify where it can), else the
// internal one. A fleet has one context and no choice: nil.
func DefaultRoles(t api.Target) []api.ContextRole {
	switch {
	case t.Kind == api.KindFleet:
		return nil
	case t.HasEIP():
		return []api.ContextRole{api.RoleExternal}
	default:
		return []api.ContextRole{api.RoleInternal}
	}
}

// TLSChecker checks an API server's certificate; api.VerifyServer is the
// real one.
type TLSChecker func(context.Context, api.TLSCheck) (api.TLSVerdict, error)

// SecureContexts returns the contexts with each one that skips TLS
// verification (CCE's external context, a fleet's insecure one) rewritten
// to the strongest form that verifies, after one TLS handshake with its
// server bounded by timeout:
//   - its certificate verifies against the cluster CA for its own address
//     (the EIP is in the custom SANs): the CA, no skip flag;
//   - else for the internal host: the CA and tls-server-name;
//   - else as issued, insecure, with TLSReason saying why.
//
// Contexts that already verify are returned as they are; so is one with no
// cluster CA to check against (TLSReason says so). The input is not
// changed. A failed check is never an error: the context stays insecure,
// as the cloud issued it, and says why.
func SecureContexts(ctx context.Context, cs []api.IssuedContext, check TLSChecker, timeout time.Duration, now func() time.Time) []api.IssuedContext {
	out := make([]api.IssuedContext, len(cs))
	for i, c := range cs {
		out[i] = c
		if c.InsecureSkipTLSVerify {
			out[i] = secureContext(ctx, c, check, timeout, now)
		}
	}
	return out
}

func secureContext(ctx context.Context, c api.IssuedContext, check TLSChecker, timeout time.Duration, now func() time.Time) api.IssuedContext {
	if len(c.ClusterCA) == 0 {
		c.TLSReason = "the cloud issued no cluster CA with it, so there is nothing to verify its server against"
		return c
	}
	v, err := check(ctx, api.TLSCheck{Server: c.Server, CAData: c.ClusterCA, InternalHost: c.InternalHost, Timeout: timeout, Now: now})
	switch {
	case err != nil:
		c.TLSReason = "its server could not be checked: " + err.Error()
	case v.TLS == api.TLSVerified || (v.TLS == api.TLSServerName && v.ServerName != ""):
		c.InsecureSkipTLSVerify, c.CAData, c.TLSServerName, c.TLSReason = false, c.ClusterCA, v.ServerName, ""
	default:
		c.TLSReason = v.Reason
	}
	return c
}

// secureContexts is SecureContexts with the engine's request timeout and
// clock, against the real servers.
func (e *Engine) secureContexts(ctx context.Context, cs []api.IssuedContext) []api.IssuedContext {
	return SecureContexts(ctx, cs, api.VerifyServer, e.Config.Timeouts.Request, e.now)
}
