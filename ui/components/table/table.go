// Package table is a virtual table: it keeps a cursor and a scroll offset
// over n rows and renders only the rows that fit, asking the caller for the
// text of each visible cell. Ten thousand rows cost no more than forty.
package table

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

// Align is a column's text alignment.
type Align int

// Alignments.
const (
	Left Align = iota
	Right
)

// Column describes one column. Width is its minimum width; Flex shares the
// spare width between flexible columns; columns with a higher Drop are
// dropped first when the table is too narrow (0 = never dropped).
type Column struct {
	Title string
	Width int
	Flex  int
	Drop  int
	Align Align
}

// Styles are the table's styles.
type Styles struct {
	Header   lipgloss.Style
	Selected lipgloss.Style
	Empty    lipgloss.Style
}

// Model is the table state: columns, the laid-out widths, cursor and offset.
type Model struct {
	cols   []Column
	widths []int // laid-out width per column; 0 = dropped
	width  int
	height int // rows of data, header excluded
	n      int
	cursor int
	offset int
	styles Styles
	header string // cached rendered header
}

// New returns a table with the given columns.
func New(cols []Column, st Styles) Model {
	return Model{cols: cols, styles: st}
}

// SetSize lays out the columns for width and the number of data rows that
// fit in height (the header takes one line). Call it on resize only.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, max(height-1, 1)
	m.widths = layout(m.cols, width-markerWidth)
	m.header = m.renderHeader()
	m.clamp()
}

// Height is the number of data rows shown.
func (m Model) Height() int { return m.height }

// SetRowCount tells the table how many rows there are and keeps the cursor
// in range.
func (m *Model) SetRowCount(n int) {
	m.n = n
	m.clamp()
}

// RowCount is the number of rows.
func (m Model) RowCount() int { return m.n }

// Cursor is the selected row, or -1 when there are no rows.
func (m Model) Cursor() int {
	if m.n == 0 {
		return -1
	}
	return m.cursor
}

// SetCursor selects row i (clamped) and scrolls it into view.
func (m *Model) SetCursor(i int) {
	m.cursor = i
	m.clamp()
}

// Move moves the cursor by delta rows.
func (m *Model) Move(delta int) { m.SetCursor(m.cursor + delta) }

// PageDown moves one page down.
func (m *Model) PageDown() { m.Move(m.height) }

// PageUp moves one page up.
func (m *Model) PageUp() { m.Move(-m.height) }

// Top selects the first row.
func (m *Model) Top() { m.SetCursor(0) }

// Bottom selects the last row.
func (m *Model) Bottom() { m.SetCursor(m.n - 1) }

// Visible returns the half-open range of rows on screen.
func (m Model) Visible() (start, end int) {
	return m.offset, min(m.offset+m.height, m.n)
}

func (m *Model) clamp() {
	m.cursor = max(0, min(m.cursor, m.n-1))
	if m.cursor < m.offset {
		m.offset = m.cursor
	}
	if m.cursor >= m.offset+m.height {
		m.offset = m.cursor - m.height + 1
	}
	m.offset = max(0, min(m.offset, m.n-m.height))
}

// Widths returns the laid-out width of each column (0 = dropped).
func (m Model) Widths() []int { return m.widths }

const markerWidth = 2 // "> " before the selected row

// layout gives each column its width within total: minimum widths first,
// dropping the most droppable columns until they fit, then the spare width
// to flexible columns.
func layout(cols []Column, total int) []int {
	widths := make([]int, len(cols))
	used := func() int {
		u, k := 0, 0
		for _, w := range widths {
			if w > 0 {
				u += w
				k++
			}
		}
		return u + max(k-1, 0) // one space between columns
	}
	for i, c := range cols {
		widths[i] = max(c.Width, 1)
	}
	for used() > total {
		drop := -1
		for i, c := range cols {
			if widths[i] > 0 && c.Drop > 0 && (drop < 0 || c.Drop > cols[drop].Drop) {
				drop = i
			}
		}
		if drop < 0 {
			break
		}
		widths[drop] = 0
	}
	spare, flex := total-used(), 0
	for i, c := range cols {
		if widths[i] > 0 {
			flex += c.Flex
		}
	}
	if spare > 0 && flex > 0 {
		given := 0
		last := -1
		for i, c := range cols {
			if widths[i] > 0 && c.Flex > 0 {
				add := spare * c.Flex / flex
				widths[i] += add
				given += add
				last = i
			}
		}
		widths[last] += spare - given
	}
	return widths
}

func (m Model) renderHeader() string {
	var b strings.Builder
	b.WriteString(strings.Repeat(" ", markerWidth))
	first := true
	for i, c := range m.cols {
		if m.widths[i] == 0 {
			continue
		}
		if !first {
			b.WriteByte(' ')
		}
		first = false
		WriteCell(&b, c.Title, m.widths[i], c.Align)
	}
	return m.styles.Header.Render(b.String())
}

// Row is what the caller says about one visible row: the text of each
// column (plain, already made inert) and the row's style.
type Row struct {
	Cells []string
	Style lipgloss.Style
}

// View renders the header and the visible rows; row(i) is called for the
// visible rows only. empty is shown when there are no rows.
func (m Model) View(row func(i int, buf []string) Row, empty string) string {
	var out strings.Builder
	out.WriteString(m.header)
	if m.n == 0 {
		out.WriteByte('\n')
		out.WriteString(m.styles.Empty.Render(ansi.Truncate("  "+empty, m.width, "…")))
		return out.String()
	}
	start, end := m.Visible()
	buf := make([]string, len(m.cols))
	var line strings.Builder
	line.Grow(m.width + 16)
	for i := start; i < end; i++ {
		r := row(i, buf)
		line.Reset()
		style := r.Style
		if i == m.cursor {
			line.WriteString("> ")
			style = m.styles.Selected
		} else {
			line.WriteString("  ")
		}
		first := true
		for c, col := range m.cols {
			if m.widths[c] == 0 {
				continue
			}
			if !first {
				line.WriteByte(' ')
			}
			first = false
			WriteCell(&line, r.Cells[c], m.widths[c], col.Align)
		}
		out.WriteByte('\n')
		out.WriteString(Paint(style, line.String()))
	}
	return out.String()
}

// WriteCell writes s padded or truncated (with "…") to exactly w cells.
func WriteCell(b *strings.Builder, s string, w int, align Align) {
	sw := width(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	pad := w - sw
	if align == Right {
		b.WriteString(spaces(pad))
		b.WriteString(s)
		return
	}
	b.WriteString(s)
	b.WriteString(spaces(pad))
}

// width is the display width of s, fast for ASCII.
func width(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] < 0x20 {
			return ansi.StringWidth(s)
		}
	}
	return len(s)
}

const blanks = "                                                                                                                                "

func spaces(n int) string {
	if n <= 0 {
		return ""
	}
	if n <= len(blanks) {
		return blanks[:n]
	}
	return strings.Repeat(" ", n)
}
