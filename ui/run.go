package ui

import (
	"context"
	"errors"
	"fmt"
	"os"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// maxFPS caps how often the renderer wakes to draw. Bubble Tea's default,
// 60, wakes the process 60 times a second even when idle; a screen that
// changes once a second (the countdowns) or on a key needs far fewer, and
// each wake costs CPU (`ccecert bench`: idle CPU with the TUI open).
const maxFPS = 20

// Run shows the TUI on the terminal until the operator quits, ctx ends or
// the process gets SIGTERM; the terminal is restored in every case,
// including a panic (Bubble Tea's panic catching stays on, and panics in
// Backend calls become errors in the status line).
func Run(ctx context.Context, b Backend, o Options) error {
	if o.Renderer == nil {
		r := lipgloss.NewRenderer(os.Stdout) // honours NO_COLOR
		if o.NoColor {
			r.SetColorProfile(termenv.Ascii)
		}
		// Ask the terminal for its background once, before the program
		// owns the input, so adaptive colours suit light and dark themes.
		r.HasDarkBackground()
		o.Renderer = r
	}
	// Backend calls still running when the program ends are cancelled.
	calls, cancel := context.WithCancel(ctx)
	defer cancel()
	p := tea.NewProgram(NewContext(calls, b, o), tea.WithAltScreen(), tea.WithContext(ctx), tea.WithFPS(maxFPS))
	_, err := p.Run()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil:
		return nil // cancelled from outside: a normal way to stop
	}
	return fmt.Errorf("terminal UI: %w", err)
}
