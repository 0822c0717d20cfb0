package main

import (
	"strings"

	"ccecert/ui/sanitize"
)

// inert makes text from outside (cluster names from the cloud, paths) safe
// to print: escape sequences and control characters never reach the
// terminal.
func inert(s string) string { return sanitize.Line(s) }

// inertLines is inert for multi-line messages, keeping the line breaks.
func inertLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = sanitize.Line(l)
	}
	return strings.Join(lines, "\n")
}
