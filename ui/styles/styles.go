// Package styles holds the TUI's semantic styles. Components take a *Styles
// and never build colours themselves, so NO_COLOR, light and dark terminals
// are handled in one place.
package styles

import "github.com/charmbracelet/lipgloss"

// Styles are the semantic styles of the TUI. Colour is never the only
// signal: every style that carries meaning comes with a word or a glyph.
type Styles struct {
	App         lipgloss.Style
	Title       lipgloss.Style // the product name in the header
	Header      lipgloss.Style // header line
	Muted       lipgloss.Style // secondary text
	TabActive   lipgloss.Style
	TabInactive lipgloss.Style
	TableHeader lipgloss.Style
	Selected    lipgloss.Style // the selected table row
	Detail      lipgloss.Style // the detail pane box
	DetailKey   lipgloss.Style // field names in the detail pane
	Status      lipgloss.Style // status line
	StatusError lipgloss.Style // an error in the status line
	StatusOK    lipgloss.Style // a successful action in the status line
	Stale       lipgloss.Style // stale-cache marker
	Dialog      lipgloss.Style // dialog box
	DialogTitle lipgloss.Style
	Focused     lipgloss.Style // the focused field in a dialog
	Disabled    lipgloss.Style // a choice that cannot apply
	Warning     lipgloss.Style // a warning text (insecure TLS, federation note)
	Filter      lipgloss.Style // the filter prompt

	// Health, one per word. Rows take the colour of their health.
	OK       lipgloss.Style
	Warn     lipgloss.Style
	Critical lipgloss.Style
	Expired  lipgloss.Style
	Revoked  lipgloss.Style
	Unknown  lipgloss.Style

	// Heat colours the expiry timeline by the number of credentials per
	// cell: Heat[0] is an empty cell, Heat[len-1] the busiest.
	Heat []lipgloss.Style
}

// Default returns the styles rendered through r (nil: lipgloss's default
// renderer). r decides the colour profile (NO_COLOR, Ascii in tests) and the
// background (light or dark).
func Default(r *lipgloss.Renderer) *Styles {
	if r == nil {
		r = lipgloss.DefaultRenderer()
	}
	ns := r.NewStyle
	// Theme colours, adaptive to light and dark backgrounds.
	colorAccent := lipgloss.AdaptiveColor{Light: "#5A3FC0", Dark: "#B8A6FF"}
	colorMuted := lipgloss.AdaptiveColor{Light: "#6B6B6B", Dark: "#8A8A8A"}
	colorFaint := lipgloss.AdaptiveColor{Light: "#B5B5B5", Dark: "#4A4A4A"}
	colorOK := lipgloss.AdaptiveColor{Light: "#1E7B34", Dark: "#5FD787"}
	colorWarn := lipgloss.AdaptiveColor{Light: "#8A5A00", Dark: "#FFCC66"}
	colorCritical := lipgloss.AdaptiveColor{Light: "#B3261E", Dark: "#FF6B6B"}
	colorExpired := lipgloss.AdaptiveColor{Light: "#7A0000", Dark: "#FF3030"}
	colorSelectBg := lipgloss.AdaptiveColor{Light: "#E4DEFF", Dark: "#3B3355"}
	colorBorder := lipgloss.AdaptiveColor{Light: "#C8C8C8", Dark: "#555555"}
	heatColors := []lipgloss.AdaptiveColor{
		{Light: "#D0D0D0", Dark: "#3A3A3A"},
		{Light: "#7FB8E0", Dark: "#2F6E9E"},
		{Light: "#E0B040", Dark: "#D7A400"},
		{Light: "#E07030", Dark: "#FF8030"},
		{Light: "#C02020", Dark: "#FF3B3B"},
	}

	s := &Styles{
		App:         ns(),
		Title:       ns().Bold(true).Foreground(colorAccent),
		Header:      ns(),
		Muted:       ns().Foreground(colorMuted),
		TabActive:   ns().Bold(true).Underline(true).Foreground(colorAccent),
		TabInactive: ns().Foreground(colorMuted),
		TableHeader: ns().Bold(true).Foreground(colorMuted),
		Selected:    ns().Bold(true).Background(colorSelectBg),
		Detail:      ns().Border(lipgloss.NormalBorder(), true, false, false, false).BorderForeground(colorBorder),
		DetailKey:   ns().Foreground(colorMuted),
		Status:      ns(),
		StatusError: ns().Bold(true).Foreground(colorCritical),
		StatusOK:    ns().Foreground(colorOK),
		Stale:       ns().Bold(true).Foreground(colorWarn),
		Dialog:      ns().Border(lipgloss.RoundedBorder()).BorderForeground(colorAccent).Padding(0, 1),
		DialogTitle: ns().Bold(true).Foreground(colorAccent),
		Focused:     ns().Bold(true).Foreground(colorAccent),
		Disabled:    ns().Foreground(colorFaint),
		Warning:     ns().Foreground(colorWarn),
		Filter:      ns().Foreground(colorAccent),
		OK:          ns().Foreground(colorOK),
		Warn:        ns().Foreground(colorWarn),
		Critical:    ns().Bold(true).Foreground(colorCritical),
		Expired:     ns().Bold(true).Foreground(colorExpired),
		Revoked:     ns().Strikethrough(true).Foreground(colorMuted),
		Unknown:     ns().Foreground(colorMuted),
	}
	for _, c := range heatColors {
		s.Heat = append(s.Heat, ns().Foreground(c))
	}
	return s
}
