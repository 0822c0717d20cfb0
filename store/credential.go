package store

import (
	"path/filepath"
	"time"

	"ccecert/api"
)

// Mode is how a credential is written to a kubeconfig.
type Mode string

// Write modes.
const (
	ModeInline Mode = "inline" // certificate and key data in the file
	ModeExec   Mode = "exec"   // the file runs `ccecert credential <id>`
)

// Source says where a credential came from.
type Source string

// Credential sources.
const (
	SourceFetched  Source = "fetched"  // issued by the cloud through ccecert
	SourceImported Source = "imported" // a console download, imported
	SourceScanned  Source = "scanned"  // found in a kubeconfig; no key stored
)

// ClusterRef is one endpoint a credential is written for: enough to write
// its context again (exec mode, export) without the cloud.
type ClusterRef struct {
	Role     api.ContextRole `json:"role"`
	Name     string          `json:"name"` // context name as issued
	Server   string          `json:"server"`
	CAData   []byte          `json:"ca_data,omitempty"` // PEM
	Insecure bool            `json:"insecure,omitempty"`
	// TLSServerName is written as tls-server-name: the certificate is
	// verified for it (the internal host) rather than for Server.
	TLSServerName string `json:"tls_server_name,omitempty"`
	// TLSReason says why the context skips TLS verification, when a TLS
	// check found nothing that verifies.
	TLSReason string `json:"tls_reason,omitempty"`
}

// TLS says how kubectl checks this endpoint's certificate: verified,
// server-name or insecure.
func (r ClusterRef) TLS() api.TLS { return r.context().TLS() }

// context is the endpoint as the context it is written as.
func (r ClusterRef) context() api.IssuedContext {
	return api.IssuedContext{
		Name: r.Name, Role: r.Role, Server: r.Server, CAData: r.CAData, InsecureSkipTLSVerify: r.Insecure,
		TLSServerName: r.TLSServerName, TLSReason: r.TLSReason,
	}
}

// clusterRef records a context as written.
func clusterRef(ic api.IssuedContext) ClusterRef {
	return ClusterRef{
		Role: ic.Role, Name: ic.Name, Server: ic.Server, CAData: ic.CAData, Insecure: ic.InsecureSkipTLSVerify,
		TLSServerName: ic.TLSServerName, TLSReason: ic.TLSReason,
	}
}

// Credential is one certificate (or token) for one target, with where it was
// written. The private key is not here: ask Store.Key.
type Credential struct {
	ID          string            // first 8 hex of the cert's SHA-256 (longer on a clash); token-only: of the token's
	Target      api.Target        // snapshot at issue time
	Contexts    []string          // context names written to Kubeconfig
	Roles       []api.ContextRole // roles of Clusters
	Clusters    []ClusterRef      // endpoints as issued
	User        string            // kubeconfig user entry written, if any
	Subject     string            // certificate CN (the user id)
	Serial      string            // hex
	Fingerprint string            // SHA-256 hex of the DER
	Issuer      string
	NotBefore   time.Time
	NotAfter    time.Time
	Validity    api.Validity // requested; NotAfter is what was granted
	Legacy      bool         // from the legacy GET: the cluster chose the validity
	Source      Source
	Kubeconfig  string // file the contexts are in
	Mode        Mode
	CreatedAt   time.Time
	RevokedAt   time.Time // zero unless revoked
	ReplacedBy  string    // id of the renewal that superseded it
	CertPEM     []byte
	TokenOnly   bool // a bearer token, no certificate: no expiry info
	HasKey      bool // a key (or token) is stored; scanned credentials have none
	// Damage says why the row does not decode (a listing reports it beside
	// the good ones, with what could be read); "" for a sound credential.
	Damage string
	// RevokePending: a revoke of its user was sent (or about to be) and
	// its outcome is not recorded: the run was interrupted, or is still
	// going. Its health is unknown until Engine.Reconcile settles it.
	RevokePending bool
	// Profile is the profile it was fetched or imported under (issue 13).
	Profile string
}

// Unwritten reports a usable credential that reached no kubeconfig: the
// run that fetched or imported it ended between storing and writing.
func (c Credential) Unwritten() bool {
	return c.Active() && c.HasKey && c.Source != SourceScanned && len(c.Contexts) == 0
}

// Attention says, for a listing, what is wrong with a credential beyond
// its health, and what to do; "" when nothing is.
func (c Credential) Attention() string {
	switch {
	case c.Damage != "":
		return c.Damage
	case c.RevokePending:
		return "a revoke of it was interrupted: its state at the cloud is unknown; the next get, renew, revoke or import finishes it"
	case c.Unwritten():
		return "in no kubeconfig: the run that stored it was interrupted; the next get, renew or import writes it (or `ccecert export " + c.ID + "`)"
	case c.Kubeconfig != "" && !filepath.IsAbs(c.Kubeconfig):
		return "recorded by an older ccecert with the relative kubeconfig path " + c.Kubeconfig + ": run `ccecert renew " + c.ID + "` from the directory it was written in, which records it absolute"
	}
	return ""
}

// Revoked reports whether the certificate was revoked.
func (c Credential) Revoked() bool { return !c.RevokedAt.IsZero() }

// Active reports whether the credential is neither revoked nor replaced
// (nor damaged: a row that does not decode cannot be used).
func (c Credential) Active() bool { return !c.Revoked() && c.ReplacedBy == "" && c.Damage == "" }

// Health judges the credential at now: revoked and replaced first, token-only
// is unknown, else the certificate's dates against th.
func (c Credential) Health(now time.Time, th Thresholds) Health {
	switch {
	case c.Damage != "" || (c.RevokePending && !c.Revoked()):
		return HealthUnknown
	case c.Revoked():
		return HealthRevoked
	case c.ReplacedBy != "":
		return HealthReplaced
	case c.TokenOnly || c.NotAfter.IsZero():
		return HealthUnknown
	}
	return th.Evaluate(c.NotBefore, c.NotAfter, now)
}

// Remaining is the time left at now (negative once expired).
func (c Credential) Remaining(now time.Time) time.Duration { return c.NotAfter.Sub(now) }

// Lifetime is NotAfter − NotBefore.
func (c Credential) Lifetime() time.Duration { return c.NotAfter.Sub(c.NotBefore) }

// Countdown is the live countdown text; "no expiry info" for token-only.
func (c Credential) Countdown(now time.Time) string {
	if c.TokenOnly || c.NotAfter.IsZero() {
		return "no expiry info"
	}
	return Countdown(c.NotAfter, now)
}

// Meta is what the caller knows about a new credential beyond the issued
// kubeconfig.
type Meta struct {
	Validity   api.Validity // as requested
	Source     Source       // default fetched
	Kubeconfig string       // file its contexts are (or will be) written to
	Mode       Mode         // default inline
	Contexts   []string     // context names written; see Store.RecordContexts
	User       string       // user entry written
	Profile    string       // the profile it is fetched under (empty: DefaultProfile)
}

// Filter selects credentials.
type Filter struct {
	All       bool   // include revoked and replaced ones
	Source    Source // only this source; empty = any
	TargetKey string // only this target (api.Target.Key); empty = any
	Profile   string // only this profile's; empty = every profile
	// Brief leaves out what no listing shows, the certificate PEM (CertPEM
	// is nil) and the clusters' CA data (ClusterRef.CAData is nil): status
	// and the TUI read thousands of rows. The certificate's facts
	// (subject, serial, fingerprint, dates) are there as always; Find
	// returns a credential whole.
	Brief bool
}
