// Package table is a virtual table: it keeps a cursor and a scroll offset
// over n rows and renders only the rows that fit, asking the caller for the
// text of each visible cell. Ten thousand rows cost no more than forty, and
// a row whose cells did not change since the last drawing is not laid out
// or painted again.
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
//
// Once the table knows its content (SetContent), widths come from it
// instead (see fitLayout): Flex is unused, a column with a Shrink gives
// way first, and Fit says how its cells are shortened.
type Column struct {
	Title  string
	Width  int
	Flex   int
	Drop   int
	Align  Align
	Shrink int
	Fit    Fit
}

// Styles are the table's styles.
type Styles struct {
	Header   lipgloss.Style
	Selected lipgloss.Style
	Empty    lipgloss.Style
	// Rows are the styles a row can take; Row.Style picks one by index
	// (out of range: unstyled), so each is split for painting only once.
	Rows []lipgloss.Style
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
	header Line // rendered on resize
	// content is what each column's cells need; nil = lay out by
	// Width and Flex alone.
	content []Content
	natural int       // the width with every column whole (Natural)
	cache   *rowCache // the last drawing, shared by the Model's copies
}

// New returns a table with the given columns.
func New(cols []Column, st Styles) Model {
	return Model{cols: cols, styles: st, cache: &rowCache{}}
}

// Fresh is a copy of the table that remembers no earlier drawing: it draws
// every row anew (tests compare it with the remembering one).
func (m Model) Fresh() Model {
	m.cache = &rowCache{}
	m.cache.reset(m.height)
	return m
}

// SetSize lays out the columns for width and the number of data rows that
// fit in height (the header takes one line). Call it on resize only.
func (m *Model) SetSize(width, height int) {
	m.width, m.height = width, max(height-1, 1)
	m.relayout()
	m.clamp()
}

// SetContent tells the table what its columns' cells need, one Content a
// column, and lays them out again (call it when the rows change, not per
// frame). From then on widths come from the content and the width.
func (m *Model) SetContent(content []Content) {
	if len(content) != len(m.cols) || slicesEqual(content, m.content) {
		return
	}
	m.content = append(m.content[:0:0], content...)
	m.natural = naturalWidth(m.cols, m.content)
	m.relayout()
}

func slicesEqual(a, b []Content) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// relayout lays the columns out and draws the header again.
func (m *Model) relayout() {
	if m.content != nil {
		m.widths = fitLayout(m.cols, m.content, m.width-markerWidth)
	} else {
		m.widths = layout(m.cols, m.width-markerWidth)
	}
	h := m.renderHeader()
	m.header = Line{Text: h, Width: lipgloss.Width(h)}
	if m.cache != nil {
		m.cache.reset(m.height) // the rows were laid out for other widths
	}
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
	buf := []byte(spaces(markerWidth))
	buf = m.appendCells(buf, func(i int) string { return m.cols[i].Title }, false)
	return m.styles.Header.Render(string(buf))
}

// appendCells appends the shown columns' cells, each padded or cut to its
// width (as the column's Fit says, when fit), one space apart.
func (m Model) appendCells(buf []byte, cell func(i int) string, fit bool) []byte {
	first := true
	for i, c := range m.cols {
		if m.widths[i] == 0 {
			continue
		}
		if !first {
			buf = append(buf, ' ')
		}
		first = false
		f := FitEnd
		if fit {
			f = c.Fit
		}
		buf = appendFitCell(buf, cell(i), m.widths[i], c.Align, f)
	}
	return buf
}

// Row is what the caller says about one visible row: the text of each
// column (plain, already made inert) and the row's style, an index into
// Styles.Rows.
type Row struct {
	Cells []string
	Style int
}

// Line is one drawn line and its width in cells.
type Line struct {
	Text  string
	Width int
}

// View renders the header and the visible rows; row(i) is called for the
// visible rows only. empty is shown when there are no rows.
func (m Model) View(row func(i int, buf []string) Row, empty string) string {
	var out strings.Builder
	for i, l := range m.Lines(row, empty) {
		if i > 0 {
			out.WriteByte('\n')
		}
		out.WriteString(l.Text)
	}
	return out.String()
}

// appendCell appends s padded or truncated (with "…") to exactly w cells.
func appendCell(buf []byte, s string, w int, align Align) []byte {
	return appendFitCell(buf, s, w, align, FitEnd)
}

// appendFitCell appends s padded, or shortened as fit says, to exactly w
// cells.
func appendFitCell(buf []byte, s string, w int, align Align, fit Fit) []byte {
	sw := width(s)
	if sw > w {
		s = fit.shorten(s, w)
		sw = ansi.StringWidth(s)
	}
	pad := w - sw
	if align == Right {
		buf = append(buf, spaces(pad)...)
		return append(buf, s...)
	}
	buf = append(buf, s...)
	return append(buf, spaces(pad)...)
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
