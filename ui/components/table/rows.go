package table

import (
	"bytes"
	"slices"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// rowCache is the table's last drawing. A TUI redraws the table once a
// second while a countdown ticks, yet most rows read the same as a second
// ago: each visible row's painted line is kept with the cells, style and
// selection it was drawn from, and handed back while those are equal.
// Row i is kept in slot i mod height, so scrolling by a row keeps the
// others. A resize drops everything (the columns are laid out anew).
type rowCache struct {
	slots   []rowSlot
	lines   []Line   // the last Lines result, reused
	cells   []string // the buffer handed to the row function
	scratch []byte   // the row being laid out

	brushes []brush // Styles.Rows split for painting, made on first use
	sel     brush   // Styles.Selected split for painting
	none    brush   // for a style index out of range: unstyled
	painted bool    // the brushes are made

	empty     Line // the "nothing to list" line, for emptyText at emptyWidth
	emptyText string
	emptyW    int
}

// rowSlot is one drawn row and what it was drawn from.
type rowSlot struct {
	ok       bool
	row      int // the row drawn
	cells    []string
	style    int
	selected bool
	line     Line
}

// reset forgets every drawn row and keeps room for height of them.
func (c *rowCache) reset(height int) {
	c.slots = make([]rowSlot, max(height, 0))
	c.emptyText, c.emptyW = "", 0
}

// Lines renders the header and the visible rows, each with its width in
// cells; row(i) is called for the visible rows only. empty is shown when
// there are no rows. The slice is reused by the next call.
func (m Model) Lines(row func(i int, buf []string) Row, empty string) []Line {
	return m.LinesKeeping(row, nil, empty)
}

// LinesKeeping is Lines where keep(i) may say that row i reads as it did
// when last drawn: its line is handed back without calling row(i) (kept
// only if the slot still holds row i with the same selection).
func (m Model) LinesKeeping(row func(i int, buf []string) Row, keep func(i int) bool, empty string) []Line {
	c := m.cache
	if c == nil {
		c = &rowCache{} // a zero Model draws without memory
	}
	c.lines = append(c.lines[:0], m.header)
	if m.n == 0 {
		return append(c.lines, c.emptyLine(m, empty))
	}
	if len(c.cells) != len(m.cols) {
		c.cells = make([]string, len(m.cols))
	}
	if len(c.slots) != m.height {
		c.reset(m.height)
	}
	start, end := m.Visible()
	for i := start; i < end; i++ {
		sel := i == m.cursor
		s := &c.slots[i%len(c.slots)]
		if keep != nil && s.ok && s.row == i && s.selected == sel && keep(i) {
			c.lines = append(c.lines, s.line)
			continue
		}
		r := row(i, c.cells)
		if !s.ok || s.style != r.Style || s.selected != sel || !slices.Equal(s.cells, r.Cells) {
			s.line = m.paintRow(c, r, sel)
			s.cells = append(s.cells[:0], r.Cells...)
			s.style, s.selected, s.ok = r.Style, sel, true
		}
		s.row = i
		c.lines = append(c.lines, s.line)
	}
	return c.lines
}

// emptyLine is the muted "nothing to list" line, drawn again only when
// its text or the width changes.
func (c *rowCache) emptyLine(m Model, empty string) Line {
	if c.emptyText != empty || c.emptyW != m.width || c.empty.Text == "" {
		text := m.styles.Empty.Render(ansi.Truncate("  "+empty, m.width, "…"))
		c.empty, c.emptyText, c.emptyW = Line{Text: text, Width: lipgloss.Width(text)}, empty, m.width
	}
	return c.empty
}

// paintRow lays out and paints one row: "> " or "  ", then the cells.
func (m Model) paintRow(c *rowCache, r Row, selected bool) Line {
	b := c.brush(m.styles, r.Style, selected)
	buf := append(c.scratch[:0], b.pre...)
	from := len(buf)
	if selected {
		buf = append(buf, "> "...)
	} else {
		buf = append(buf, "  "...)
	}
	buf = m.appendCells(buf, func(i int) string { return r.Cells[i] }, true)
	line := buf[from:]
	l := Line{Width: -1}
	if b.plain && bytes.IndexByte(line, '\n') < 0 {
		buf = append(buf, b.post...)
		l.Text, l.Width = string(buf), printableWidth(line)
	} else {
		l.Text = b.style.Render(string(line))
	}
	if l.Width < 0 {
		l.Width = lipgloss.Width(l.Text)
	}
	c.scratch = buf
	return l
}

// brush is the painter of a row style, or of the selection.
func (c *rowCache) brush(st Styles, style int, selected bool) *brush {
	if !c.painted {
		c.brushes = make([]brush, len(st.Rows))
		for i, s := range st.Rows {
			c.brushes[i] = newBrush(s)
		}
		c.sel, c.none, c.painted = newBrush(st.Selected), newBrush(lipgloss.Style{}), true
	}
	switch {
	case selected:
		return &c.sel
	case style >= 0 && style < len(c.brushes):
		return &c.brushes[style]
	}
	return &c.none
}

// printableWidth is the width of printable ASCII text (its length), or -1
// for anything else, which is measured in full.
func printableWidth(s []byte) int {
	for _, c := range s {
		if c < 0x20 || c > 0x7e {
			return -1
		}
	}
	return len(s)
}
