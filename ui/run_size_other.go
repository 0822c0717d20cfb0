//go:build !unix

package ui

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"
	"golang.org/x/term"
)

// watchSize sends the terminal's size once: there is no SIGWINCH here.
func watchSize(_ context.Context, fd int, send func(tea.Msg)) {
	if w, h, err := term.GetSize(fd); err == nil {
		send(tea.WindowSizeMsg{Width: w, Height: h})
	}
}
