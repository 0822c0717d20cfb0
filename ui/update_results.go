package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"ccecert/api"
	"ccecert/store"
	"ccecert/ui/sanitize"
)

// onInventory applies an inventory unless a newer one is on screen already
// (a late cache read after a refresh, or a superseded refresh).
func (m *Model) onInventory(msg inventoryMsg) tea.Cmd {
	m.end(msg.id)
	r := m.requests
	if msg.refresh {
		if msg.id != r.refreshID {
			return nil
		}
		r.refreshID = 0
	}
	if msg.id < r.invApplied {
		return nil
	}
	if msg.err != nil {
		what := "read cached inventory"
		if msg.refresh {
			what = "refresh inventory"
		}
		m.fail("", what, msg.err)
		return nil
	}
	r.invApplied = msg.id
	m.fetchedAt = msg.inv.FetchedAt
	m.regionErrs = msg.inv.Errors
	m.setData(msg.inv.Targets, m.creds)
	if msg.refresh {
		m.succeed("", refreshSummary(msg.inv))
	}
	return nil
}

func refreshSummary(inv Inventory) string {
	clusters, fleets := 0, 0
	for _, t := range inv.Targets {
		if t.Kind == api.KindFleet {
			fleets++
		} else {
			clusters++
		}
	}
	s := "refreshed: " + count(clusters, "cluster") + ", " + count(fleets, "fleet")
	failed := 0
	for _, e := range inv.Errors {
		if !e.Partial {
			failed++
		}
	}
	if failed > 0 {
		s += " (" + count(failed, "region") + " failed)"
	}
	if failed < len(inv.Errors) {
		s += " (fleet members not listed)"
	}
	return s
}

// onRefreshProgress records progress and waits for the next report.
func (m *Model) onRefreshProgress(msg refreshProgressMsg) tea.Cmd {
	r := m.requests
	if msg.id != r.refreshID {
		return nil
	}
	r.done, r.total = msg.done, msg.total
	return listen(r.refreshCh)
}

// onCredentials applies a credential list unless a newer one is applied.
func (m *Model) onCredentials(msg credentialsMsg) {
	m.end(msg.id)
	if msg.id < m.requests.credsApplied {
		return
	}
	if msg.err != nil {
		m.fail("", "read credentials", msg.err)
		return
	}
	m.requests.credsApplied = msg.id
	m.setData(m.targets, msg.creds)
}

// onVPCs gives the fetch dialog that asked its VPCs.
func (m *Model) onVPCs(msg vpcsMsg) {
	m.end(msg.id)
	if m.dialog != dialogFetch || msg.id != m.requests.vpcs {
		return
	}
	m.widgets.fetch.SetVPCs(msg.vpcs, msg.err)
}

// onFetched shows the new credential: the Credentials page, the new row
// selected, its countdown running, its context named, the engine's warnings
// with it. The list is reloaded even after an error: the credential may be
// stored although its kubeconfig could not be written.
func (m *Model) onFetched(msg fetchedMsg) tea.Cmd {
	m.end(msg.id)
	name := sanitize.Line(msg.target.Name)
	if msg.err != nil {
		m.fail(msg.target.Key(), "fetch for "+name, msg.err)
		return m.reloadCredentials()
	}
	c := msg.out.Credential
	m.upsert(c)
	m.active = pageCredentials
	m.page().setFilter("")
	m.page().selectKey(c.ID)
	text := "fetched " + c.ID + " for " + name
	if ctxName, _ := preferredContext(c); ctxName != "" {
		text += " → context " + ctxName
	}
	m.succeed(msg.target.Key(), text+", "+expiresIn(c, m.now))
	m.warn(c.ID, msg.out.Warnings)
	return m.reloadCredentials()
}

// warn keeps the engine's warnings about a credential for its detail pane
// and adds them to the status line.
func (m *Model) warn(credID string, warnings []string) {
	if kept := m.keepWarnings(credID, warnings); len(kept) > 0 {
		m.status.text += " — " + strings.Join(kept, "; ")
		m.status.warn = true
	}
}

// keepWarnings keeps the engine's warnings about a credential (made inert)
// for its detail pane, and returns them.
func (m *Model) keepWarnings(credID string, warnings []string) []string {
	var kept []string
	for _, w := range warnings {
		if w = sanitize.Line(w); w != "" {
			kept = append(kept, w)
		}
	}
	if len(kept) > 0 {
		m.itemWarn[credID] = kept
	}
	return kept
}

