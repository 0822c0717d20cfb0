package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// wrapWords wraps text to w cells between words (at spaces, hyphens and
// the detail pane's separators), never inside one: a word wider than w
// alone is wrapped after a path's "/", and cut only if it has none.
func wrapWords(text string, w int) string {
	w = max(w, 1)
	if ansi.StringWidth(text) <= w && !strings.Contains(text, "\n") {
		return text
	}
	text = ansi.Wordwrap(text, w, " ·,")
	if !wider(text, w) {
		return text
	}
	text = ansi.Wordwrap(text, w, "/") // lines that fit are left as they are
	if !wider(text, w) {
		return text
	}
	return ansi.Hardwrap(text, w, true)
}

// wider reports a line of text wider than w.
func wider(text string, w int) bool {
	for l := range strings.SplitSeq(text, "\n") {
		if ansi.StringWidth(l) > w {
			return true
		}
	}
	return false
}
