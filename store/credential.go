package store

import (
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
}

// Revoked reports whether the certificate was revoked.
func (c Credential) Revoked() bool { return !c.RevokedAt.IsZero() }

// Active reports whether the credential is neither revoked nor replaced.
func (c Credential) Active() bool { return !c.Revoked() && c.ReplacedBy == "" }

// Health judges the credential at now: revoked and replaced first, token-only
// is unknown, else the certificate's dates against th.
func (c Credential) Health(now time.Time, th Thresholds) Health {
	switch {
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
}

// Filter selects credentials.
type Filter struct {
	All       bool   // include revoked and replaced ones
	Source    Source // only this source; empty = any
	TargetKey string // only this target (api.Target.Key); empty = any
}
