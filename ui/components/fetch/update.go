package fetch

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"ccecert/store"
)

// Action is what the dialog asks of its owner after a message.
type Action int

// Actions.
const (
	ActionNone   Action = iota
	ActionSubmit        // Result() is valid: fetch
	ActionCancel        // close the dialog
)

// Update handles a key. It never does I/O; the owner acts on the Action.
func (m Model) Update(msg tea.Msg) (Model, tea.Cmd, Action) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, nil, ActionNone
	}
	switch {
	case key.Matches(km, m.keys.Cancel):
		return m, nil, ActionCancel
	case key.Matches(km, m.keys.Submit):
		if _, err := m.Result(); err != nil {
			m.err = err.Error()
			return m, nil, ActionNone
		}
		return m, nil, ActionSubmit
	case key.Matches(km, m.keys.Next):
		m.moveFocus(1)
		return m, nil, ActionNone
	case key.Matches(km, m.keys.Prev):
		m.moveFocus(-1)
		return m, nil, ActionNone
	}
	m.err = ""
	var cmd tea.Cmd
	switch m.focus {
	case fieldCustom:
		m.custom, cmd = m.custom.Update(km)
	case fieldUntil:
		m.until, cmd = m.until.Update(km)
	case fieldKubeconfig:
		m.kubecfg, cmd = m.kubecfg.Update(km)
	default:
		m.choose(km)
	}
	return m, cmd, ActionNone
}

// choose changes the focused choice field: left/right step, space steps
// forward (or toggles).
func (m *Model) choose(km tea.KeyMsg) {
	step := 0
	switch {
	case key.Matches(km, m.keys.Left):
		step = -1
	case key.Matches(km, m.keys.Right), key.Matches(km, m.keys.Toggle):
		step = 1
	default:
		return
	}
	switch m.focus {
	case fieldValidity:
		m.preset = m.nextPreset(step)
	case fieldContexts:
		m.contexts = m.nextContexts(step)
	case fieldMode:
		if m.mode == store.ModeInline {
			m.mode = store.ModeExec
		} else {
			m.mode = store.ModeInline
		}
	case fieldUse:
		m.use = !m.use
	case fieldConnection:
		m.newConn = !m.newConn
	case fieldVPC:
		if n := len(m.vpcs); n > 0 {
			m.vpc = (m.vpc + step + n) % n
			m.subnet = 0
		}
	case fieldSubnet:
		if len(m.vpcs) > 0 {
			if n := len(m.vpcs[m.vpc].Subnets); n > 0 {
				m.subnet = (m.subnet + step + n) % n
			}
		}
	}
}

// nextPreset steps through the presets, skipping disabled ones, wrapping.
func (m Model) nextPreset(step int) int {
	n := len(m.presets)
	i := m.preset
	for range n {
		i = (i + step + n) % n
		if m.presetDisabled(m.presets[i]) == "" {
			return i
		}
	}
	return m.preset
}

// nextContexts steps through internal/external/both; without an EIP only
// internal applies.
func (m Model) nextContexts(step int) Contexts {
	if m.externalDisabled() != "" {
		return ContextsInternal
	}
	return Contexts((int(m.contexts) + step + 3) % 3)
}

// moveFocus moves to the next or previous focusable field, wrapping.
func (m *Model) moveFocus(step int) {
	fs := m.focusable()
	at := 0
	for i, f := range fs {
		if f == m.focus {
			at = i
		}
	}
	m.focus = fs[(at+step+len(fs))%len(fs)]
	m.syncFocus()
}

// syncFocus gives the text inputs their focus state.
func (m *Model) syncFocus() {
	for _, in := range []struct {
		f  field
		ti *textinput.Model
	}{{fieldCustom, &m.custom}, {fieldUntil, &m.until}, {fieldKubeconfig, &m.kubecfg}} {
		if m.focus == in.f {
			in.ti.Focus()
		} else {
			in.ti.Blur()
		}
	}
}
