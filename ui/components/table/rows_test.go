package table

import (
	"fmt"
	"io"
	"strings"
	"testing"
	"unsafe"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

func colourStyles() Styles {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)
	return Styles{
		Header:   r.NewStyle().Bold(true),
		Selected: r.NewStyle().Bold(true).Background(lipgloss.Color("#3B3355")),
		Empty:    r.NewStyle().Faint(true),
		Rows: []lipgloss.Style{
			r.NewStyle(),
			r.NewStyle().Foreground(lipgloss.Color("#FF6B6B")).Bold(true),
			r.NewStyle().Strikethrough(true).Foreground(lipgloss.Color("#8A8A8A")), // painted by Render
		},
	}
}

// fakeRows are rows whose cells and style the test changes.
type fakeRows struct {
	cells [][3]string
	style []int
}

func newFakeRows(n int) *fakeRows {
	f := &fakeRows{cells: make([][3]string, n), style: make([]int, n)}
	for i := range n {
		f.cells[i] = [3]string{fmt.Sprintf("row-%d", i), "eu", "1d"}
	}
	return f
}

func (f *fakeRows) row(i int, buf []string) Row {
	copy(buf, f.cells[i][:])
	return Row{Cells: buf, Style: f.style[i]}
}

// byRow are the drawn rows' texts by row index.
func byRow(m Model, lines []Line) map[int]string {
	out := map[int]string{}
	start, _ := m.Visible()
	for i, l := range lines[1:] {
		out[start+i] = l.Text
	}
	return out
}

func sameString(a, b string) bool {
	return unsafe.StringData(a) == unsafe.StringData(b) && len(a) == len(b)
}

// A row whose cells, style and selection are unchanged is handed back as
// drawn, wherever it scrolled to; a row that changed in any of them is
// drawn again; every drawing equals a table's that remembers nothing.
func TestLinesRedrawOnlyChangedRows(t *testing.T) {
	m := New(cols(), colourStyles())
	m.SetSize(40, 6)
	m.SetRowCount(50)
	f := newFakeRows(50)
	before := byRow(m, m.Lines(f.row, ""))
	check := func(what string, redrawn ...int) {
		t.Helper()
		lines := m.Lines(f.row, "")
		var got, fresh []string
		for _, l := range lines {
			got = append(got, l.Text)
		}
		for _, l := range m.Fresh().Lines(f.row, "") {
			fresh = append(fresh, l.Text)
		}
		if strings.Join(got, "\n") != strings.Join(fresh, "\n") {
			t.Fatalf("%s: kept lines %q, fresh %q", what, got, fresh)
		}
		after := byRow(m, lines)
		for row, text := range after {
			old, shown := before[row]
			want := !shown
			for _, r := range redrawn {
				want = want || r == row
			}
			if got := !shown || !sameString(old, text); got != want {
				t.Fatalf("%s: row %d redrawn = %v, want %v", what, row, got, want)
			}
		}
		before = after
	}
	check("nothing changed")
	f.cells[2][2] = "23h"
	check("a cell of row 2", 2)
	f.style[3] = 1
	check("the style of row 3", 3)
	f.style[4] = 2
	check("row 4 struck through", 4)
	m.Move(1)
	check("the cursor moved from row 0 to 1", 0, 1)
	m.SetCursor(5) // scrolls by a row: rows 2-4 are kept, row 5 is new
	check("scrolled by a row", 1, 5)
	m.SetSize(40, 6)
	check("resized", 1, 2, 3, 4, 5)
}

// Each line's width is its display width, and a row reads as the style
// rendering its laid-out cells.
func TestLinesAreRenderedRowsWithTheirWidths(t *testing.T) {
	st := colourStyles()
	m := New(cols(), st)
	m.SetSize(40, 8)
	f := newFakeRows(5)
	f.cells[1] = [3]string{"集群-one", "é ☃", "5m 09s"}
	f.cells[2] = [3]string{strings.Repeat("long-name-", 5), "eu-west-101-too-long", "10y 200d"}
	f.style[3], f.style[4] = 2, 7 // struck through; out of range: unstyled
	m.SetRowCount(len(f.cells))
	m.SetCursor(1)
	lines := m.Lines(f.row, "")
	for i, l := range lines {
		if w := lipgloss.Width(l.Text); l.Width != w {
			t.Errorf("line %d: width %d, display width %d: %q", i, l.Width, w, l.Text)
		}
	}
	for i := range f.cells {
		var plain strings.Builder
		style := lipgloss.Style{}
		switch {
		case i == 1:
			plain.WriteString("> ")
			style = st.Selected
		default:
			plain.WriteString("  ")
			if f.style[i] < len(st.Rows) {
				style = st.Rows[f.style[i]]
			}
		}
		for c, col := range cols() {
			if c > 0 {
				plain.WriteByte(' ')
			}
			WriteCell(&plain, f.cells[i][c], m.Widths()[c], col.Align)
		}
		if want := style.Render(plain.String()); lines[i+1].Text != want {
			t.Errorf("row %d: %q, want %q", i, lines[i+1].Text, want)
		}
	}
	m.SetRowCount(0)
	empty := m.Lines(f.row, "nothing here")
	if len(empty) != 2 || !strings.Contains(empty[1].Text, "nothing here") || empty[1].Width != lipgloss.Width(empty[1].Text) {
		t.Fatalf("empty table: %+v", empty)
	}
}
