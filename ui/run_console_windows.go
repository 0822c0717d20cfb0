//go:build windows

package ui

import (
	"fmt"
	"os"

	"golang.org/x/sys/windows"
)

// enableANSI turns on the console's own handling of ANSI sequences on out
// and returns what puts the mode back. Bubble Tea does this only with its
// renderer, which Run turns off; without it a console host older than
// Windows Terminal prints every sequence as text. Output that is not a
// console (a pipe, a mintty pty) is left as it is.
func enableANSI(out *os.File) (restore func(), err error) {
	h := windows.Handle(out.Fd())
	var mode uint32
	if windows.GetConsoleMode(h, &mode) != nil {
		return func() {}, nil
	}
	if mode&windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING != 0 {
		return func() {}, nil
	}
	if err := windows.SetConsoleMode(h, mode|windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING); err != nil {
		return nil, fmt.Errorf("turn on ANSI sequences in this console (Windows 10 or later, or Windows Terminal, has them): %w", err)
	}
	return func() { _ = windows.SetConsoleMode(h, mode) }, nil
}
