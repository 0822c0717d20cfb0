package ui

import (
	"fmt"
	"slices"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"ccecert/api"
	"ccecert/store"
	"ccecert/ui/components/confirm"
	"ccecert/ui/components/fetch"
	"ccecert/ui/components/prompt"
	"ccecert/ui/sanitize"
)

// pendingKind is the action a confirm or prompt dialog is asking about.
type pendingKind int

const (
	pendingNone pendingKind = iota
	pendingRevoke
	pendingRenewAll
	pendingExport
	pendingNamespace     // the Contexts page's n: path is the namespace typed
	pendingDeleteContext // the Contexts page's d
)

// pendingAction is what runs when the open dialog is confirmed.
type pendingAction struct {
	kind   pendingKind
	credID string
	ids    []string
	path   string
	kctx   string // the context a Contexts page action is about
}

// selectedTarget is the selected cluster or fleet; on the Credentials page,
// the selected credential's target when it is in the inventory.
func (m Model) selectedTarget() *targetItem {
	p := m.page()
	i := p.selected()
	if i < 0 {
		return nil
	}
	switch m.active {
	case pageClusters:
		return m.data.clusters[i]
	case pageFleets:
		return m.data.fleets[i]
	case pageContexts:
		if c := m.kube.items[i].cred; c != nil {
			return m.data.byKey[c.cred.Target.Key()]
		}
		return nil
	}
	return m.data.byKey[m.data.creds[i].cred.Target.Key()]
}

// selectedCred is the selected credential; on the Clusters and Fleets
// pages, the selected target's best credential.
func (m Model) selectedCred() *credItem {
	if m.active == pageContexts {
		if it := m.selectedContext(); it != nil {
			return it.cred
		}
		return nil
	}
	if m.active != pageCredentials {
		if t := m.selectedTarget(); t != nil {
			return t.best
		}
		return nil
	}
	if i := m.page().selected(); i >= 0 {
		return m.data.creds[i]
	}
	return nil
}

// openFetch opens the fetch dialog for the selected target; a fleet's VPCs
// are listed in the background.
func (m *Model) openFetch() tea.Cmd {
	t := m.selectedTarget()
	if t == nil {
		return nil
	}
	m.widgets.fetch = fetch.New(t.target, fetch.Options{Now: m.now, Location: m.opts.Location, Kubeconfig: m.kubeconfigPath(), Mode: m.opts.Mode, Styles: m.styles,
		HasConnection: t.target.Kind == api.KindFleet && m.hasCredential(t.target)})
	m.widgets.fetch.SetWidth(m.width - 4)
	m.dialog = dialogFetch
	if t.target.Kind == api.KindFleet && t.target.Federation {
		id := m.begin("listing VPCs")
		m.requests.vpcs = id
		return loadVPCs(m.ctx, m.backend, m.opts.Timeouts.Action, id, t.target)
	}
	return nil
}

// hasCredential reports whether any credential on file is for t (same
// kind and id), whatever its state: replaced, revoked and expired count,
// since a fleet's federation connection was made when any was fetched. It
// reads m.creds, not the dataset, which leaves replaced credentials out.
func (m Model) hasCredential(t api.Target) bool {
	return t.ID != "" && slices.ContainsFunc(m.creds, func(c store.Credential) bool {
		return c.Target.Kind == t.Kind && c.Target.ID == t.ID
	})
}

// submitFetch closes the dialog and fetches.
func (m *Model) submitFetch() tea.Cmd {
	res, err := m.widgets.fetch.Result()
	if err != nil {
		return nil // the dialog shows the error and stays open
	}
	m.dialog = dialogNone
	id := m.begin("fetching " + sanitize.Line(res.Target.Name))
	return fetchCred(m.ctx, m.backend, m.opts.Timeouts.Action, id, res)
}

// renewSelected renews the selected credential.
func (m *Model) renewSelected() tea.Cmd {
	c := m.selectedCred()
	if c == nil {
		return nil
	}
	id := m.begin("renewing " + c.target)
	return renewCred(m.ctx, m.backend, m.opts.Timeouts.Action, id, 0, c.cred.ID)
}

// askRenewAll confirms renewing every credential in warning or worse.
func (m *Model) askRenewAll() {
	due := m.data.renewable()
	if len(due) == 0 {
		m.succeed("", "nothing to renew: no credential is in warning or worse")
		return
	}
	ids := make([]string, len(due))
	lines := []string{fmt.Sprintf("%s in warning or worse:", count(len(due), "credential"))}
	for i, c := range due {
		ids[i] = c.cred.ID
		if i < 5 {
			lines = append(lines, fmt.Sprintf("  %-8s %s · %s", badge(c.health), c.target, remaining(c, m.now)))
		}
	}
	if len(due) > 5 {
		lines = append(lines, fmt.Sprintf("  … and %d more", len(due)-5))
	}
	lines = append(lines, "Each gets a new certificate with the same validity and contexts.")
	m.pending = pendingAction{kind: pendingRenewAll, ids: ids}
	m.openConfirm("Renew "+count(len(due), "credential")+"?", lines, "")
}

