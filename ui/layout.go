package ui

import "github.com/charmbracelet/lipgloss"

// layout is the width-dependent geometry, computed on resize (and when the
// full help opens or closes), never in View.
type layout struct {
	side    bool // detail pane right of the table (wide terminals)
	bodyH   int  // lines between the timeline and the status line
	tableW  int
	tableH  int // including the table header
	detailW int
	detailH int // including its border line; 0 = hidden
	helpH   int
}

// Geometry constants.
const (
	chromeLines      = 4   // header, tabs, timeline, status
	sideMinWidth     = 180 // from here the detail pane goes to the right
	sideWidth        = 48  // the side pane's width, at the least
	sideMaxWidth     = 80  // … and at the most, when the table leaves room
	bottomDetail     = 7   // border + 6 lines
	tallDetail       = 9   // border + 8 lines, when the body is tall
	minBodyForDetail = 14
)

// relayout recomputes the geometry for the terminal size and resizes the
// tables and dialogs.
func (m *Model) relayout() {
	w, h := max(m.width, 20), max(m.height, 8)
	m.widgets.help.Width = w
	l := layout{helpH: 1}
	if m.widgets.help.ShowAll {
		l.helpH = lipgloss.Height(m.helpView())
	}
	l.bodyH = max(h-chromeLines-l.helpH, 2)
	switch {
	case w >= sideMinWidth:
		l.side = true
		l.detailW, l.detailH = m.sideWidth(w), l.bodyH
		l.tableW, l.tableH = w-l.detailW, l.bodyH
	case l.bodyH >= minBodyForDetail:
		l.detailW, l.detailH = w, bottomDetail
		if l.bodyH >= 30 {
			l.detailH = tallDetail
		}
		l.tableW, l.tableH = w, l.bodyH-l.detailH
	default:
		l.tableW, l.tableH = w, l.bodyH
	}
	m.layout = l
	tw := l.tableW
	if l.side {
		tw-- // a blank column before the pane's edge
	}
	for _, p := range m.pages {
		p.table.SetSize(tw, l.tableH)
		p.noKeys = m.opts.NoKeys != ""
	}
	m.widgets.fetch.SetWidth(w - 4)
	m.widgets.confirm.SetWidth(w - 4)
	m.widgets.prompt.SetWidth(w - 4)
	m.widgets.events.SetSize(w-4, l.bodyH)
	m.widgets.filterIn.Width = max(w/3, 10)
}

// sideWidth is the side pane's width at terminal width w: what the active
// page's table leaves, between sideWidth and sideMaxWidth.
func (m Model) sideWidth(w int) int {
	return max(sideWidth, min(sideMaxWidth, w-1-m.page().table.Natural()))
}

// fitSide lays out again when the side pane's width no longer suits the
// active page (another page, or rows that need other widths). It is
// O(columns), called after every message but the clock's.
func (m *Model) fitSide() {
	if m.layout.side && m.sideWidth(max(m.width, 20)) != m.layout.detailW {
		m.relayout()
	}
}
