package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"ccecert/api"
	"ccecert/store"
	"ccecert/ui/sanitize"
)

// detailLines describes the selected row in at most h lines of width w;
// long lines wrap when wrap is set (the tall side pane), else are cut. The
// last error comes first, wrapped in full, so it can be read whatever the
// status line cut off; an error or warning about the selection comes right
// after its title, also in full.
func (m Model) detailLines(w, h int, wrap bool) []string {
	d := m.detailText(w)
	out := d.errs
	for _, l := range d.lines {
		out = fitDetail(out, l, w, wrap)
	}
	return capLines(out, h)
}

// detailText is the detail pane before it is fitted to the pane: the last
// error (wrapped already), the selection's lines, and the index of the one
// line that reads the clock (-1: none), so that a frame drawn for the next
// second draws that line alone (see Model.detail).
type detailText struct {
	errs  []string
	lines []string
	clock int
}

func (m Model) detailText(w int) detailText {
	d := detailText{errs: m.lastErrorLines(w), clock: -1}
	if m.active == pageContexts {
		if it := m.selectedContext(); it != nil {
			d.lines, d.clock = m.contextDetail(it)
		}
	} else if m.active == pageCredentials {
		if c := m.selectedCred(); c != nil {
			d.lines, d.clock = m.credDetail(c, w)
		}
	} else if t := m.selectedTarget(); t != nil {
		d.lines, d.clock = m.targetDetail(t, w)
	}
	if len(d.lines) == 0 {
		d.lines = []string{m.styles.Muted.Render("nothing selected")}
	}
	return d
}

// clockField is the name and value of the selection's line that reads the
// clock (see detailText), ok false when there is none.
func (m Model) clockField() (name, value string, ok bool) {
	if m.active == pageContexts {
		return m.contextClockField()
	}
	if m.active == pageCredentials {
		if c := m.selectedCred(); c != nil {
			return expiresField, m.expiryText(c), true
		}
	} else if t := m.selectedTarget(); t != nil {
		return certField, m.bestText(t), true
	}
	return "", "", false
}

// The names of the fields that read the clock.
const (
	certField    = "cert"
	expiresField = "expires"
)

// fitDetail appends line to out, wrapped (wrap) or cut to w cells.
func fitDetail(out []string, line string, w int, wrap bool) []string {
	if wrap {
		return append(out, strings.Split(wrapWords(line, w), "\n")...)
	}
	return append(out, ansi.Truncate(line, w, "…"))
}

// capLines is lines cut to at most h.
func capLines(lines []string, h int) []string {
	if len(lines) > h {
		return lines[:h]
	}
	return lines
}

// field renders "name value" with the name muted.
func (m Model) field(name, value string) string {
	return m.styles.DetailKey.Render(fmt.Sprintf("%-9s", name)) + " " + value
}

// lastErrorLines is the status line's error or warning, in full, when
// the status line cannot show it whole (see messageInPane).
func (m Model) lastErrorLines(w int) []string {
	if !m.messageInPane() {
		return nil
	}
	st := m.styles.StatusError
	if !m.status.err {
		st = m.styles.Warning
	}
	return wrapStyled(st, m.messageMark()+m.status.text, w)
}

// errLine is the last error about any of keys, in full; the one the status
// line shows is already at the top of the pane.
func (m Model) errLine(w int, keys ...string) []string {
	for _, k := range keys {
		e := m.itemErr[k]
		switch {
		case e == "":
			continue
		case m.status.err && e == m.status.text:
			return nil
		}
		return wrapStyled(m.styles.StatusError, "✗ "+e, w)
	}
	return nil
}

// warnLines are the warnings the engine gave with a credential, in full.
func (m Model) warnLines(w int, credID string) []string {
	var out []string
	for _, text := range m.itemWarn[credID] {
		out = append(out, wrapStyled(m.styles.Warning, "⚠ "+text, w)...)
	}
	return out
}

// wrapStyled wraps inert text to w cells and styles each line on its own,
// so no style runs across a line break.
func wrapStyled(st lipgloss.Style, text string, w int) []string {
	lines := strings.Split(wrapWords(text, w), "\n")
	for i, l := range lines {
		lines[i] = st.Render(l)
	}
	return lines
}