// askRevoke confirms a revocation; a production-looking target needs its
// name typed.
func (m *Model) askRevoke() {
	c := m.selectedCred()
	if c == nil {
		return
	}
	lines := []string{
		fmt.Sprintf("Credential %s of %s (%s), contexts %s.", c.cred.ID, c.target, c.region, c.contexts),
		"CCE revokes EVERY certificate of user " + sanitize.Line(c.cred.Subject) + " on this cluster,",
		"not only this one; kubectl with any of them stops working at once.",
	}
	require := ""
	if looksProduction(c.cred.Target.Name) {
		require = c.target
	}
	m.pending = pendingAction{kind: pendingRevoke, credID: c.cred.ID}
	m.openConfirm("Revoke "+c.cred.ID+"?", lines, require)
}

// askExport asks where to write a standalone kubeconfig.
func (m *Model) askExport() {
	c := m.selectedCred()
	if c == nil {
		return
	}
	m.pending = pendingAction{kind: pendingExport, credID: c.cred.ID}
	m.widgets.prompt = prompt.New("Export "+c.cred.ID+" ("+c.target+")", "A standalone kubeconfig with this one context, written 0600.", exportName(c), m.styles)
	m.widgets.prompt.SetWidth(m.width - 4)
	m.dialog = dialogPrompt
}

func (m *Model) openConfirm(title string, lines []string, require string) {
	m.widgets.confirm = confirm.New(title, lines, require, m.styles)
	m.widgets.confirm.SetWidth(m.width - 4)
	m.dialog = dialogConfirm
}

// runPending runs the confirmed action.
func (m *Model) runPending() tea.Cmd {
	p := m.pending
	m.pending = pendingAction{}
	switch p.kind {
	case pendingRevoke:
		id := m.begin("revoking " + p.credID)
		return revokeCred(m.ctx, m.backend, m.opts.Timeouts.Action, id, p.credID)
	case pendingRenewAll:
		return m.startBulk(p.ids)
	case pendingExport:
		id := m.begin("exporting " + p.credID)
		return exportCred(m.ctx, m.backend, m.opts.Timeouts.Action, id, p.credID, p.path)
	case pendingNamespace, pendingDeleteContext:
		return m.runContextPending(p)
	}
	return nil
}

// useSelected makes the selected credential's context current.
func (m *Model) useSelected() tea.Cmd {
	c := m.selectedCred()
	if c == nil || c.context == "" {
		return nil
	}
	file := c.cred.Kubeconfig
	if file == "" {
		file = m.kubeconfigPath()
	}
	id := m.begin("switching context")
	return useContext(m.ctx, m.backend, m.opts.Timeouts.Action, id, c.cred.ID, file, c.context)
}

// copySelected copies the selected credential's context name.
func (m *Model) copySelected() tea.Cmd {
	c := m.selectedCred()
	if c == nil || c.context == "" {
		return nil
	}
	id := m.begin("copying")
	return copyText(m.ctx, m.opts.Clipboard, id, c.context)
}

// startRefresh lists the inventory from the cloud; a newer refresh
// supersedes a running one.
func (m *Model) startRefresh() tea.Cmd {
	r := m.requests
	if r.refreshID != 0 {
		m.end(r.refreshID)
	}
	id := m.begin("refreshing inventory")
	r.refreshID, r.done, r.total = id, 0, 0
	r.refreshCh = make(chan tea.Msg, 16)
	return tea.Batch(refresh(m.ctx, m.backend, m.opts.Timeouts.Refresh, id, r.refreshCh), listen(r.refreshCh))
}

// looksProduction reports names like prod-web, eu-prod, production-db or
// prd-1, whose revocation needs the name typed.
func looksProduction(name string) bool {
	fields := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return r == '-' || r == '_' || r == '.' || r == ' ' || r == '/'
	})
	for _, f := range fields {
		switch f {
		case "prod", "production", "prd", "live":
			return true
		}
	}
	return false
}

// exportName is a safe default file name for an export.
func exportName(c *credItem) string {
	base := c.context
	if base == "" {
		base = c.cred.ID
	}
	var b strings.Builder
	for _, r := range base {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	return b.String() + ".kubeconfig"
}
