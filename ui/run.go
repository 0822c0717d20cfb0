package ui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"golang.org/x/term"

	altscreen "ccecert/ui/screen"
	"ccecert/ui/termbg"
)

// maxFPS caps how often the screen is written while frames keep coming
// (typing, a refresh's progress); frames in between are coalesced. An idle
// TUI writes only when its frame changes — once a second while a countdown
// in seconds is visible, else once a minute — and otherwise never wakes.
const maxFPS = 30

// Run shows the TUI on the terminal until the operator quits, ctx ends or
// the process gets SIGTERM; the terminal is restored in every case,
// including a panic (Bubble Tea's panic catching stays on, and panics in
// Backend calls become errors in the status line).
//
// Bubble Tea reads the keys and runs the model; the frames go to a Screen
// (ui/screen) instead of Bubble Tea's renderer, which wakes the process
// every frame interval even when nothing changes (`ccecert bench`: idle
// CPU with the TUI open). So the terminal setup the renderer would do —
// raw input, ANSI output on a Windows console, the alternate screen, the
// window size — is done here.
//
// Without its renderer Bubble Tea cannot do what goes through one, and
// says nothing: tea.Println and tea.Printf print nothing, tea.Exec,
// tea.ExecProcess and tea.Suspend hand a terminal that is still raw and on
// the alternate screen to the child or the shell and never repaint the
// frame, and the renderer's own commands (tea.ClearScreen, tea.WindowSize,
// the mouse, cursor and title ones…) are dropped. The model must not issue
// them: TestModelIssuesNoRendererCommand fails when the package names one.
func Run(ctx context.Context, b Backend, o Options) error {
	if o.Renderer == nil {
		r := lipgloss.NewRenderer(os.Stdout) // honours NO_COLOR
		if o.NoColor {
			r.SetColorProfile(termenv.Ascii)
		}
		// Ask the terminal for its background once, before the program
		// owns the input, so adaptive colours suit light and dark themes;
		// a terminal that does not answer within 150 ms reads as dark
		// (termbg: Bubble Tea's own query could stall for 5 s).
		if !o.NoColor {
			r.SetHasDarkBackground(termbg.Detect(os.Stdin, os.Stdout, 150*time.Millisecond))
		}
		o.Renderer = r
	}
	in, out := os.Stdin, os.Stdout
	ansiOff, err := enableANSI(out)
	if err != nil {
		return fmt.Errorf("terminal UI: %w", err)
	}
	raw, err := term.MakeRaw(int(in.Fd()))
	if err != nil {
		ansiOff()
		return fmt.Errorf("terminal UI: put the terminal in raw mode: %w", err)
	}
	scr := altscreen.New(out, maxFPS)
	if o.Clipboard == nil { // OSC 52 between frames, never inside one
		o.Clipboard = func(text string) error { termenv.NewOutput(scr).Copy(text); return nil }
	}
	restore := func() {
		_ = scr.Stop()
		_ = term.Restore(int(in.Fd()), raw)
		ansiOff()
	}
	defer restore()
	if err := scr.Start(); err != nil {
		return fmt.Errorf("terminal UI: write to the terminal: %w", err)
	}

	// Backend calls still running when the program ends are cancelled.
	calls, cancel := context.WithCancel(ctx)
	defer cancel()
	m := &onScreen{model: NewContext(calls, b, o), screen: scr, restore: restore}
	p := tea.NewProgram(m, tea.WithContext(ctx), tea.WithInput(in), tea.WithOutput(out), tea.WithoutRenderer())
	go watchSize(calls, int(out.Fd()), p.Send)

	_, err = p.Run()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil:
		return nil // cancelled from outside: a normal way to stop
	}
	return fmt.Errorf("terminal UI: %w", err)
}

// onScreen is the Model drawn on an altscreen.Screen: each frame Bubble Tea
// asks for goes to the screen, and the size to lay it out in comes from
// the window size messages. It is a pointer, and calls the Model's update
// directly, so a message copies the Model once and allocates nothing for it.
type onScreen struct {
	model   Model
	screen  *altscreen.Screen
	restore func() // puts the terminal back, before a panic is printed
}

func (s *onScreen) Init() tea.Cmd { return s.model.Init() }

func (s *onScreen) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	s.guard(func() {
		if size, ok := msg.(tea.WindowSizeMsg); ok {
			s.screen.Resize(size.Width, size.Height)
		}
		s.model, cmd = s.model.update(msg)
	})
	return s, cmd
}

// View draws the model's frame on the screen; Bubble Tea's own output is
// off (tea.WithoutRenderer), so what View returns is not shown. This is
// the renderer's place, not the model's: the write (only changed lines,
// hundreds of bytes) blocks the event loop no longer than Bubble Tea's
// renderer does, whose write waits on the lock its flush holds.
func (s *onScreen) View() string {
	s.guard(func() { s.screen.Draw(s.model.View()) })
	return ""
}

// guard runs f and, if f panics, restores the terminal before the panic
// goes on, so Bubble Tea's report of it lands on the main screen in cooked
// mode. It does not recover: Bubble Tea still catches the panic, its stack
// intact.
func (s *onScreen) guard(f func()) {
	finished := false
	defer func() {
		if !finished {
			s.restore()
		}
	}()
	f()
	finished = true
}
