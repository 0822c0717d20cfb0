package ui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"
)

// bulkRenew is a running `R`: renewals in flight are bounded, each result
// starts the next, and the status line shows n/m.
type bulkRenew struct {
	id      int // batch id
	ids     []string
	started int
	done    int
	failed  int
}

func (b *bulkRenew) finished() bool { return b.done == len(b.ids) }

// startBulk begins renewing ids, up to RenewConcurrency at a time.
func (m *Model) startBulk(ids []string) tea.Cmd {
	m.requests.seq++
	m.bulk = &bulkRenew{id: m.requests.seq, ids: ids}
	var cmds []tea.Cmd
	for range min(m.opts.RenewConcurrency, len(ids)) {
		cmds = append(cmds, m.bulkLaunch())
	}
	return tea.Batch(cmds...)
}

// bulkLaunch starts the next renewal of the batch.
func (m *Model) bulkLaunch() tea.Cmd {
	b := m.bulk
	credID := b.ids[b.started]
	b.started++
	id := m.begin(fmt.Sprintf("renewing %s", credID))
	return renewCred(m.ctx, m.backend, m.opts.Timeouts.Action, id, b.id, credID)
}

// bulkStep counts one result and starts the next renewal, if any.
func (m *Model) bulkStep(ok bool) tea.Cmd {
	b := m.bulk
	b.done++
	if !ok {
		b.failed++
	}
	if b.started < len(b.ids) {
		return m.bulkLaunch()
	}
	return nil
}

// bulkReport ends the batch with its tally.
func (m *Model) bulkReport() {
	b := m.bulk
	m.bulk = nil
	text := fmt.Sprintf("renewed %d/%d credentials", b.done-b.failed, len(b.ids))
	if b.failed > 0 {
		m.status = status{text: fmt.Sprintf("%s; %d failed — see each row's detail", text, b.failed), err: true}
		return
	}
	m.succeed("", text)
}

// progress is "n/m" of a running batch.
func (b *bulkRenew) progress() string { return fmt.Sprintf("%d/%d", b.done, len(b.ids)) }
