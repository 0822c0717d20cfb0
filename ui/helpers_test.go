package ui

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

func TestMain(m *testing.M) {
	if os.Getenv("CCECERT_UI_INTERACTIVE") == "1" {
		// Manual check on a real terminal: go test -c -o ui.test ./ui &&
		// CCECERT_UI_INTERACTIVE=1 ./ui.test
		os.Exit(interactive())
	}
	// Goldens are plain text: no colour, whatever the terminal running
	// the tests.
	lipgloss.SetColorProfile(termenv.Ascii)
	lipgloss.SetHasDarkBackground(true)
	os.Exit(m.Run())
}

func noTick(int, time.Time) tea.Cmd { return nil }

// update feeds one message.
func update(m Model, msg tea.Msg) (Model, tea.Cmd) {
	nm, cmd := m.Update(msg)
	return nm.(Model), cmd
}

// drive runs commands synchronously, feeding their messages back, until
// none is left. Clock and spinner ticks are dropped: tests step the clock
// by hand.
func drive(t *testing.T, m Model, cmds ...tea.Cmd) Model {
	t.Helper()
	queue := cmds
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 10000 {
			t.Fatal("drive: too many steps")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case nil, tickMsg, spinner.TickMsg:
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case tea.QuitMsg:
			return m
		default:
			var cmd tea.Cmd
			m, cmd = update(m, msg)
			queue = append(queue, cmd)
		}
	}
	return m
}

// press sends keys ("tab", "enter", "x", or runes typed one by one with
// type_) and runs what they start.
func press(t *testing.T, m Model, keys ...string) Model {
	t.Helper()
	for _, k := range keys {
		var cmd tea.Cmd
		m, cmd = update(m, keyMsg(k))
		m = drive(t, m, cmd)
	}
	return m
}

// typeText types s rune by rune.
func typeText(t *testing.T, m Model, s string) Model {
	t.Helper()
	for _, r := range s {
		var cmd tea.Cmd
		m, cmd = update(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
		m = drive(t, m, cmd)
	}
	return m
}

func keyMsg(k string) tea.KeyMsg {
	switch k {
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "shift+tab":
		return tea.KeyMsg{Type: tea.KeyShiftTab}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "backspace":
		return tea.KeyMsg{Type: tea.KeyBackspace}
	case "ctrl+r":
		return tea.KeyMsg{Type: tea.KeyCtrlR}
	case " ":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
}

// loaded is a model over f after the cached inventory and the credentials
// arrived, at w×h.
func loaded(t *testing.T, f *fakeBackend, clock *time.Time, w, h int) Model {
	t.Helper()
	m := New(f, testOptions(clock))
	m.ticker = noTick
	m, _ = update(m, tea.WindowSizeMsg{Width: w, Height: h})
	return drive(t, m, m.Init())
}

// screen is the view without escape sequences.
func screen(m Model) string { return ansi.Strip(m.View()) }

// secondsCountdown is a countdown that shows seconds: "12m 09s", "41s",
// "EXPIRED 41s ago".
var secondsCountdown = regexp.MustCompile(`\b\d+m \d{2}s\b|\b\d{1,2}s\b`)

// secondsOnScreen reports whether m's screen counts down in seconds (so it
// changes every second).
func secondsOnScreen(m Model) bool { return secondsCountdown.MatchString(screen(m)) }

// interactive runs the TUI over the fake backend, its clock starting at
// testNow and running in real time.
func interactive() int {
	start := time.Now()
	f := newFake()
	f.delay = 400 * time.Millisecond
	o := testOptions(nil)
	o.Now = func() time.Time { return testNow.Add(time.Since(start)) }
	o.NoRefreshOnStart = false
	o.Clipboard = nil
	o.Demo = true
	if err := Run(context.Background(), f, o); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}
