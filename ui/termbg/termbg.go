// Package termbg settles the terminal's background colour without letting
// it stall the program.
//
// Bubble Tea v1 asks the terminal for its background when its package is
// initialised (tea_init.go, bubbletea#1771): on a terminal that never
// answers — `script`, some serial consoles, editors' terminals — every
// command, even `ccecert version`, waits termenv's 5 s timeout and leaves
// the query on the screen. This package's init settles the answer first
// (dark), so that query never happens: Go initialises packages in
// import-path order among those whose imports are done (the spec's
// "Package initialization"), this package imports nothing Bubble Tea does
// not, and "ccecert/..." sorts before "github.com/charmbracelet/bubbletea".
// The TUI, and only the TUI, then asks the terminal itself with Detect.
package termbg

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

func init() {
	lipgloss.SetHasDarkBackground(true)
}

// query asks for the background colour (OSC 11) and then for the cursor
// position (DSR 6), which every terminal answers: its reply ends the wait
// early on a terminal that ignores OSC 11.
const query = "\x1b]11;?\x1b\\\x1b[6n"

// parseReply reads what the terminal sent back to query. done is true once
// the cursor report has arrived (nothing more is coming); ok is true when
// an OSC 11 colour was in it, and dark says whether that colour is dark.
func parseReply(b []byte) (dark, ok, done bool) {
	s := string(b)
	done = hasCursorReport(s)
	const osc = "\x1b]11;"
	i := strings.Index(s, osc)
	if i < 0 {
		return true, false, done
	}
	v := s[i+len(osc):]
	end := strings.IndexAny(v, "\a\x1b")
	if end < 0 {
		return true, false, done
	}
	l, ok := lightness(v[:end])
	if !ok {
		return true, false, done
	}
	return l < 0.5, true, done
}

// lightness is the HSL lightness (0..1) of an X11 colour spec,
// rgb:R/G/B or rgba:R/G/B/A with 1 to 4 hex digits a component.
func lightness(spec string) (float64, bool) {
	var rest string
	switch {
	case strings.HasPrefix(spec, "rgb:"):
		rest = spec[len("rgb:"):]
	case strings.HasPrefix(spec, "rgba:"):
		rest = spec[len("rgba:"):]
	default:
		return 0, false
	}
	var comps []float64
	for len(comps) < 3 {
		part := rest
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			part, rest = rest[:j], rest[j+1:]
		} else {
			rest = ""
		}
		f, ok := hexFraction(part)
		if !ok {
			return 0, false
		}
		comps = append(comps, f)
	}
	lo, hi := comps[0], comps[0]
	for _, c := range comps[1:] {
		lo, hi = min(lo, c), max(hi, c)
	}
	return (lo + hi) / 2, true
}

// hexFraction reads 1 to 4 hex digits as a fraction of their maximum.
func hexFraction(s string) (float64, bool) {
	if len(s) < 1 || len(s) > 4 {
		return 0, false
	}
	var v, top uint32
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d uint32
		switch {
		case c >= '0' && c <= '9':
			d = uint32(c - '0')
		case c >= 'a' && c <= 'f':
			d = uint32(c-'a') + 10
		case c >= 'A' && c <= 'F':
			d = uint32(c-'A') + 10
		default:
			return 0, false
		}
		v, top = v<<4|d, top<<4|0xf
	}
	return float64(v) / float64(top), true
}

// hasCursorReport reports whether s holds a cursor position report,
// ESC [ row ; col R.
func hasCursorReport(s string) bool {
	for i := strings.Index(s, "\x1b["); i >= 0; {
		j := i + 2
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ';') {
			j++
		}
		if j < len(s) && s[j] == 'R' && j > i+2 {
			return true
		}
		next := strings.Index(s[i+2:], "\x1b[")
		if next < 0 {
			return false
		}
		i += 2 + next
	}
	return false
}
