package api

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
