package api

import (
	"strconv"
	"strings"
)

// Kind is the kind of a target the operator can get a credential for.
type Kind string

// The kinds of target.
const (
	KindCCE       Kind = "cce"       // a CCE cluster
	KindAutopilot Kind = "autopilot" // a CCE Autopilot cluster
	KindFleet     Kind = "fleet"     // a UCS fleet (cluster group)
)

// Phases as CCE reports them; kept verbatim, never translated.
const (
	PhaseAvailable   = "Available"
	PhaseHibernation = "Hibernation"
	PhaseUnavailable = "Unavailable"
)

// Endpoints are a cluster's API server addresses. External is empty when the
// cluster has no EIP.
type Endpoints struct {
	Internal string `json:"internal"`
	External string `json:"external,omitempty"`
	// ExternalOTC is Open Telekom Cloud's External_OTC address (through
	// its API gateway); External holds it too when CCE gave no External.
	ExternalOTC string `json:"external_otc,omitempty"`
}

// Target is a CCE cluster, Autopilot cluster or UCS fleet. Its unique key is
// (Kind, Region, ID); fleets are global and use Region "global".
type Target struct {
	Kind      Kind      `json:"kind"`
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	Region    string    `json:"region"`
	ProjectID string    `json:"project_id"`
	Version   string    `json:"version"`
	Phase     string    `json:"phase"`
	Endpoints Endpoints `json:"endpoints"`
	// Fleets only. Federation: federation is enabled (UCS sets
	// spec.federationId); FederationStatus and FederationReason are the
	// Federation condition's status and reason as UCS reports them
	// ("Available", "Unavailable"), also when federation is enabled but
	// not working.
	Federation       bool     `json:"federation"`
	FederationStatus string   `json:"federation_status,omitempty"`
	FederationReason string   `json:"federation_reason,omitempty"`
	Members          []string `json:"members,omitempty"`
}

// federationState describes an enabled federation that is not Available
// ("Unavailable (reason)"), or "" when it is Available or unknown.
func (t Target) federationState() string {
	st := strings.TrimSpace(t.FederationStatus)
	if st == "" || strings.EqualFold(st, "Available") {
		return ""
	}
	if r := strings.TrimSpace(t.FederationReason); r != "" {
		return st + " (" + r + ")"
	}
	return st
}

// Key is the target's unique key: kind/region/id.
func (t Target) Key() string { return string(t.Kind) + "/" + t.Region + "/" + t.ID }

// HasEIP reports whether the target has an external (EIP) endpoint.
func (t Target) HasEIP() bool { return t.Endpoints.External != "" }

// Hibernated reports whether CCE says the cluster is hibernating.
func (t Target) Hibernated() bool { return t.Phase == PhaseHibernation }

// Legacy reports whether the cluster is older than v1.13, so its certificate
// comes from the legacy GET and its validity is the cluster's own.
func (t Target) Legacy() bool {
	if t.Kind == KindFleet {
		return false
	}
	major, minor, ok := parseVersion(t.Version)
	return ok && (major < 1 || (major == 1 && minor < 13))
}

// parseVersion reads "v1.11", "v1.11.3-r0", "1.28" into major and minor.
func parseVersion(v string) (major, minor int, ok bool) {
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return 0, 0, false
	}
	major, err1 := strconv.Atoi(parts[0])
	minorStr := parts[1]
	if i := strings.IndexFunc(minorStr, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		minorStr = minorStr[:i]
	}
	minor, err2 := strconv.Atoi(minorStr)
	return major, minor, err1 == nil && err2 == nil
}

// Label names the target for messages: "prod-web (cn-north-4)"; its id
// when it has no name, and no region for a global one.
func (t Target) Label() string {
	name := t.Name
	if name == "" {
		name = t.ID
	}
	if t.Region == "" {
		return name
	}
	return name + " (" + t.Region + ")"
}
