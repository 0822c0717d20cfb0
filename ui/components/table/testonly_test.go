package table

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// What only tests use: kept out of the product.

// WriteCell writes s padded or truncated (with "…") to exactly w cells.
func WriteCell(b *strings.Builder, s string, w int, align Align) {
	b.Write(appendCell(nil, s, w, align))
}

// Paint renders one line of text in a plain style (colours, bold, faint,
// reverse) as style.Render would, without lipgloss measuring and splitting
// the line: it renders the style around a one-rune marker and puts the
// line in its place. A table redraws every visible row once a second, and
// Render of a full line was most of an idle TUI's CPU. Styles with layout
// (width, padding, margins, borders, alignment) or per-rune effects
// (underline, strikethrough) go through Render.
func Paint(style lipgloss.Style, line string) string {
	b := newBrush(style)
	if !b.plain || strings.Contains(line, "\n") {
		return style.Render(line)
	}
	return b.pre + line + b.post
}
