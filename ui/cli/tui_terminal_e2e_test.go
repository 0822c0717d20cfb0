package cli

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTUITerminalLifecycle drives the built binary's demo in tmux and
// checks what the TUI's own screen code (ui/screen, not Bubble Tea's
// renderer) owes the terminal: the first frame, a new layout after each
// resize with no line wider than the window, keys answered, and on quit
// the main screen back (the shell's earlier output visible, the TUI's
// gone) with the terminal in cooked mode again.
func TestTUITerminalLifecycle(t *testing.T) {
	bin, tmuxDir, env := e2eSetup(t)
	line := "echo before-ccecert; '" + bin + "' --demo 2>/dev/null; echo \"ccecert exited $?\"; " +
		"stty -a | grep -o -- '-*icanon' | sed 's/^/mode /'"
	s := startShell(t, tmuxDir, line, env)
	first := s.waitFor("ccecert [DEMO]", "staging-web", "refreshed:")
	if strings.Contains(first, "before-ccecert") {
		t.Fatalf("the TUI is not on the alternate screen:\n%s", first)
	}
	assertWidth(t, first, 120)

	for _, size := range [][2]int{{90, 30}, {150, 45}, {120, 40}} {
		w, h := size[0], size[1]
		if out, err := s.tmux("resize-window", "-t", "e2e", "-x", strconv.Itoa(w), "-y", strconv.Itoa(h)); err != nil {
			t.Fatalf("resize to %dx%d: %v %s", w, h, err, out)
		}
		screen := s.waitUntil(fmt.Sprintf("a header %d wide", w), func(screen string) bool { return headerWidth(screen) == w })
		assertWidth(t, screen, w)
	}

	s.keys("3") // the Credentials page: the keys reach the program
	s.waitFor("[3 Credentials]")
	s.keys("q")
	if status := s.waitExit(); status != "0" {
		t.Fatalf("ccecert exited with %s; screen:\n%s", status, s.last)
	}
	after := s.waitFor("mode ")
	// The shell's earlier line may have scrolled into the history (tmux
	// reflows the main screen on a resize), but it is there, and none of
	// the TUI is: the alternate screen is gone.
	all, err := s.tmux("capture-pane", "-p", "-S", "-", "-t", "e2e")
	if err != nil || !strings.Contains(all, "before-ccecert") || strings.Contains(all, "staging-web") {
		t.Errorf("quitting did not bring the main screen back (%v):\n%s", err, all)
	}
	if !strings.Contains(after, "mode icanon") {
		t.Errorf("the terminal was left in raw mode (stty says -icanon):\n%s", after)
	}
}

// headerWidth is the width of the header line: its clock ends at the
// window's right edge.
func headerWidth(screen string) int {
	header, _, _ := strings.Cut(screen, "\n")
	return utf8.RuneCountInString(strings.TrimRight(header, " "))
}

// assertWidth fails if a line of screen is wider than w (a frame the
// terminal would wrap).
func assertWidth(t *testing.T, screen string, w int) {
	t.Helper()
	for i, line := range strings.Split(screen, "\n") {
		if n := utf8.RuneCountInString(line); n > w {
			t.Errorf("line %d is %d cells wide in a %d-wide window: %q", i, n, w, line)
		}
	}
}
