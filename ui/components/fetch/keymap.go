package fetch

import "github.com/charmbracelet/bubbles/key"

// KeyMap is the fetch dialog's key map.
type KeyMap struct {
	Next   key.Binding
	Prev   key.Binding
	Left   key.Binding
	Right  key.Binding
	Toggle key.Binding
	Submit key.Binding
	Cancel key.Binding
}

// DefaultKeyMap returns the dialog's bindings.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Next:   key.NewBinding(key.WithKeys("tab", "down"), key.WithHelp("tab/↓", "next field")),
		Prev:   key.NewBinding(key.WithKeys("shift+tab", "up"), key.WithHelp("shift+tab/↑", "prev field")),
		Left:   key.NewBinding(key.WithKeys("left", "h"), key.WithHelp("←/h", "choose")),
		Right:  key.NewBinding(key.WithKeys("right", "l"), key.WithHelp("→/l", "choose")),
		Toggle: key.NewBinding(key.WithKeys(" "), key.WithHelp("space", "toggle")),
		Submit: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "fetch")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Next, k.Left, k.Toggle, k.Submit, k.Cancel}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{{k.Next, k.Prev, k.Left, k.Right}, {k.Toggle, k.Submit, k.Cancel}}
}
