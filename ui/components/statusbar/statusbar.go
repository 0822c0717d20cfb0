// Package statusbar renders the status line: what is running, the last
// action's result or error, per-region errors and the stale-cache marker.
package statusbar

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"ccecert/ui/styles"
)

// Status is what the status line shows; every field is already inert text.
type Status struct {
	Spinner string // current spinner frame when busy
	Busy    string // "refreshing 3/7 regions"
	Message string // last action's result
	Error   bool   // Message is an error
	Warn    bool   // Message is a success that comes with a warning
	Plain   bool   // Message is neither a success nor an error ("cancelled")
	Regions string // "2 regions failed: eu-west-0, ap-southeast-1"
	Stale   string // "STALE 2h" when the cache is old
}

// Render draws the status line in width cells. Right-hand markers (stale,
// region errors) stay visible; the message is truncated first.
func Render(width int, st *styles.Styles, s Status) string {
	r := right(width, st, s)
	var left []string
	if s.Busy != "" {
		left = append(left, s.Spinner+" "+s.Busy)
	}
	if s.Message != "" {
		left = append(left, message(st, s))
	}
	l := strings.Join(left, "  ")
	room := width - lipgloss.Width(r) - 1
	if lipgloss.Width(l) > room {
		l = ansi.Truncate(l, max(room, 0), "…")
	}
	gap := max(width-lipgloss.Width(l)-lipgloss.Width(r), 0)
	return l + strings.Repeat(" ", gap) + r
}

// Fits reports whether Render shows s's message whole, busy text aside.
func Fits(width int, st *styles.Styles, s Status) bool {
	return lipgloss.Width(message(st, s)) <= width-lipgloss.Width(right(width, st, s))-1
}

// message is the message with its mark, styled.
func message(st *styles.Styles, s Status) string {
	switch {
	case s.Error:
		return st.StatusError.Render("✗ " + s.Message)
	case s.Warn:
		return st.Warning.Render("⚠ " + s.Message)
	case s.Plain:
		return st.Muted.Render(s.Message)
	}
	return st.StatusOK.Render("✓ " + s.Message)
}

// right is the right-hand side: the stale marker whole, region errors in
// what is left of half the line.
func right(width int, st *styles.Styles, s Status) string {
	r := ""
	if s.Stale != "" {
		r = st.Stale.Render(s.Stale)
	}
	if s.Regions != "" {
		room := width/2 - lipgloss.Width(r) - 1
		if room >= 8 {
			reg := st.Warn.Render(ansi.Truncate("⚠ "+s.Regions, room, "…"))
			r = strings.TrimSpace(reg + " " + r)
		}
	}
	return r
}
