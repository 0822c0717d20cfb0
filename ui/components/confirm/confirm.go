// Package confirm is a yes/no dialog. For dangerous actions on
// production-looking targets it asks the operator to type the target's name.
package confirm

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"ccecert/ui/styles"
)

// Action is what the dialog asks of its owner.
type Action int

// Actions.
const (
	ActionNone Action = iota
	ActionConfirm
	ActionCancel
)

// KeyMap is the dialog's key map.
type KeyMap struct {
	Yes key.Binding
	No  key.Binding
}

// Model is the dialog state.
type Model struct {
	title   string
	lines   []string
	require string
	input   textinput.Model
	st      *styles.Styles
	width   int
	keys    KeyMap
	err     string
}

// New asks title, with explanatory lines (already inert). When require is
// not empty the operator must type it exactly to confirm.
func New(title string, lines []string, require string, st *styles.Styles) Model {
	m := Model{title: title, lines: lines, require: require, st: st, width: 64}
	m.keys = KeyMap{
		Yes: key.NewBinding(key.WithKeys("y", "enter"), key.WithHelp("y/enter", "confirm")),
		No:  key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "cancel")),
	}
	if require != "" {
		m.input = textinput.New()
		m.input.Prompt = "> "
		m.input.Cursor.SetMode(cursor.CursorStatic)
		m.input.PlaceholderStyle = st.Muted
		m.input.Focus()
		m.keys.Yes = key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "confirm"))
		m.keys.No = key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel"))
	}
	return m
}

// KeyMap returns the bindings, for the help line.
func (m Model) KeyMap() KeyMap { return m.keys }

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Yes, k.No} }

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// SetWidth sets the dialog's outer width.
func (m *Model) SetWidth(w int) { m.width = max(30, min(w, 72)) }

// Update handles a key.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd, Action) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil, ActionNone
	}
	switch {
	case key.Matches(km, m.keys.No):
		return m, nil, ActionCancel
	case key.Matches(km, m.keys.Yes):
		if m.require != "" && m.input.Value() != m.require {
			m.err = "type the name exactly to confirm"
			return m, nil, ActionNone
		}
		return m, nil, ActionConfirm
	}
	if m.require == "" {
		return m, nil, ActionNone
	}
	m.err = ""
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(km)
	return m, cmd, ActionNone
}

// View renders the dialog box.
func (m Model) View() string {
	inner := m.width - 4
	out := []string{m.st.DialogTitle.Render(m.title), ""}
	out = append(out, m.lines...)
	if m.require != "" {
		out = append(out, "", "Type "+m.st.Critical.Render(m.require)+" to confirm:", m.input.View())
	} else {
		out = append(out, "", m.st.Muted.Render("y confirm · n cancel"))
	}
	if m.err != "" {
		out = append(out, m.st.Critical.Render("✗ "+m.err))
	}
	// Lines wrap between words, so nothing asked about is cut off; only
	// a word wider than the box is cut.
	var lines []string
	for _, l := range out {
		for _, w := range strings.Split(ansi.Wordwrap(l, inner, " ,"), "\n") {
			lines = append(lines, ansi.Truncate(w, inner, "…"))
		}
	}
	return m.st.Dialog.Width(m.width - 2).Render(strings.Join(lines, "\n"))
}
