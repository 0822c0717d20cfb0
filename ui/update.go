package ui

import (
	"fmt"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"ccecert/ui/sanitize"
)

// Update routes a message. It never does I/O: work is returned as Cmds.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) { return m.update(msg) }

// update is Update without boxing the Model in an interface (an
// allocation of the whole Model per message).
func (m Model) update(msg tea.Msg) (Model, tea.Cmd) {
	wasBusy, rev := m.busy(), m.rev
	var cmd tea.Cmd
	_, isTick := msg.(tickMsg)
	if !isTick {
		m.rev++ // anything but the clock may change what is drawn
		// The clock sleeps until the screen would change; what this
		// message draws is drawn at the time it arrives.
		m.advanceClock()
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.relayout()
	case tickMsg:
		m.onTick(msg)
	case spinner.TickMsg:
		if !m.busy() {
			return m, nil // let the spinner stop while idle
		}
		m.widgets.spin, cmd = m.widgets.spin.Update(msg)
	case tea.KeyMsg:
		cmd = m.onKey(msg)
	case inventoryMsg:
		cmd = m.onInventory(msg)
	case refreshProgressMsg:
		cmd = m.onRefreshProgress(msg)
	case credentialsMsg:
		m.onCredentials(msg)
	case vpcsMsg:
		m.onVPCs(msg)
	case fetchedMsg:
		cmd = m.onFetched(msg)
	case renewedMsg:
		cmd = m.onRenewed(msg)
	case revokedMsg:
		cmd = m.onRevoked(msg)
	case exportedMsg:
		m.onExported(msg)
	case usedMsg:
		m.onUsed(msg)
	case copiedMsg:
		m.onCopied(msg)
	case eventsMsg:
		m.onEvents(msg)
	case profileSwitchedMsg:
		cmd = m.onProfileSwitched(msg)
	case contextsMsg, switchedMsg, namespacedMsg, ctxDeletedMsg, liveMsg:
		cmd = m.onContextsMsg(msg)
	}
	if m.rev != rev { // a tick that changed nothing on screen changes no key
		m.fitSide()
		m.syncKeys()
	}
	if !wasBusy && m.busy() {
		cmd = tea.Batch(cmd, m.widgets.spin.Tick)
	}
	switch {
	case isTick && msg.(tickMsg).gen == m.requests.tickGen:
		cmd = m.schedule(m.requests.tickGen) // the chain goes on
	case !isTick && m.nextTick().Before(m.requests.tickAt):
		// The screen now changes sooner (a countdown in seconds came
		// into view, work started): a new chain, sooner.
		m.requests.tickGen++
		cmd = tea.Batch(cmd, m.schedule(m.requests.tickGen))
	}
	return m, cmd
}

// nextTick is the next instant the screen may read differently with only
// the clock moving: when the frame at m.now stops holding (drawn here if
// Bubble Tea has not asked for it yet; its View then hands it back), or a
// credential's health changing before that. Between the two the TUI
// sleeps: an idle screen showing minutes wakes about once a minute.
func (m Model) nextTick() time.Time {
	at := m.now.Truncate(time.Second).Add(time.Second)
	if m.viewCache != nil {
		m.View()
		at = time.Unix(0, m.viewCache.frame.until)
	}
	if e, ok := m.data.nextEvent(); ok && e.Before(at) {
		at = e
	}
	return at
}

// schedule asks for chain gen's next tick at nextTick.
func (m Model) schedule(gen int) tea.Cmd {
	m.requests.tickAt = m.nextTick()
	return m.ticker(gen, m.requests.tickAt)
}

// onTick advances the clock: countdowns are drawn from it, and health
// changes are applied where a threshold was crossed. (The next tick is
// asked for by update, once the keys are in step.)
func (m *Model) onTick(msg tickMsg) {
	if msg.gen != m.requests.tickGen {
		return // a stale tick chain: let it die
	}
	m.advanceClock()
}

// advanceClock reads the clock and applies the health changes since the
// last reading.
func (m *Model) advanceClock() {
	m.now = m.opts.Now()
	if m.data.advance(m.now) {
		m.rev++ // a health changed: rows restyle and re-sort
		for _, p := range m.pages {
			p.resort()
		}
	}
	if m.dialog == dialogFetch {
		m.widgets.fetch.SetNow(m.now)
	}
}

// fail shows err in the status line and, under key, in the detail pane.
func (m *Model) fail(key, what string, err error) {
	text := sanitize.Line(fmt.Sprintf("%s: %v", what, err))
	m.status = status{text: text, err: true}
	if key != "" {
		m.itemErr[key] = text
	}
}

// succeed shows a result in the status line and clears key's error.
func (m *Model) succeed(key, text string) {
	m.status = status{text: sanitize.Line(text)}
	if key != "" {
		delete(m.itemErr, key)
	}
}