// expiresIn says when c expires, for the status line.
func expiresIn(c store.Credential, now time.Time) string {
	switch {
	case c.TokenOnly || c.NotAfter.IsZero():
		return "no expiry info"
	case !c.NotAfter.After(now):
		return store.Countdown(c.NotAfter, now) // "expired 3d ago"
	}
	return "expires in " + store.Countdown(c.NotAfter, now)
}

// onRenewed shows one renewal, and moves a bulk renewal along.
func (m *Model) onRenewed(msg renewedMsg) tea.Cmd {
	m.end(msg.id)
	inBatch := msg.batch != 0 && m.bulk != nil && m.bulk.id == msg.batch
	if msg.err != nil {
		m.fail(msg.oldID, "renew "+msg.oldID, msg.err)
	} else {
		m.replace(msg.oldID, msg.cred)
		if inBatch {
			delete(m.itemErr, msg.oldID)
			m.keepWarnings(msg.cred.ID, msg.warnings) // in the detail pane; the batch has the status line
		} else {
			m.page().selectKey(msg.cred.ID)
			m.succeed(msg.oldID, fmt.Sprintf("renewed %s → %s, %s", msg.oldID, msg.cred.ID, expiresIn(msg.cred, m.now)))
			m.warn(msg.cred.ID, msg.warnings)
		}
	}
	if !inBatch {
		return m.reloadCredentials()
	}
	next := m.bulkStep(msg.err == nil)
	if m.bulk.finished() {
		m.bulkReport()
		return m.reloadCredentials()
	}
	return next
}

// onRevoked marks the revoked credentials at once, then reloads.
func (m *Model) onRevoked(msg revokedMsg) tea.Cmd {
	m.end(msg.id)
	if msg.err != nil {
		m.fail(msg.credID, "revoke "+msg.credID, msg.err)
		return nil
	}
	creds := slices.Clone(m.creds)
	for i := range creds {
		if slices.Contains(msg.ids, creds[i].ID) && creds[i].RevokedAt.IsZero() {
			creds[i].RevokedAt = m.now
		}
	}
	m.setLocalCreds(creds)
	m.succeed(msg.credID, fmt.Sprintf("revoked %d credential(s): %v", len(msg.ids), msg.ids))
	return m.reloadCredentials()
}

func (m *Model) onExported(msg exportedMsg) {
	m.end(msg.id)
	if msg.err != nil {
		m.fail(msg.credID, "export "+msg.credID, msg.err)
		return
	}
	m.succeed(msg.credID, "exported "+msg.credID+" to "+msg.path)
}

func (m *Model) onUsed(msg usedMsg) {
	m.end(msg.id)
	if msg.err != nil {
		m.fail(msg.credID, "use context "+msg.context, msg.err)
		return
	}
	m.succeed(msg.credID, "current-context is now "+msg.context)
}

func (m *Model) onCopied(msg copiedMsg) {
	m.end(msg.id)
	if msg.err != nil {
		m.fail("", "copy", msg.err)
		return
	}
	m.succeed("", "copied "+msg.text)
}

// upsert adds or replaces a credential locally, ahead of the reload.
func (m *Model) upsert(c store.Credential) {
	creds := slices.Clone(m.creds)
	if i := slices.IndexFunc(creds, func(x store.Credential) bool { return x.ID == c.ID }); i >= 0 {
		creds[i] = c
	} else {
		creds = append(creds, c)
	}
	m.setLocalCreds(creds)
}

// setLocalCreds applies a change made here ahead of the Backend's list;
// lists asked for before it are stale from now on.
func (m *Model) setLocalCreds(creds []store.Credential) {
	m.requests.credsApplied = m.requests.seq
	m.setData(m.targets, creds)
}

// replace records a renewal locally: the old one replaced, the new added.
func (m *Model) replace(oldID string, c store.Credential) {
	creds := slices.Clone(m.creds)
	for i := range creds {
		if creds[i].ID == oldID && creds[i].ReplacedBy == "" {
			creds[i].ReplacedBy = c.ID
		}
	}
	m.creds = creds
	m.upsert(c)
}

// reloadCredentials asks the Backend for the credential list again.
func (m *Model) reloadCredentials() tea.Cmd {
	id := m.begin("loading credentials")
	return loadCredentials(m.ctx, m.backend, m.opts.Timeouts.Load, id)
}

// count is n and the noun, plural unless n is 1: "1 fleet", "3 fleets".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
