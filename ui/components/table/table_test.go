package table

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func cols() []Column {
	return []Column{
		{Title: "NAME", Width: 10, Flex: 1},
		{Title: "REGION", Width: 8, Drop: 1},
		{Title: "LEFT", Width: 6, Align: Right},
	}
}

func TestLayoutFillsWidthAndDrops(t *testing.T) {
	w := layout(cols(), 40)
	if w[0]+w[1]+w[2]+2 != 40 {
		t.Fatalf("widths %v do not fill 40", w)
	}
	w = layout(cols(), 17)
	if w[1] != 0 || w[0] != 10 || w[2] != 6 {
		t.Fatalf("narrow layout %v: REGION should be dropped", w)
	}
}

func TestViewRendersOnlyVisibleRows(t *testing.T) {
	m := New(cols(), Styles{})
	m.SetSize(40, 6) // header + 5 rows
	m.SetRowCount(10000)
	m.SetCursor(5000)
	var asked []int
	out := m.View(func(i int, buf []string) Row {
		asked = append(asked, i)
		buf[0], buf[1], buf[2] = fmt.Sprintf("row-%d", i), "eu", "1d"
		return Row{Cells: buf}
	}, "none")
	if len(asked) != 5 {
		t.Fatalf("asked for %d rows, want 5: %v", len(asked), asked)
	}
	if !strings.Contains(out, "> row-5000") {
		t.Fatalf("selected row not marked:\n%s", out)
	}
	for _, l := range strings.Split(out, "\n") {
		if ansi.StringWidth(l) > 40 {
			t.Fatalf("line wider than 40: %q", l)
		}
	}
}

func TestCursorClampsAndScrolls(t *testing.T) {
	m := New(cols(), Styles{})
	m.SetSize(40, 4)
	m.SetRowCount(10)
	m.Bottom()
	if s, e := m.Visible(); m.Cursor() != 9 || s != 7 || e != 10 {
		t.Fatalf("bottom: cursor %d visible %d..%d", m.Cursor(), s, e)
	}
	m.SetRowCount(3)
	if m.Cursor() != 2 {
		t.Fatalf("cursor %d after shrinking to 3 rows", m.Cursor())
	}
	m.SetRowCount(0)
	if m.Cursor() != -1 {
		t.Fatalf("cursor %d with no rows", m.Cursor())
	}
}

func TestWriteCellTruncatesWide(t *testing.T) {
	var b strings.Builder
	WriteCell(&b, "集群集群集群", 7, Left)
	if got := ansi.StringWidth(b.String()); got != 7 {
		t.Fatalf("width %d, want 7: %q", got, b.String())
	}
}
