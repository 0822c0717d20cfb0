//go:build unix

package ui

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	tea "github.com/charmbracelet/bubbletea"
	"golang.org/x/term"
)

// watchSize sends the terminal's size now and after every SIGWINCH until
// ctx ends (Bubble Tea does this only with its own renderer).
func watchSize(ctx context.Context, fd int, send func(tea.Msg)) {
	changed := make(chan os.Signal, 1)
	signal.Notify(changed, syscall.SIGWINCH)
	defer signal.Stop(changed)
	for {
		if w, h, err := term.GetSize(fd); err == nil {
			send(tea.WindowSizeMsg{Width: w, Height: h})
		}
		select {
		case <-ctx.Done():
			return
		case <-changed:
		}
	}
}
