// Package cli is ccecert's command line: the cobra command tree, one file
// per command, the output helpers they share, and the adapter that runs the
// TUI (package ui) on the engine. Commands reach the process only through
// env (variables, clock, streams) and Deps (what main wires in), so tests
// run every command in-process.
package cli
