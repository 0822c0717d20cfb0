package ui

import (
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"

	"ccecert/api"
	"ccecert/store"
	"ccecert/ui/styles"
)

// syncKeys enables exactly the bindings that can act on the current
// selection, so the help shows only what works now. It is O(1).
func (m *Model) syncKeys() {
	k := &m.widgets.keys
	t, c := m.selectedTarget(), m.selectedCred()
	live := c != nil && c.active()
	k.Fetch.SetEnabled(t != nil)
	k.Renew.SetEnabled(live && c.cred.Target.ID != "")
	k.RenewAll.SetEnabled(m.data.due > 0)
	k.Revoke.SetEnabled(live && c.cred.Target.Kind != api.KindFleet && c.cred.Target.ID != "" && c.cred.Subject != "")
	k.Export.SetEnabled(live && c.cred.HasKey && c.health != store.HealthExpired) // the engine refuses the others
	k.Use.SetEnabled(live && c.context != "")
	k.Copy.SetEnabled(c != nil && c.context != "")
	k.Events.SetEnabled(m.active == pageCredentials && c != nil)
	k.Close.SetEnabled(m.widgets.help.ShowAll || m.page().filter != "")
	_, switchable := m.switcher()
	k.Profile.SetEnabled(switchable)
	m.syncContextKeys()
	n := m.page().table.RowCount()
	for _, b := range []*key.Binding{&k.Up, &k.Down, &k.PageUp, &k.PageDown, &k.Top, &k.Bottom} {
		b.SetEnabled(n > 1)
	}
}

// helpKeys is the key map the help line shows: the open dialog's, the
// filter's, or the page's.
func (m Model) helpKeys() help.KeyMap {
	switch {
	case m.dialog == dialogFetch:
		return m.widgets.fetch.KeyMap()
	case m.dialog == dialogConfirm:
		return m.widgets.confirm.KeyMap()
	case m.dialog == dialogPrompt:
		return m.widgets.prompt.KeyMap()
	case m.dialog == dialogEvents:
		return m.widgets.events.KeyMap()
	case m.dialog == dialogProfile:
		return filterKeyMap{
			apply: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "switch profile")),
			clear: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "close")),
		}
	case m.filtering:
		return filterKeys()
	}
	return m.widgets.keys
}

// helpView is the help: the keys that work now and, under the full help
// of a page, what the filter takes.
func (m Model) helpView() string {
	h := m.widgets.help.View(m.helpKeys())
	if m.widgets.help.ShowAll && m.dialog == dialogNone && !m.filtering {
		text := "words match the name, context, region; " + filterHelp() + " match that field"
		for i, l := range strings.Split(wrapWords(text, max(m.widgets.help.Width-9, 20)), "\n") {
			lead := "         "
			if i == 0 {
				lead = m.styles.Title.Render("/ filter") + " "
			}
			h += "\n" + lead + m.styles.Muted.Render(l)
		}
	}
	return h
}

// filterKeyMap is shown while the filter is typed: its keys, and the
// field prefixes it takes (a help entry no key matches: the filter reads
// them).
type filterKeyMap struct{ apply, clear, fields key.Binding }

func filterKeys() filterKeyMap {
	return filterKeyMap{
		apply:  key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "keep filter")),
		clear:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		fields: key.NewBinding(key.WithKeys("\x00fields"), key.WithHelp(strings.Join(strings.Fields(filterHelp())[:4], " "), "fields")),
	}
}

func (f filterKeyMap) ShortHelp() []key.Binding {
	return []key.Binding{f.apply, f.clear, f.fields}
}
func (f filterKeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{f.ShortHelp()}
}

func newHelp(st *styles.Styles) help.Model {
	h := help.New()
	h.Styles.ShortKey = st.Title
	h.Styles.FullKey = st.Title
	h.Styles.ShortDesc = st.Muted
	h.Styles.FullDesc = st.Muted
	h.Styles.ShortSeparator = st.Disabled
	h.Styles.FullSeparator = st.Disabled
	h.Styles.Ellipsis = st.Disabled
	return h
}

func newFilterInput(st *styles.Styles) textinput.Model {
	in := textinput.New()
	in.Prompt = "/"
	in.PromptStyle = st.Filter
	in.PlaceholderStyle = st.Muted
	in.Placeholder = "filter"
	in.CharLimit = 64
	in.Cursor.SetMode(cursor.CursorStatic)
	return in
}
