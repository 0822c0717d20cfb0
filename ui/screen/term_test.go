package screen

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// term is a terminal of width×height cells that understands what a Screen
// writes: text, CR, LF, cursor home, erase to the end of the line and
// erase below, and the mode switches (recorded, not drawn). Any other
// sequence fails the test, so the Screen cannot start emitting something
// this model would silently ignore.
type term struct {
	t             *testing.T
	width, height int
	cells         [][]rune
	row, col      int
	wrapPending   bool
	modes         []string // mode sequences, in order
	scrolled      bool     // a line feed at the bottom row scrolled the screen
}

func newTerm(t *testing.T, width, height int) *term {
	tm := &term{t: t, width: width, height: height}
	tm.clear()
	return tm
}

func (tm *term) clear() {
	tm.cells = make([][]rune, tm.height)
	for i := range tm.cells {
		tm.cells[i] = []rune(strings.Repeat(" ", tm.width))
	}
}

var modeSeqs = []string{
	ansi.SetAltScreenSaveCursorMode, ansi.ResetAltScreenSaveCursorMode,
	ansi.HideCursor, ansi.ShowCursor, ansi.SetBracketedPasteMode, ansi.ResetBracketedPasteMode,
}

// Write interprets p.
func (tm *term) Write(p []byte) (int, error) {
	s := string(p)
	for len(s) > 0 {
		s = tm.step(s)
	}
	return len(p), nil
}

func (tm *term) step(s string) string {
	for _, seq := range modeSeqs {
		if strings.HasPrefix(s, seq) {
			tm.modes = append(tm.modes, seq)
			return s[len(seq):]
		}
	}
	switch {
	case strings.HasPrefix(s, ansi.CursorHomePosition):
		tm.row, tm.col, tm.wrapPending = 0, 0, false
		return s[len(ansi.CursorHomePosition):]
	case strings.HasPrefix(s, ansi.EraseEntireScreen):
		tm.clear()
		return s[len(ansi.EraseEntireScreen):]
	case strings.HasPrefix(s, ansi.EraseLineRight):
		tm.eraseRight(tm.row, tm.col)
		return s[len(ansi.EraseLineRight):]
	case strings.HasPrefix(s, ansi.EraseScreenBelow):
		tm.eraseRight(tm.row, tm.col)
		for r := tm.row + 1; r < tm.height; r++ {
			tm.eraseRight(r, 0)
		}
		return s[len(ansi.EraseScreenBelow):]
	case s[0] == '\r':
		tm.col, tm.wrapPending = 0, false
		return s[1:]
	case s[0] == '\n':
		if tm.row == tm.height-1 {
			tm.scrolled = true
		} else {
			tm.row++
		}
		tm.wrapPending = false
		return s[1:]
	case strings.HasPrefix(s, "\x1b["):
		if end := strings.IndexFunc(s[2:], func(r rune) bool { return r >= 0x40 && r <= 0x7e }); end >= 0 && s[2+end] == 'm' {
			return s[3+end:] // a style: not drawn
		}
		tm.t.Fatalf("the screen wrote a sequence the test terminal does not know: %q", s[:min(len(s), 12)])
	case s[0] == 0x1b:
		tm.t.Fatalf("the screen wrote a sequence the test terminal does not know: %q", s[:min(len(s), 12)])
	}
	r := []rune(s)[0]
	tm.put(r)
	return s[len(string(r)):]
}

// put draws r; a wide rune takes two cells (the second holds 0).
func (tm *term) put(r rune) {
	w := max(ansi.StringWidth(string(r)), 1)
	if tm.wrapPending || tm.col+w > tm.width {
		tm.t.Fatalf("text past the right edge on row %d: the line would wrap", tm.row)
	}
	tm.cells[tm.row][tm.col] = r
	if w == 2 {
		tm.cells[tm.row][tm.col+1] = 0
	}
	if tm.col+w == tm.width {
		tm.col, tm.wrapPending = tm.width-1, true
		return
	}
	tm.col += w
}

func (tm *term) eraseRight(row, col int) {
	for c := col; c < tm.width; c++ {
		tm.cells[row][c] = ' '
	}
}

// text is the screen, trailing spaces trimmed.
func (tm *term) text() string {
	lines := make([]string, tm.height)
	for i, row := range tm.cells {
		lines[i] = strings.TrimRight(strings.ReplaceAll(string(row), "\x00", ""), " ")
	}
	return strings.Join(lines, "\n")
}

// want is frame as the terminal must show it: every line cut to width,
// padded to height.
func want(frame string, width, height int) string {
	lines := strings.Split(frame, "\n")
	if len(lines) > height {
		lines = lines[len(lines)-height:]
	}
	out := make([]string, height)
	for i := range out {
		if i < len(lines) {
			out[i] = strings.TrimRight(ansi.Strip(ansi.Truncate(lines[i], width, "")), " ")
		}
	}
	return strings.Join(out, "\n")
}
