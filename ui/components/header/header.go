// Package header renders the top line: product, account, regions, the age
// of the inventory and the clock.
package header

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"ccecert/ui/styles"
)

// Info is what the header shows; every field is already inert text.
type Info struct {
	Profile   string // "profile NAME"; empty with one profile
	Account   string // account / domain name
	Regions   string // regions in scope
	Refreshed string // "refreshed 2m ago", "never refreshed"
	Clock     string // "14:03:22"
	Demo      bool
	Context   string // kubectl's current context, kept beside the clock; "" = none set
}

// Render draws the header in exactly width cells: the left part truncated
// first, the clock kept on the right.
func Render(width int, st *styles.Styles, in Info) string {
	title := st.Title.Render("ccecert")
	if in.Demo {
		title += " " + st.Warning.Render("[DEMO]")
	}
	parts := []string{title}
	for _, p := range []string{in.Profile, in.Account, in.Regions, in.Refreshed} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	left := strings.Join(parts, st.Muted.Render(" │ "))
	right := st.Muted.Render(in.Clock)
	if in.Context != "" {
		ctx := ansi.Truncate(in.Context, max(width/2-8, 8), "…")
		right = st.Muted.Render("ctx ") + st.Title.Render(ctx) + "  " + right
	}
	room := width - lipgloss.Width(right) - 1
	if lipgloss.Width(left) > room {
		left = ansi.Truncate(left, max(room, 0), "…")
	}
	gap := max(width-lipgloss.Width(left)-lipgloss.Width(right), 1)
	return left + strings.Repeat(" ", gap) + right
}
