package ui

import "github.com/charmbracelet/x/ansi"

// wrapWords wraps text to w cells between words (at spaces, hyphens and
// the detail pane's separators), never inside one: a word wider than w
// alone is wrapped after a path's "/", and cut only if it has none.
func wrapWords(text string, w int) string {
	w = max(w, 1)
	text = ansi.Wordwrap(text, w, " ·,")
	text = ansi.Wordwrap(text, w, "/") // lines that fit are left as they are
	return ansi.Hardwrap(text, w, true)
}
