package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"ccecert/api"
	"ccecert/ui/components/header"
	"ccecert/ui/components/statusbar"
	"ccecert/ui/components/tabs"
	"ccecert/ui/components/timeline"
	"ccecert/ui/sanitize"
)

// render draws the screen: header, tabs, timeline, body (table and detail,
// or a dialog), status line and help. Only visible rows are drawn.
func (m Model) render() string {
	w := max(m.width, 20)
	var b strings.Builder
	b.Grow(w * (m.height + 1) * 2)
	b.WriteString(m.memo.header(w, m.st, m.headerInfo()))
	b.WriteByte('\n')
	b.WriteString(tabs.Render(w, m.st, []string{"Clusters", "Fleets", "Credentials"}, m.active, m.tabsRight()))
	b.WriteByte('\n')
	b.WriteString(timeline.Render(m.data.heat, w, m.st.Heat, m.st.Muted))
	b.WriteByte('\n')
	m.writeBody(&b, w)
	b.WriteString(statusbar.Render(w, m.st, m.statusInfo()))
	b.WriteByte('\n')
	writeLines(&b, m.w.help.View(m.helpKeys()), m.lay.helpH, w)
	return strings.TrimSuffix(b.String(), "\n")
}

// writeBody writes exactly bodyH lines.
func (m Model) writeBody(b *strings.Builder, w int) {
	l := m.lay
	if m.dialog != dialogNone {
		writeLines(b, lipgloss.Place(w, l.bodyH, lipgloss.Center, lipgloss.Center, m.dialogView()), l.bodyH, w)
		return
	}
	table := m.page().view(m.now, m.st)
	if l.side {
		tl := strings.Split(table, "\n")
		dl := m.detailLines(l.detailW-2, l.bodyH, true)
		for i := range l.bodyH {
			row := ""
			if i < len(tl) {
				row = tl[i]
			}
			b.WriteString(row)
			b.WriteString(spaces(l.tableW - lipgloss.Width(row)))
			b.WriteString(m.st.Muted.Render("│ "))
			if i < len(dl) {
				b.WriteString(dl[i])
			}
			b.WriteByte('\n')
		}
		return
	}
	writeLines(b, table, l.tableH, w)
	if l.detailH > 0 {
		b.WriteString(m.st.Muted.Render(strings.Repeat("─", w)))
		b.WriteByte('\n')
		for _, line := range padLines(m.detailLines(w, l.detailH-1, false), l.detailH-1) {
			b.WriteString(line)
			b.WriteByte('\n')
		}
	}
}

func (m Model) dialogView() string {
	switch m.dialog {
	case dialogFetch:
		return m.w.fetch.View()
	case dialogConfirm:
		return m.w.confirm.View()
	}
	return m.w.prompt.View()
}

// writeLines writes s as exactly n lines, cut to width w.
func writeLines(b *strings.Builder, s string, n, w int) {
	lines := strings.SplitN(s, "\n", n+1)
	for i := range n {
		if i < len(lines) {
			line := lines[i]
			if lipgloss.Width(line) > w {
				line = ansi.Truncate(line, w, "")
			}
			b.WriteString(line)
		}
		b.WriteByte('\n')
	}
}

func padLines(lines []string, n int) []string {
	for len(lines) < n {
		lines = append(lines, "")
	}
	return lines[:n]
}

func spaces(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat(" ", n)
}

func (m Model) headerInfo() header.Info {
	refreshed := "never refreshed"
	if !m.fetchedAt.IsZero() {
		refreshed = "refreshed " + ago(m.now.Sub(m.fetchedAt))
	}
	return header.Info{
		Account:   sanitize.Line(m.o.Account),
		Regions:   sanitize.Line(m.o.Regions),
		Refreshed: refreshed,
		Clock:     m.now.In(m.o.Location).Format("15:04"),
		Demo:      m.o.Demo,
	}
}

// tabsRight is the filter (being typed or applied), the row count and the
// sort.
func (m Model) tabsRight() string {
	p := m.page()
	shown, total := p.counts()
	count := fmt.Sprint(total)
	if p.filter != "" {
		count = fmt.Sprintf("%d/%d", shown, total)
	}
	switch {
	case m.filtering:
		return m.w.filterIn.View() + " " + count
	case p.filter != "":
		return m.st.Filter.Render("/"+sanitize.Line(p.filter)) + " " + count + " · sort " + p.sortName()
	}
	return m.st.Muted.Render(count + " · sort " + p.sortName())
}

func (m Model) statusInfo() statusbar.Status {
	s := statusbar.Status{Message: m.status.text, Error: m.status.err, Warn: m.status.warn, Plain: m.status.plain, Regions: m.regionsText(), Stale: m.staleText()}
	if m.busy() {
		s.Spinner = m.spin.View()
		s.Busy = m.busyText()
	}
	return s
}

// busyText says what is running: refresh progress, bulk renewal progress,
// or the most recent task.
func (m Model) busyText() string {
	r := m.req
	switch {
	case m.bulk != nil:
		return "renewing " + m.bulk.progress()
	case r.refreshID != 0 && r.total > 0:
		return fmt.Sprintf("refreshing %d/%d regions", r.done, r.total)
	case r.refreshID != 0:
		return "refreshing inventory…"
	case len(r.busyOrder) > 0:
		return r.busy[r.busyOrder[len(r.busyOrder)-1]] + "…"
	}
	return ""
}

// regionsText names the regions that failed to list.
func (m Model) regionsText() string {
	if len(m.regionErrs) == 0 {
		return ""
	}
	var names []string
	seen := map[string]bool{}
	for _, e := range m.regionErrs {
		if !seen[e.Region] {
			seen[e.Region] = true
			names = append(names, sanitize.Line(e.Region))
		}
	}
	word := "regions"
	if len(names) == 1 {
		word = "region"
	}
	return fmt.Sprintf("%d %s failed: %s", len(names), word, strings.Join(names, ", "))
}

// staleText marks a cached inventory older than StaleAfter.
func (m Model) staleText() string {
	switch {
	case m.fetchedAt.IsZero():
		if m.req.invApplied == 0 {
			return ""
		}
		return "NO CACHE"
	case m.now.Sub(m.fetchedAt) > m.o.StaleAfter:
		return "STALE " + ago(m.now.Sub(m.fetchedAt))
	}
	return ""
}

// ago is a coarse age, in minutes at the finest (the header redraws once a
// minute while nothing shows seconds): "just now", "5m ago", "3h ago", "2d ago".
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d/time.Minute))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh ago", int(d/time.Hour))
	}
	return fmt.Sprintf("%dd ago", int(d/(24*time.Hour)))
}

// regionError is the listing error of a target's region, if any.
func (m Model) regionError(t api.Target) string {
	for _, e := range m.regionErrs {
		if e.Region == t.Region && (e.Kind == "" || e.Kind == t.Kind) {
			return sanitize.Line(e.Error())
		}
	}
	return ""
}
