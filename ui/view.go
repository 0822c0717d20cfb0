package ui

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"ccecert/api"
	"ccecert/ui/components/header"
	"ccecert/ui/components/statusbar"
	"ccecert/ui/components/table"
	"ccecert/ui/components/tabs"
	"ccecert/ui/components/timeline"
	"ccecert/ui/sanitize"
)

// render draws the screen: header, tabs, timeline, body (table and detail,
// or a dialog), status line and help. Only visible rows are drawn, and only
// the parts that changed since the last frame (see frameParts).
func (m Model) render() string {
	v := m.viewCache
	if v == nil {
		v = &viewCache{}
	}
	p := &v.parts
	w := max(m.width, 20)
	b := p.buf[:0]
	b = append(b, p.header.get(m.headerKey(w), func() string { return header.Render(w, m.styles, m.headerInfo()) })...)
	b = append(b, '\n')
	b = append(b, p.tabs.get(m.tabsKey(w), func() string {
		return tabs.Render(w, m.styles, []string{"Clusters", "Fleets", "Credentials", "Contexts"}, m.active, m.tabsRight())
	})...)
	b = append(b, '\n')
	b = append(b, p.timeline.get(m.timelineKey(w), func() string { return timeline.Render(m.data.heat, w, m.styles.Heat, m.styles.Muted) })...)
	b = append(b, '\n')
	b = m.appendBody(b, p, w)
	b = append(b, p.status.get(m.statusKey(w), func() string { return statusbar.Render(w, m.styles, m.statusInfo()) })...)
	b = append(b, '\n')
	b = append(b, p.help.get(helpKey{rev: m.rev, width: w, lines: m.layout.helpH}, func() string {
		return string(appendLines(nil, m.helpView(), m.layout.helpH, w))
	})...)
	p.buf = b
	return string(bytes.TrimSuffix(b, []byte("\n")))
}

// appendBody appends exactly bodyH lines.
func (m Model) appendBody(b []byte, p *frameParts, w int) []byte {
	l := m.layout
	if m.dialog != dialogNone {
		return appendLines(b, lipgloss.Place(w, l.bodyH, lipgloss.Center, lipgloss.Center, m.dialogView()), l.bodyH, w)
	}
	if m.firstRun() {
		return m.appendNoKeys(b, l.bodyH, w)
	}
	table := m.page().view(m.now, m.rev)
	if l.side {
		dl := m.detail(p, l.detailW-2, l.bodyH, true)
		bar := p.bar.get(0, func() string { return m.styles.Muted.Render("│ ") })
		for i := range l.bodyH {
			used := 0
			if i < len(table) {
				b = append(b, table[i].Text...)
				used = table[i].Width
			}
			b = append(b, spaces(l.tableW-used)...)
			b = append(b, bar...)
			if i < len(dl) {
				b = append(b, dl[i]...)
			}
			b = append(b, '\n')
		}
		return b
	}
	b = appendTable(b, table, l.tableH, w)
	if l.detailH > 0 {
		b = append(b, p.rule.get(w, func() string { return m.styles.Muted.Render(strings.Repeat("─", w)) })...)
		b = append(b, '\n')
		dl := m.detail(p, w, l.detailH-1, false)
		for i := range l.detailH - 1 {
			if i < len(dl) {
				b = append(b, dl[i]...)
			}
			b = append(b, '\n')
		}
	}
	return b
}

func (m Model) dialogView() string {
	switch m.dialog {
	case dialogFetch:
		return m.widgets.fetch.View()
	case dialogConfirm:
		return m.widgets.confirm.View()
	case dialogEvents:
		return m.widgets.events.View()
	case dialogProfile:
		return m.pickerView()
	}
	return m.widgets.prompt.View()
}

// appendLines appends s as exactly n lines, cut to width w.
func appendLines(b []byte, s string, n, w int) []byte {
	lines := strings.SplitN(s, "\n", n+1)
	for i := range n {
		if i < len(lines) {
			b = appendCut(b, lines[i], lipgloss.Width(lines[i]), w)
		}
		b = append(b, '\n')
	}
	return b
}

