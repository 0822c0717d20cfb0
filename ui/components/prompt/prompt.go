// Package prompt is a one-field dialog: a title, a text input with a
// default, enter to accept and esc to cancel.
package prompt

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
	ActionSubmit
	ActionCancel
)

// KeyMap is the dialog's key map.
type KeyMap struct {
	Submit key.Binding
	Cancel key.Binding
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding { return []key.Binding{k.Submit, k.Cancel} }

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// Model is the dialog state.
type Model struct {
	title string
	hint  string
	input textinput.Model
	st    *styles.Styles
	width int
	keys  KeyMap
	err   string
}

// New asks for a value, prefilled with value.
func New(title, hint, value string, st *styles.Styles) Model {
	in := textinput.New()
	in.Prompt = "> "
	in.CharLimit = 4096
	in.Cursor.SetMode(cursor.CursorStatic)
	in.PlaceholderStyle = st.Muted
	in.SetValue(value)
	in.Focus()
	return Model{title: title, hint: hint, input: in, st: st, width: 64, keys: KeyMap{
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "ok")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}}
}

// KeyMap returns the bindings, for the help line.
func (m Model) KeyMap() KeyMap { return m.keys }

// Value is the text typed.
func (m Model) Value() string { return strings.TrimSpace(m.input.Value()) }

// SetWidth sets the dialog's outer width.
func (m *Model) SetWidth(w int) {
	m.width = max(30, min(w, 80))
	m.input.Width = m.width - 8
}

// Update handles a key.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd, Action) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil, ActionNone
	}
	switch {
	case key.Matches(km, m.keys.Cancel):
		return m, nil, ActionCancel
	case key.Matches(km, m.keys.Submit):
		if m.Value() == "" {
			m.err = "type a value, or esc to cancel"
			return m, nil, ActionNone
		}
		return m, nil, ActionSubmit
	}
	m.err = ""
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(km)
	return m, cmd, ActionNone
}

// View renders the dialog box.
func (m Model) View() string {
	inner := m.width - 4
	out := []string{m.st.DialogTitle.Render(m.title), m.st.Muted.Render(m.hint), "", m.input.View()}
	if m.err != "" {
		out = append(out, m.st.Critical.Render("✗ "+m.err))
	}
	out = append(out, "", m.st.Muted.Render("enter ok · esc cancel"))
	for i, l := range out {
		out[i] = ansi.Truncate(l, inner, "…")
	}
	return m.st.Dialog.Width(m.width - 2).Render(strings.Join(out, "\n"))
}
