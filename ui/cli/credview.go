package cli

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"ccecert/api"
	"ccecert/store"
)

// credView is one credential in `status -o json` and `get -o json`: a
// stable, documented shape.
type credView struct {
	ID                string         `json:"id"`
	Profile           string         `json:"profile"`
	Target            credTargetView `json:"target"`
	Contexts          []string       `json:"contexts"`
	Subject           string         `json:"subject"`
	Serial            string         `json:"serial"`
	FingerprintSHA256 string         `json:"fingerprint_sha256"`
	NotBefore         *string        `json:"not_before"`
	NotAfter          *string        `json:"not_after"`
	RemainingSeconds  *int64         `json:"remaining_seconds"`
	Health            string         `json:"health"`
	NotYetValid       bool           `json:"not_yet_valid,omitempty"`
	Attention         *bool          `json:"attention,omitempty"` // status only: this row makes it exit 3
	Source            store.Source   `json:"source"`
	Kubeconfig        string         `json:"kubeconfig"`
	Mode              store.Mode     `json:"mode"`
	TLS               []contextTLS   `json:"tls"`
}

// contextTLS is how kubectl checks one context's server: one per entry of
// contexts, in its order.
type contextTLS struct {
	Context       string          `json:"context"`
	Role          api.ContextRole `json:"role"`
	Server        string          `json:"server"`
	TLS           api.TLS         `json:"tls"`
	Verified      bool            `json:"verified"`
	TLSServerName string          `json:"tls_server_name,omitempty"`
	Reason        string          `json:"reason,omitempty"`
}

type credTargetView struct {
	Kind   api.Kind `json:"kind"`
	ID     string   `json:"id"`
	Name   string   `json:"name"`
	Region string   `json:"region"`
}

func credentialView(c store.Credential, now time.Time, th store.Thresholds) credView {
	v := credView{
		ID:       c.ID,
		Profile:  profileName(c.Profile),
		Target:   credTargetView{Kind: shownKind(c.Target), ID: c.Target.ID, Name: c.Target.Name, Region: c.Target.Region},
		Contexts: nonNilStrings(c.Contexts), Subject: c.Subject, Serial: c.Serial, FingerprintSHA256: c.Fingerprint,
		Source: c.Source, Kubeconfig: c.Kubeconfig, Mode: c.Mode, TLS: []contextTLS{},
	}
	for i, r := range c.Clusters {
		name := r.Name
		if i < len(c.Contexts) {
			name = c.Contexts[i]
		}
		tls := r.TLS()
		v.TLS = append(v.TLS, contextTLS{Context: name, Role: r.Role, Server: r.Server, TLS: tls, Verified: tls.Verified(),
			TLSServerName: r.TLSServerName, Reason: r.TLSReason})
	}
	h := c.Health(now, th)
	if h == store.HealthNotYet {
		// Clock skew: flagged, never OK. The documented words stay.
		h, v.NotYetValid = store.HealthWarning, true
	}
	v.Health = h.String()
	if !c.TokenOnly {
		nb, na := c.NotBefore.UTC().Format(time.RFC3339), c.NotAfter.UTC().Format(time.RFC3339)
		rem := int64(math.Floor(c.NotAfter.Sub(now).Seconds()))
		v.NotBefore, v.NotAfter, v.RemainingSeconds = &nb, &na, &rem
	}
	return v
}

// kindUnknown is the kind shown for a cluster ccecert has not listed: a
// scanned or imported kubeconfig whose server matches no known target.
const kindUnknown api.Kind = "unknown"

// shownKind is the target's kind as far as it is known: the store files an
// unmatched cluster under cce, which is a guess, so it shows as unknown.
func shownKind(t api.Target) api.Kind {
	if strings.HasPrefix(t.ID, "unmatched:") {
		return kindUnknown
	}
	return t.Kind
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// writePrometheus writes the text exposition format: one series per
// credential and context (docs/alerts.md has rules for them).
func writePrometheus(w io.Writer, creds []store.Credential, now time.Time, th store.Thresholds) error {
	metrics := []struct {
		name, help string
		value      func(store.Credential) float64
	}{
		{"ccecert_certificate_not_after_timestamp_seconds", "NotAfter of the client certificate, as a Unix timestamp.",
			func(c store.Credential) float64 { return float64(c.NotAfter.Unix()) }},
		{"ccecert_certificate_expires_in_seconds", "Seconds until the client certificate expires (negative once expired).",
			func(c store.Credential) float64 { return math.Floor(c.NotAfter.Sub(now).Seconds()) }},
		{"ccecert_certificate_expired", "1 when the client certificate has expired, else 0.",
			func(c store.Credential) float64 { return boolFloat(!c.NotAfter.After(now)) }},
		{"ccecert_certificate_health", "1 for the certificate's health, the health label (ok, warning, critical, expired), as status shows it.",
			func(store.Credential) float64 { return 1 }},
	}
	var b strings.Builder
	for _, m := range metrics {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s gauge\n", m.name, m.help, m.name)
		for _, c := range creds {
			if c.TokenOnly || !c.Active() {
				continue
			}
			contexts := c.Contexts
			if len(contexts) == 0 {
				contexts = []string{""}
			}
			extra := ""
			if m.name == "ccecert_certificate_health" {
				extra = ",health=" + promLabel(credentialView(c, now, th).Health)
			}
			for _, ctxName := range contexts {
				fmt.Fprintf(&b, "%s{credential=%s,target=%s,region=%s,context=%s,profile=%s%s} %s\n", m.name,
					promLabel(c.ID), promLabel(c.Target.Name), promLabel(c.Target.Region), promLabel(ctxName), promLabel(profileName(c.Profile)), extra,
					strconv.FormatFloat(m.value(c), 'f', -1, 64))
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func boolFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// promLabel quotes a label value per the exposition format, its control
// characters made inert first (names come from the cloud and from files:
// an ESC, BEL, CR or NUL must not reach a scraper or a terminal raw).
func promLabel(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(inert(s)) + `"`
}