// appendTable appends the table's lines as exactly n lines, cut to width
// w; their widths are known.
func appendTable(b []byte, lines []table.Line, n, w int) []byte {
	for i := range n {
		if i < len(lines) {
			b = appendCut(b, lines[i].Text, lines[i].Width, w)
		}
		b = append(b, '\n')
	}
	return b
}

// appendCut appends line, of width lw, cut to width w.
func appendCut(b []byte, line string, lw, w int) []byte {
	if lw > w {
		line = ansi.Truncate(line, w, "")
	}
	return append(b, line...)
}

const blanks = "                                                                                                                                "

func spaces(n int) string {
	switch {
	case n <= 0:
		return ""
	case n <= len(blanks):
		return blanks[:n]
	}
	return strings.Repeat(" ", n)
}

func (m Model) headerInfo() header.Info {
	refreshed := "never refreshed"
	if !m.fetchedAt.IsZero() {
		refreshed = "refreshed " + ago(m.now.Sub(m.fetchedAt))
	}
	return header.Info{
		Profile:   m.headerProfile(),
		Account:   sanitize.Line(m.profile.Account),
		Regions:   sanitize.Line(m.profile.Regions),
		Refreshed: refreshed,
		Clock:     m.now.In(m.opts.Location).Format("15:04"),
		Demo:      m.opts.Demo,
		Context:   m.currentContextText(),
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
		return m.widgets.filterIn.View() + " " + count
	case p.filter != "":
		return m.styles.Filter.Render("/"+sanitize.Line(p.filter)) + " " + count + " · sort " + p.sortName()
	}
	return m.styles.Muted.Render(count + " · sort " + p.sortName())
}

func (m Model) statusInfo() statusbar.Status {
	s := m.baseStatus()
	if m.messageInPane() {
		s.Message = m.shortMessage()
	}
	if s.Message == "" && m.opts.NoKeys != "" && !m.firstRun() {
		s.Message, s.Plain = "no access key: what is on file only — `ccecert configure` adds one", true
	}
	if m.busy() {
		s.Spinner = m.widgets.spin.View()
		s.Busy = m.busyText()
	}
	return s
}

// baseStatus is the status line as the model has it: the message, region
// errors and the stale marker.
func (m Model) baseStatus() statusbar.Status {
	s := statusbar.Status{Message: m.status.text, Error: m.status.err, Warn: m.status.warn, Plain: m.status.plain, Regions: m.regionsText(), Stale: m.staleText()}
	if m.firstRun() {
		s.Stale = "" // the panel says what there is
	}
	return s
}

// busyText says what is running: refresh progress, bulk renewal progress,
// or the most recent task.
func (m Model) busyText() string {
	r := m.requests
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

// regionsText names the regions that failed to list, and says so when the
// fleets were listed without their members.
func (m Model) regionsText() string {
	var names, parts []string
	seen := map[string]bool{}
	partial := false
	for _, e := range m.regionErrs {
		switch {
		case e.Partial:
			partial = true
		case !seen[e.Region]:
			seen[e.Region] = true
			names = append(names, sanitize.Line(e.Region))
		}
	}
	if len(names) > 0 {
		word := "regions"
		if len(names) == 1 {
			word = "region"
		}
		parts = append(parts, fmt.Sprintf("%d %s failed: %s", len(names), word, strings.Join(names, ", ")))
	}
	if partial {
		parts = append(parts, "fleet members not listed")
	}
	return strings.Join(parts, " · ")
}

// staleText marks a cached inventory older than StaleAfter.
func (m Model) staleText() string {
	switch {
	case m.fetchedAt.IsZero():
		if m.requests.invApplied == 0 {
			return ""
		}
		return "NO CACHE"
	case m.now.Sub(m.fetchedAt) > m.opts.StaleAfter:
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