// targetDetail is a target's lines and which one reads the clock.
func (m Model) targetDetail(it *targetItem, w int) (lines []string, clock int) {
	t := it.target
	lines = []string{m.styles.DialogTitle.Render(it.name) + m.styles.Muted.Render(joinNonEmpty(" · ", "", it.kind, it.region, it.phase))}
	errKeys := []string{it.key}
	if it.best != nil {
		errKeys = append(errKeys, it.best.cred.ID)
	}
	lines = append(lines, m.errLine(w, errKeys...)...)
	if e := m.regionError(t); e != "" {
		lines = append(lines, m.styles.Warn.Render("⚠ region listing failed, data may be old: "+e))
	}
	clock = len(lines)
	lines = append(lines, m.bestLine(it))
	if t.Kind == api.KindFleet {
		lines = append(lines, m.field("members", it.members), m.field("fed.", it.federation))
	} else {
		ext := sanitize.Line(t.Endpoints.External)
		if ext == "" {
			ext = "none (no EIP)"
		}
		lines = append(lines, m.field("internal", sanitize.Line(t.Endpoints.Internal)), m.field("external", ext))
	}
	project := ""
	if t.ProjectID != "" {
		project = "project " + sanitize.Line(t.ProjectID)
	}
	lines = append(lines, m.field("id", sanitize.Line(t.ID)+m.styles.Muted.Render(joinNonEmpty(" · ", "", project, it.version))))
	if note := fetchNote(t); note != "" {
		lines = append(lines, m.styles.Warn.Render("⚠ "+note))
	}
	return lines, clock
}

// bestLine describes a target's best credential.
func (m Model) bestLine(it *targetItem) string { return m.field(certField, m.bestText(it)) }

func (m Model) bestText(it *targetItem) string {
	if it.best == nil {
		return "none — enter fetches one"
	}
	b := it.best
	return fmt.Sprintf("%s · %s · %s · %d on file", certCell(b, m.now), b.cred.ID, sanitize.Line(b.context), it.creds)
}

// fetchNote says why fetching is limited for t, if it is.
func fetchNote(t api.Target) string {
	switch {
	case t.Kind == api.KindFleet && !t.Federation:
		return "federation is off: no credential can be fetched"
	case t.Kind != api.KindFleet && t.Hibernated():
		return "hibernating: wake it before fetching"
	case t.Legacy():
		return "pre-v1.13 cluster: the validity is the cluster's own"
	case t.Kind != api.KindFleet && !t.HasEIP():
		return "no EIP: internal context only"
	}
	return ""
}

// credDetail is a credential's lines and which one reads the clock.
func (m Model) credDetail(it *credItem, w int) (lines []string, clock int) {
	c := it.cred
	lines = []string{m.styles.DialogTitle.Render(c.ID+" · "+it.target) + m.styles.Muted.Render(" ("+it.region+") ") + healthStyle(it.health, m.styles).Render(badge(it.health))}
	lines = append(lines, m.errLine(w, c.ID, c.Target.Key())...)
	lines = append(lines, m.warnLines(w, c.ID)...)
	lines = append(lines, m.field("contexts", m.contextsText(c)))
	clock = len(lines)
	lines = append(lines, m.expiresLine(it))
	if s := m.subjectText(c); s != "" {
		lines = append(lines, m.field("subject", s))
	}
	lines = append(lines, m.field("source", joinSome(" · ", string(c.Source), string(c.Mode), "requested "+requested(c), it.file)))
	if c.Fingerprint != "" {
		lines = append(lines, m.field("sha256", sanitize.Line(c.Fingerprint)))
	}
	return lines, clock
}

// expiresLine is a credential's expiry, countdown and lifetime used.
func (m Model) expiresLine(it *credItem) string { return m.field(expiresField, m.expiryText(it)) }

