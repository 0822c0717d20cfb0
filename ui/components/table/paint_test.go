package table

import (
	"io"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Paint gives exactly what Render gives, in colour, for the plain styles
// rows use, and falls back to Render for styles with layout.
func TestPaintEqualsRender(t *testing.T) {
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.TrueColor)
	styles := []lipgloss.Style{
		r.NewStyle(),
		r.NewStyle().Foreground(lipgloss.Color("#ff0000")),
		r.NewStyle().Foreground(lipgloss.Color("#ffffff")).Background(lipgloss.Color("#303050")).Bold(true),
		r.NewStyle().Faint(true).Italic(true),
		r.NewStyle().Foreground(lipgloss.AdaptiveColor{Light: "#000000", Dark: "#ffffff"}).Reverse(true),
		r.NewStyle().Underline(true),                 // per-rune: Render
		r.NewStyle().Width(30).Padding(0, 1),         // layout: Render
		r.NewStyle().Foreground(lipgloss.Color("9")), // ANSI colour
	}
	lines := []string{"", "  prod-web   prod-web-internal   2026-12-01 12:00   4d 23h ██████████ CRIT", "é ☃ 漢字 ·"}
	for i, st := range styles {
		for _, l := range lines {
			if got, want := Paint(st, l), st.Render(l); got != want {
				t.Errorf("style %d, %q: Paint = %q, Render = %q", i, l, got, want)
			}
		}
	}
}
