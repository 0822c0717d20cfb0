package eventlog

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"ccecert/ui/styles"
)

func press(s string) tea.KeyMsg {
	switch s {
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

func TestScrollAndClose(t *testing.T) {
	m := New("Events · prod", styles.Default(nil))
	m.SetSize(76, 19)
	if v := ansi.Strip(m.View()); !strings.Contains(v, "loading events…") {
		t.Fatalf("before SetEvents:\n%s", v)
	}
	m.SetEvents(nil, "0 events")
	if m.KeyMap().Down.Enabled() || !strings.Contains(ansi.Strip(m.View()), "no events recorded") {
		t.Fatal("an empty log offers scrolling or says nothing")
	}
	long := strings.Repeat("error: word ", 40)
	m.SetEvents([]Event{{Time: "t1", Action: "fetch", Result: "ok"}, {Time: "t2", Action: "renew", Result: long, Failed: true}}, "2 events")
	if !m.KeyMap().Down.Enabled() {
		t.Fatal("two events and no scrolling")
	}
	var act Action
	m, act = m.Update(press("down"))
	if act != ActionNone || m.Selected() != 1 {
		t.Fatalf("down: action %v, selected %d", act, m.Selected())
	}
	v := ansi.Strip(m.View())
	for _, l := range strings.Split(v, "\n") {
		if w := ansi.StringWidth(l); w > 76 {
			t.Fatalf("line of width %d > 76: %q", w, l)
		}
	}
	if n := strings.Count(v, "error: word"); n < 4 || !strings.Contains(v, "…") {
		t.Fatalf("the selected result is not shown over two lines, cut with …:\n%s", v)
	}
	for _, k := range []string{"esc", "q"} {
		if _, act = m.Update(press(k)); act != ActionClose {
			t.Fatalf("%s: action %v", k, act)
		}
	}
}