// subjectText is the certificate's subject and serial; a token has none.
func (m Model) subjectText(c store.Credential) string {
	if c.Subject == "" && c.Serial == "" {
		if c.TokenOnly {
			return "token (no certificate)"
		}
		return ""
	}
	s := sanitize.Line(c.Subject)
	if s == "" {
		s = "—"
	}
	if c.Serial != "" {
		s += m.styles.Muted.Render(" · serial " + sanitize.Line(c.Serial))
	}
	return s
}

// contextsText lists the contexts, marking the ones that skip TLS checks.
func (m Model) contextsText(c store.Credential) string {
	if len(c.Contexts) == 0 {
		return "none written"
	}
	if c.Revoked() {
		return m.styles.Muted.Render("removed by the revoke (were " + sanitize.Line(strings.Join(c.Contexts, ", ")) + ")")
	}
	parts := make([]string, len(c.Contexts))
	for i, name := range c.Contexts {
		parts[i] = sanitize.Line(name)
		if i >= len(c.Clusters) {
			continue
		}
		switch r := c.Clusters[i]; r.TLS() {
		case api.TLSInsecure:
			why := ""
			if r.TLSReason != "" {
				why = ": " + sanitize.Line(r.TLSReason)
			}
			parts[i] += m.styles.Warning.Render(" (insecure-skip-tls-verify" + why + ")")
		case api.TLSServerName:
			parts[i] += m.styles.Muted.Render(" (verified, as " + sanitize.Line(r.TLSServerName) + ")")
		default:
			parts[i] += m.styles.Muted.Render(" (verified)")
		}
	}
	return strings.Join(parts, ", ")
}

func (m Model) expiryText(it *credItem) string {
	c := it.cred
	ended := ""
	switch {
	case c.Revoked():
		ended = "revoked " + c.RevokedAt.In(m.opts.Location).Format("2006-01-02 15:04 MST")
	case c.ReplacedBy != "":
		ended = "replaced by " + sanitize.Line(c.ReplacedBy)
	}
	if it.notAfterNano == 0 {
		if ended != "" {
			return "no expiry info (token) · " + ended
		}
		return "no expiry info (token) — never shown as OK"
	}
	date := c.NotAfter.In(m.opts.Location).Format("2006-01-02 15:04:05 MST")
	if ended != "" {
		return date + " · " + ended
	}
	life := c.NotAfter.Sub(c.NotBefore)
	return fmt.Sprintf("%s · %s · lifetime %s, %d%% used", date, remaining(it, m.now), store.FormatRemaining(max(life, time.Second)), usedPercent(c, m.now))
}

// usedPercent is the share of c's lifetime gone at now, 0 to 100.
func usedPercent(c store.Credential, now time.Time) int {
	life := c.NotAfter.Sub(c.NotBefore)
	used := 0
	if life > 0 { // in floats: 100 × a lifetime of years overflows a Duration
		used = int(100 * float64(now.Sub(c.NotBefore)) / float64(life))
	}
	return max(0, min(used, 100))
}

// usedPercentEnd is an instant no later than the first at which
// usedPercent(c, ·) reads differently than at now (a millisecond early,
// against rounding).
func usedPercentEnd(c store.Credential, now time.Time) int64 {
	life := c.NotAfter.Sub(c.NotBefore)
	p := usedPercent(c, now)
	if life <= 0 || p >= 100 {
		return never
	}
	return c.NotBefore.UnixNano() + int64(float64(p+1)/100*float64(life)) - int64(time.Millisecond)
}

// requested is the validity asked for ("legacy" when the cluster chose).
func requested(c store.Credential) string {
	switch {
	case c.Legacy:
		return "cluster's own (legacy)"
	case c.Validity == (api.Validity{}):
		return "—"
	}
	return c.Validity.String()
}

// joinNonEmpty joins the non-empty parts, each preceded by sep.
func joinNonEmpty(sep, first string, parts ...string) string {
	out := first
	for _, p := range parts {
		if p != "" {
			out += sep + p
		}
	}
	return out
}

// joinSome joins the non-empty parts with sep.
func joinSome(sep string, parts ...string) string {
	return strings.Join(slices.DeleteFunc(slices.Clone(parts), func(p string) bool { return p == "" }), sep)
}
