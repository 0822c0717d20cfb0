package ui

import (
	"context"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Live: the TUI follows what other processes do (a CLI get, renew or
// revoke, a cron renewal, the exec plugin's auto-renewal, an edit of a
// kubeconfig file) within Options.Live. A goroutine asks Backend.Changes
// on a timer (SQLite's data_version and the files' stat: microseconds, no
// read of a table or a file) and sends a message only when something
// changed, so an idle screen runs neither Update nor View for it.

// liveMsg is news from the watcher: what changed.
type liveMsg struct{ changes Changes }

// watchLive starts the watcher, if Options.Live asks for one. It runs
// until something changed (then onLive starts the next) or the TUI ends.
func (m Model) watchLive() tea.Cmd {
	if m.opts.Live <= 0 {
		return nil
	}
	return watch(m.ctx, m.backend, m.opts.Live)
}

// watch polls b.Changes every interval until it reports a change; errors
// (a busy database, a file being replaced) are tried again at the next
// one. It returns nil once parent ends.
func watch(parent context.Context, b Backend, every time.Duration) tea.Cmd {
	return func() tea.Msg {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-parent.Done():
				return nil
			case <-t.C:
			}
			if ch, ok := askChanges(parent, b, every); ok && (ch.Store || ch.Kubeconfigs) {
				return liveMsg{changes: ch}
			}
		}
	}
}

// askChanges is one Backend.Changes call under a timeout; a panic is an
// answer of no change.
func askChanges(parent context.Context, b Backend, d time.Duration) (ch Changes, ok bool) {
	ctx, cancel := context.WithTimeout(parent, d)
	defer cancel()
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	ch, err := b.Changes(ctx)
	return ch, err == nil
}

// onLive reloads what changed and starts watching again.
func (m *Model) onLive(msg liveMsg) tea.Cmd {
	cmds := []tea.Cmd{m.watchLive()}
	if msg.changes.Store {
		cmds = append(cmds, m.reloadCredentials())
	}
	if msg.changes.Store || msg.changes.Kubeconfigs {
		// The contexts' credentials come from the store.
		cmds = append(cmds, m.reloadContexts())
	}
	return tea.Batch(cmds...)
}
