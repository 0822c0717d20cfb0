// Package keymap holds every key binding of the TUI, with its help words.
// Bindings that cannot apply to the current selection are disabled, so the
// help line shows only what works now.
package keymap

import "github.com/charmbracelet/bubbles/key"

// KeyMap is the root key map of the TUI.
type KeyMap struct {
	NextTab  key.Binding
	PrevTab  key.Binding
	Pages    key.Binding // 1-3, shown once in help
	Page1    key.Binding
	Page2    key.Binding
	Page3    key.Binding
	Page4    key.Binding
	Up       key.Binding
	Down     key.Binding
	PageUp   key.Binding
	PageDown key.Binding
	Top      key.Binding
	Bottom   key.Binding

	Fetch    key.Binding
	Renew    key.Binding
	RenewAll key.Binding
	Revoke   key.Binding
	Export   key.Binding
	Use      key.Binding
	Copy     key.Binding
	Events   key.Binding // the selected credential's target's log
	Filter   key.Binding
	Sort     key.Binding
	Refresh  key.Binding
	Profile  key.Binding // the profile picker; disabled with one profile

	// The Contexts page's.
	Switch     key.Binding // make the selected context current
	SwitchQuit key.Binding // switch and quit, kubectx-style
	Back       key.Binding // back to the previous context
	Namespace  key.Binding
	Delete     key.Binding // a context ccecert wrote

	Help  key.Binding
	Close key.Binding
	Quit  key.Binding
}

// Default returns the key map with every binding enabled.
func Default() KeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	km := KeyMap{
		NextTab:  b("tab", "next page", "tab"),
		PrevTab:  b("shift+tab", "prev page", "shift+tab"),
		Pages:    b("1-4", "go to page", "1", "2", "3", "4"),
		Page1:    b("1", "clusters", "1"),
		Page2:    b("2", "fleets", "2"),
		Page3:    b("3", "credentials", "3"),
		Page4:    b("4", "contexts", "4"),
		Up:       b("↑/k", "up", "up", "k"),
		Down:     b("↓/j", "down", "down", "j"),
		PageUp:   b("pgup", "page up", "pgup"),
		PageDown: b("pgdn", "page down", "pgdown"),
		Top:      b("g", "top", "g", "home"),
		Bottom:   b("G", "bottom", "G", "end"),
		Fetch:    b("enter/f", "fetch", "enter", "f"),
		Renew:    b("r", "renew", "r"),
		RenewAll: b("R", "renew all", "R"),
		Revoke:   b("x", "revoke", "x"),
		Export:   b("e", "export", "e"),
		Use:      b("u", "use context", "u"),
		Copy:     b("y", "copy", "y"),
		Events:   b("L", "log", "L"),
		Filter:   b("/", "filter", "/"),
		Sort:     b("s", "sort", "s"),
		Refresh:  b("ctrl+r", "refresh", "ctrl+r"),
		Profile:  b("P", "profile", "P"),
		Help:     b("?", "help", "?"),
		Close:    b("esc", "close", "esc"),
		Quit:     b("q", "quit", "q", "ctrl+c"),
	}
	km.Switch = b("enter/u", "switch", "enter", "u")
	km.SwitchQuit = b("U", "switch & quit", "U")
	km.Back = b("-", "previous", "-")
	km.Namespace = b("n", "namespace", "n")
	km.Delete = b("d", "delete", "d")
	return km
}

// ShortHelp is the one-line help: the most used bindings that work now.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Fetch, k.Switch, k.Back, k.Namespace, k.Renew, k.Revoke, k.Use, k.Filter, k.Help, k.Quit}
}

// FullHelp lists every binding that works now, in columns: navigation,
// actions on the selection, the list, the program.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.NextTab, k.PrevTab, k.Pages, k.Up, k.Down, k.PageUp, k.PageDown, k.Top, k.Bottom},
		{k.Fetch, k.Renew, k.RenewAll, k.Revoke, k.Export, k.Use, k.Copy, k.Events},
		{k.Switch, k.SwitchQuit, k.Back, k.Namespace, k.Delete},
		{k.Filter, k.Sort, k.Refresh, k.Profile, k.Help, k.Close, k.Quit},
	}
}
