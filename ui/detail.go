package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"ccecert/api"
	"ccecert/store"
	"ccecert/ui/sanitize"
)

// detailLines describes the selected row in at most h lines of width w;
// long lines wrap when wrap is set (the tall side pane), else are cut. An
// error about the selection comes right after the title, so it is never cut
// off.
func (m Model) detailLines(w, h int, wrap bool) []string {
	var lines []string
	if m.active == pageCredentials {
		if c := m.selectedCred(); c != nil {
			lines = m.credDetail(c)
		}
	} else if t := m.selectedTarget(); t != nil {
		lines = m.targetDetail(t)
	}
	if len(lines) == 0 {
		lines = []string{m.st.Muted.Render("nothing selected")}
	}
	var out []string
	for _, l := range lines {
		if wrap {
			out = append(out, strings.Split(ansi.Wrap(l, w, " ·,"), "\n")...)
		} else {
			out = append(out, ansi.Truncate(l, w, "…"))
		}
	}
	if len(out) > h {
		out = out[:h]
	}
	return out
}

// field renders "name value" with the name muted.
func (m Model) field(name, value string) string {
	return m.st.DetailKey.Render(fmt.Sprintf("%-9s", name)) + " " + value
}

func (m Model) errLine(keys ...string) []string {
	for _, k := range keys {
		if e := m.itemErr[k]; e != "" {
			return []string{m.st.StatusError.Render("✗ " + e)}
		}
	}
	return nil
}

func (m Model) targetDetail(it *targetItem) []string {
	t := it.t
	lines := []string{m.st.DialogTitle.Render(it.name) + m.st.Muted.Render(joinNonEmpty(" · ", "", it.kind, it.region, it.phase))}
	errKeys := []string{it.key}
	if it.best != nil {
		errKeys = append(errKeys, it.best.c.ID)
	}
	lines = append(lines, m.errLine(errKeys...)...)
	if e := m.regionError(t); e != "" {
		lines = append(lines, m.st.Warn.Render("⚠ region listing failed, data may be old: "+e))
	}
	lines = append(lines, m.bestLine(it))
	if t.Kind == api.KindFleet {
		lines = append(lines, m.field("members", it.members), m.field("fed.", it.fed))
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
	lines = append(lines, m.field("id", sanitize.Line(t.ID)+m.st.Muted.Render(joinNonEmpty(" · ", "", project, it.version))))
	if note := fetchNote(t); note != "" {
		lines = append(lines, m.st.Warn.Render("⚠ "+note))
	}
	return lines
}

// bestLine describes a target's best credential.
func (m Model) bestLine(it *targetItem) string {
	if it.best == nil {
		return m.field("cert", "none — enter fetches one")
	}
	b := it.best
	return m.field("cert", fmt.Sprintf("%s · %s · %s · %d on file", certCell(b, m.now), b.c.ID, sanitize.Line(b.context), it.creds))
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

func (m Model) credDetail(it *credItem) []string {
	c := it.c
	lines := []string{m.st.DialogTitle.Render(c.ID+" · "+it.target) + m.st.Muted.Render(" ("+it.region+") ") + healthStyle(it.health, m.st).Render(badge(it.health))}
	lines = append(lines, m.errLine(c.ID, c.Target.Key())...)
	lines = append(lines,
		m.field("contexts", m.contextsText(c)),
		m.field("expires", m.expiryText(it)),
		m.field("subject", sanitize.Line(c.Subject)+m.st.Muted.Render(" · serial "+sanitize.Line(c.Serial))),
		m.field("source", fmt.Sprintf("%s · %s · requested %s · %s", c.Source, c.Mode, requested(c), it.file)),
		m.field("sha256", sanitize.Line(c.Fingerprint)),
	)
	return lines
}

// contextsText lists the contexts, marking the ones that skip TLS checks.
func (m Model) contextsText(c store.Credential) string {
	if len(c.Contexts) == 0 {
		return "none written"
	}
	parts := make([]string, len(c.Contexts))
	for i, name := range c.Contexts {
		parts[i] = sanitize.Line(name)
		if i < len(c.Clusters) && c.Clusters[i].Insecure {
			parts[i] += m.st.Warning.Render(" (insecure-skip-tls-verify)")
		} else if i < len(c.Clusters) {
			parts[i] += m.st.Muted.Render(" (verified)")
		}
	}
	return strings.Join(parts, ", ")
}

func (m Model) expiryText(it *credItem) string {
	c := it.c
	if it.na == 0 {
		return "no expiry info (token) — never shown as OK"
	}
	life := c.NotAfter.Sub(c.NotBefore)
	used := 0
	if life > 0 {
		used = int(100 * m.now.Sub(c.NotBefore) / life)
	}
	used = max(0, min(used, 100))
	return fmt.Sprintf("%s · %s · lifetime %s, %d%% used", c.NotAfter.In(m.o.Location).Format("2006-01-02 15:04:05 MST"), remaining(it, m.now), store.FormatRemaining(max(life, time.Second)), used)
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
