package table

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// marker stands in for a row's text while its style is rendered: a
// private-use rune no row contains (rows are made inert beforehand).
const marker = "\uE000"

// brush is a style split around the marker once, so a row is painted by
// two appends instead of a Render: pre and post are the escape sequences
// Render puts around a line in a plain style.
type brush struct {
	style     lipgloss.Style
	plain     bool // pre and post apply; else the line goes through Render
	pre, post string
}

func newBrush(style lipgloss.Style) brush {
	b := brush{style: style}
	if !plain(style) {
		return b
	}
	marked := style.Render(marker)
	i := strings.Index(marked, marker)
	if i < 0 {
		return b
	}
	b.plain, b.pre, b.post = true, marked[:i], marked[i+len(marker):]
	return b
}

// plain reports a style with nothing but colours and text attributes.
func plain(s lipgloss.Style) bool {
	return s.GetWidth() == 0 && s.GetHeight() == 0 && s.GetMaxWidth() == 0 && s.GetMaxHeight() == 0 &&
		s.GetHorizontalPadding() == 0 && s.GetVerticalPadding() == 0 &&
		s.GetHorizontalMargins() == 0 && s.GetVerticalMargins() == 0 &&
		s.GetHorizontalBorderSize() == 0 && s.GetVerticalBorderSize() == 0 &&
		!s.GetUnderline() && !s.GetStrikethrough() && s.GetTransform() == nil && !s.GetInline()
}
