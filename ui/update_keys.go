package ui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"ccecert/ui/components/confirm"
	"ccecert/ui/components/eventlog"
	"ccecert/ui/components/fetch"
	"ccecert/ui/components/prompt"
)

// onKey routes a key: to the open dialog, to the filter being typed, or to
// the page.
func (m *Model) onKey(k tea.KeyMsg) tea.Cmd {
	if k.Type == tea.KeyCtrlC {
		return tea.Quit
	}
	if burst(k) && !m.typing() {
		// Keys typed faster than the terminal is read arrive as one
		// message ("jjj"); outside a text field each is its own command.
		var cmds []tea.Cmd
		for _, r := range k.Runes {
			cmds = append(cmds, m.onKey(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}, Alt: k.Alt}))
		}
		return tea.Batch(cmds...)
	}
	switch {
	case m.dialog != dialogNone:
		return m.dialogKey(k)
	case m.filtering:
		return m.filterKey(k)
	}
	return m.pageKey(k)
}

// burst is several runes in one key message, not a paste.
func burst(k tea.KeyMsg) bool {
	return k.Type == tea.KeyRunes && len(k.Runes) > 1 && !k.Paste
}

// typing reports whether keys go into a text field now.
func (m *Model) typing() bool {
	switch m.dialog {
	case dialogFetch:
		return m.widgets.fetch.TextFocused()
	case dialogConfirm, dialogPrompt:
		return true
	}
	return m.filtering
}

// pageKey handles keys on a page; disabled bindings never match.
func (m *Model) pageKey(k tea.KeyMsg) tea.Cmd {
	km, p := m.widgets.keys, m.page()
	switch {
	case key.Matches(k, km.Quit):
		return tea.Quit
	case key.Matches(k, km.Help):
		m.widgets.help.ShowAll = !m.widgets.help.ShowAll
		m.relayout()
	case key.Matches(k, km.Close):
		m.closeOverlay()
	case key.Matches(k, km.NextTab):
		m.switchPage((m.active + 1) % numPages)
	case key.Matches(k, km.PrevTab):
		m.switchPage((m.active + numPages - 1) % numPages)
	case key.Matches(k, km.Page1):
		m.switchPage(pageClusters)
	case key.Matches(k, km.Page2):
		m.switchPage(pageFleets)
	case key.Matches(k, km.Page3):
		m.switchPage(pageCredentials)
	case key.Matches(k, km.Page4):
		m.switchPage(pageContexts)
	case m.navKey(k, p):
	default:
		return m.actionKey(k)
	}
	return nil
}

// navKey moves the cursor for a navigation key and reports whether k was
// one; from then on the page's selection follows its item.
func (m *Model) navKey(k tea.KeyMsg, p *page) bool {
	km, t := m.widgets.keys, &p.table
	switch {
	case key.Matches(k, km.Up):
		t.Move(-1)
	case key.Matches(k, km.Down):
		t.Move(1)
	case key.Matches(k, km.PageUp):
		t.PageUp()
	case key.Matches(k, km.PageDown):
		t.PageDown()
	case key.Matches(k, km.Top):
		t.Top()
	case key.Matches(k, km.Bottom):
		t.Bottom()
	default:
		return false
	}
	p.moved()
	return true
}

// actionKey handles the keys that act on the selection or the list.
func (m *Model) actionKey(k tea.KeyMsg) tea.Cmd {
	if cmd, ok := m.contextKey(k); ok {
		return cmd
	}
	km := m.widgets.keys
	switch {
	case key.Matches(k, km.Filter):
		m.filtering = true
		m.widgets.filterIn.SetValue(m.page().filter)
		m.widgets.filterIn.CursorEnd()
		return m.widgets.filterIn.Focus()
	case key.Matches(k, km.Sort):
		m.succeed("", "sorted by "+m.page().cycleSort())
	case key.Matches(k, km.Fetch):
		return m.openFetch()
	case key.Matches(k, km.Renew):
		return m.renewSelected()
	case key.Matches(k, km.RenewAll):
		m.askRenewAll()
	case key.Matches(k, km.Revoke):
		m.askRevoke()
	case key.Matches(k, km.Export):
		m.askExport()
	case key.Matches(k, km.Use):
		return m.useSelected()
	case key.Matches(k, km.Copy):
		return m.copySelected()
	case key.Matches(k, km.Events):
		return m.openEvents()
	case key.Matches(k, km.Refresh):
		// ctrl+r reads again what other processes may have written, not
		// only the cloud's inventory (it used to leave "no credentials
		// yet" after another shell's gets).
		reload := tea.Batch(m.reloadCredentials(), m.reloadContexts())
		if m.opts.NoKeys != "" {
			m.status = status{text: m.refreshRefusal(), warn: true, why: true}
			return reload
		}
		return tea.Batch(m.startRefresh(), reload)
	case key.Matches(k, km.Profile):
		m.openProfilePicker()
	default:
		m.refuse(k)
	}
	return nil
}

// closeOverlay closes the full help, else clears the filter.
func (m *Model) closeOverlay() {
	if m.widgets.help.ShowAll {
		m.widgets.help.ShowAll = false
		m.relayout()
		return
	}
	m.page().setFilter("")
}

func (m *Model) switchPage(i int) {
	m.active = i
}

// filterKey edits the filter as typed: enter keeps it, esc clears it.
func (m *Model) filterKey(k tea.KeyMsg) tea.Cmd {
	switch k.Type {
	case tea.KeyEnter:
		m.filtering = false
		m.widgets.filterIn.Blur()
		return nil
	case tea.KeyEsc:
		m.filtering = false
		m.widgets.filterIn.Blur()
		m.page().setFilter("")
		return nil
	}
	var cmd tea.Cmd
	m.widgets.filterIn, cmd = m.widgets.filterIn.Update(k)
	if v := m.widgets.filterIn.Value(); v != m.page().filter {
		m.page().setFilter(v)
	}
	return cmd
}

// dialogKey gives the key to the open dialog and acts on its answer.
func (m *Model) dialogKey(k tea.KeyMsg) tea.Cmd {
	var cmd tea.Cmd
	switch m.dialog {
	case dialogFetch:
		var act fetch.Action
		m.widgets.fetch, cmd, act = m.widgets.fetch.Update(k)
		switch act {
		case fetch.ActionCancel:
			m.dialog = dialogNone
		case fetch.ActionSubmit:
			return m.submitFetch()
		}
	case dialogConfirm:
		var act confirm.Action
		m.widgets.confirm, cmd, act = m.widgets.confirm.Update(k)
		switch act {
		case confirm.ActionCancel:
			m.dialog = dialogNone
			m.status = status{text: "cancelled", plain: true}
		case confirm.ActionConfirm:
			m.dialog = dialogNone
			return m.runPending()
		}
	case dialogPrompt:
		var act prompt.Action
		m.widgets.prompt, cmd, act = m.widgets.prompt.Update(k)
		switch act {
		case prompt.ActionCancel:
			m.dialog = dialogNone
			m.status = status{text: "cancelled", plain: true}
		case prompt.ActionSubmit:
			m.dialog = dialogNone
			m.pending.path = m.widgets.prompt.Value()
			return m.runPending()
		}
	case dialogProfile:
		return m.pickerKey(k)
	case dialogEvents:
		var act eventlog.Action
		m.widgets.events, act = m.widgets.events.Update(k)
		if act == eventlog.ActionClose {
			m.closeEvents()
		}
	}
	return cmd
}
