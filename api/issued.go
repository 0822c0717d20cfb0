package api

import (
	"fmt"
	"time"
)

// ContextRole says which endpoint a kubeconfig context reaches.
type ContextRole string

// Context roles. CCE names its contexts "internal" and "external"; a fleet has
// one context, its federation endpoint.
const (
	RoleInternal   ContextRole = "internal"
	RoleExternal   ContextRole = "external"
	RoleFederation ContextRole = "federation"
)

// IssuedContext is one context of an issued kubeconfig, resolved to its
// cluster entry.
type IssuedContext struct {
	Name                  string      // context name as issued ("internal", "external", "demo")
	Role                  ContextRole // internal, external or federation
	ClusterName           string      // cluster entry name as issued ("internalCluster")
	Server                string      // https URL
	CAData                []byte      // PEM of the cluster CA; empty when InsecureSkipTLSVerify
	InsecureSkipTLSVerify bool
	// TLSServerName is written as tls-server-name: the name the server's
	// certificate is verified for when it does not cover the server's own
	// address (CCE's internal host, for its external entry).
	TLSServerName string
	// TLSReason says why the context skips TLS verification, once a TLS
	// check (VerifyServer) found that nothing verifies; empty otherwise.
	TLSReason string
	// ClusterCA is the cluster CA as issued, also for an entry that skips
	// verification (CCE's external entry has none: it gets the internal
	// entry's). It is what a TLS check verifies against; it is written
	// only as CAData, never beside InsecureSkipTLSVerify.
	ClusterCA []byte
	// InternalHost is the internal endpoint's host, for CCE's external
	// entry: the name its certificate may cover instead of the EIP.
	InternalHost string
}

// TLS says how a client of the context checks the API server's certificate.
func (c IssuedContext) TLS() TLS {
	switch {
	case c.InsecureSkipTLSVerify:
		return TLSInsecure
	case c.TLSServerName != "":
		return TLSServerName
	default:
		return TLSVerified
	}
}

// Issued is a kubeconfig the cloud issued, parsed and validated. It never
// holds the raw response: the key lives only in Key.
type Issued struct {
	Contexts       []IssuedContext
	CurrentContext string // as issued
	UserName       string // user entry name as issued ("user")
	CertPEM        []byte // client certificate, PEM (empty when token-only)
	Key            Secret // client key, PEM
	Token          Secret // bearer token (UCS may return one)
	// Legacy is true when the certificate came from the legacy GET: the
	// validity is the cluster's own, not the one requested.
	Legacy    bool
	PortID    string // CCE's Port-ID response header
	RequestID string // X-Request-Id of the response
	// NotAfter is the client certificate's expiry, read from the X.509
	// (zero when token-only).
	NotAfter time.Time
	// ExpireAtIgnored: an exact expiry was asked (expire_at) and the
	// certificate does not end there; Note says when it does end.
	ExpireAtIgnored bool
	// Note says, in words, how the issued validity differs from the one
	// asked; empty when it does not.
	Note string
}

// expiryTolerance is how far a certificate's NotAfter may be from the
// asked expiry and still count as honoured (clock skew, rounding).
const expiryTolerance = 15 * time.Minute

// checkExpiry compares the certificate's NotAfter with the expiry asked at
// now and notes a difference: a cloud that ignored expire_at issued for the
// duration sent beside it.
func (i *Issued) checkExpiry(v Validity, now time.Time) {
	if i.NotAfter.IsZero() || i.Legacy || v.ExpireAt.IsZero() {
		return
	}
	if d := i.NotAfter.Sub(v.ExpireAt); d > -expiryTolerance && d < expiryTolerance {
		return
	}
	i.ExpireAtIgnored = true
	i.Note = fmt.Sprintf("the cloud ignored the exact expiry %s and issued a certificate valid until %s (%d days, the duration sent with it)",
		v.ExpireAt.UTC().Format(time.RFC3339), i.NotAfter.UTC().Format(time.RFC3339), daysUntil(v.ExpireAt, now))
}

// Context returns the context with the given role, or false.
func (i *Issued) Context(role ContextRole) (IssuedContext, bool) {
	for _, c := range i.Contexts {
		if c.Role == role {
			return c, true
		}
	}
	return IssuedContext{}, false
}
