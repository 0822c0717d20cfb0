package confirm

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"ccecert/ui/styles"
)

func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

func TestPlainConfirm(t *testing.T) {
	m := New("Renew?", nil, "", styles.Default(nil))
	if _, _, act := m.Update(runes("y")); act != ActionConfirm {
		t.Fatalf("y gave %v", act)
	}
	if _, _, act := m.Update(tea.KeyMsg{Type: tea.KeyEsc}); act != ActionCancel {
		t.Fatalf("esc gave %v", act)
	}
}

func TestTypedNameRequired(t *testing.T) {
	m := New("Revoke?", nil, "prod-web", styles.Default(nil))
	var act Action
	m, _, act = m.Update(runes("y"))
	if act != ActionNone {
		t.Fatalf("y confirmed a typed confirmation: %v", act)
	}
	m, _, act = m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	if act != ActionNone || m.err == "" {
		t.Fatal("enter with the wrong text confirmed")
	}
	m.input.SetValue("prod-web")
	if _, _, act = m.Update(tea.KeyMsg{Type: tea.KeyEnter}); act != ActionConfirm {
		t.Fatalf("the typed name did not confirm: %v", act)
	}
}
