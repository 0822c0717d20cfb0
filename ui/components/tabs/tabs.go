// Package tabs renders the page tabs, with room on the right for the filter.
package tabs

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"ccecert/ui/styles"
)

// Render draws the tabs ("1 Clusters  2 Fleets  3 Credentials"), the active
// one marked with brackets as well as colour, and right-aligned extra text
// (the filter) in exactly width cells.
func Render(width int, st *styles.Styles, titles []string, active int, right string) string {
	var b strings.Builder
	for i, t := range titles {
		label := strconv.Itoa(i+1) + " " + t
		if i == active {
			b.WriteString(st.TabActive.Render("[" + label + "]"))
		} else {
			b.WriteString(st.TabInactive.Render(" " + label + " "))
		}
		b.WriteByte(' ')
	}
	left := b.String()
	lw := lipgloss.Width(left)
	room := width - lw - 1
	if room < 8 {
		right = ""
	} else if lipgloss.Width(right) > room {
		right = ansi.Truncate(right, room, "…")
	}
	gap := max(width-lw-lipgloss.Width(right), 0)
	return left + strings.Repeat(" ", gap) + right
}
