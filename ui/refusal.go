package ui

import (
	"slices"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"ccecert/api"
	"ccecert/store"
)

// A key whose binding cannot act now (syncKeys disabled it) never matches,
// so it would do nothing, silently. refuse says why instead, in the status
// line: what the key is for, why not now, and what to do.

// refuse answers a key that matched no enabled binding, and reports
// whether it was one of the action keys.
func (m *Model) refuse(k tea.KeyMsg) bool {
	why := m.refusal(k)
	if why == "" {
		return false
	}
	m.status = status{text: why, warn: true, why: true}
	return true
}

// refusal is why the action key k cannot act now; "" for a key that is no
// action's.
func (m Model) refusal(k tea.KeyMsg) string {
	km := m.widgets.keys
	c, t := m.selectedCred(), m.selectedTarget()
	switch {
	case bound(k, km.Fetch):
		return m.whyNotFetch(t)
	case bound(k, km.Renew):
		return m.whyNotCred("renew", c, whyNotRenew)
	case bound(k, km.RenewAll):
		return "renew: nothing is due — no credential is in warning or worse; r renews the selected one"
	case bound(k, km.Revoke):
		return m.whyNotCred("revoke", c, whyNotRevoke)
	case bound(k, km.Export):
		return m.whyNotCred("export", c, whyNotExport)
	case bound(k, km.Use):
		return m.whyNotCred("use context", c, whyNotUse)
	case bound(k, km.Copy):
		return m.whyNotCred("copy", c, func(*credItem) string { return "the credential wrote no context" })
	case bound(k, km.Events):
		if m.active != pageCredentials {
			return "log: the log is a credential's — 3 opens the Credentials page"
		}
		return m.nothingSelected("log")
	case k.Type == tea.KeyRunes && !m.anyBinding(k):
		return k.String() + ": no such key here — ? lists the keys"
	}
	return ""
}

// anyBinding reports whether k is any binding's key, enabled or not (the
// navigation keys of a page of one row, esc with nothing to close).
func (m Model) anyBinding(k tea.KeyMsg) bool {
	for _, col := range m.widgets.keys.FullHelp() {
		for _, b := range col {
			if bound(k, b) {
				return true
			}
		}
	}
	return false
}

// bound reports whether k is one of b's keys, enabled or not.
func bound(k tea.KeyMsg, b key.Binding) bool {
	return slices.Contains(b.Keys(), k.String())
}

// nothingSelected says there is no row to act on, and how to get some.
func (m Model) nothingSelected(what string) string {
	shown, total := m.page().counts()
	switch {
	case shown == 0 && total > 0:
		return what + ": nothing matches the filter — esc clears it"
	case m.firstRun():
		return what + ": nothing to act on without an access key — see above"
	case total == 0 && m.opts.NoKeys != "":
		return what + ": nothing listed, and no access key to list with — `ccecert configure`"
	case total == 0 && m.active == pageCredentials:
		return what + ": no credentials yet — pick a cluster (1) and press enter to fetch one"
	case total == 0:
		return what + ": nothing listed yet — ctrl+r lists the clusters and fleets from the cloud"
	}
	return what + ": nothing selected"
}

func (m Model) whyNotFetch(t *targetItem) string {
	if t != nil {
		return ""
	}
	if c := m.selectedCred(); c != nil {
		return "fetch: " + c.target + " is not in the inventory (" + string(c.cred.Source) + ") — ctrl+r lists the clusters; fetch from the Clusters page (1)"
	}
	return m.nothingSelected("fetch")
}

// whyNotCred is why action cannot act on c: nothing selected, no
// credential for the selected target, or what why says of c.
func (m Model) whyNotCred(action string, c *credItem, why func(*credItem) string) string {
	if c == nil {
		if t := m.selectedTarget(); t != nil && m.active != pageCredentials {
			return action + ": " + t.name + " has no credential — enter fetches one"
		}
		return m.nothingSelected(action)
	}
	if r := why(c); r != "" {
		return action + ": " + r
	}
	return action + ": not possible for " + c.cred.ID
}

func whyNotRenew(c *credItem) string {
	switch {
	case c.cred.Revoked():
		return "the credential was revoked — enter fetches a new one"
	case c.cred.Target.ID == "":
		return "the credential is not tied to a known cluster (" + string(c.cred.Source) + ") — ctrl+r, then import it again"
	}
	return ""
}

func whyNotRevoke(c *credItem) string {
	switch {
	case c.cred.Revoked():
		return "the credential is already revoked"
	case c.cred.Target.Kind == api.KindFleet:
		return "fleet certificates cannot be revoked through the UCS API — delete the federation connection in the UCS console"
	case c.cred.Subject == "":
		return "a token has no certificate subject to revoke — it ends at its expiry"
	case c.cred.Target.ID == "":
		return "the credential is not tied to a known cluster (" + string(c.cred.Source) + ") — ctrl+r, then import it again"
	}
	return ""
}

func whyNotExport(c *credItem) string {
	switch {
	case c.cred.Revoked():
		return "the credential was revoked — a kubeconfig with it would not work"
	case !c.cred.HasKey:
		return "ccecert holds no key for this credential (" + string(c.cred.Source) + ") — fetch one (enter) to export it"
	case c.health == store.HealthExpired:
		return "the credential has expired — renew it first (r)"
	}
	return ""
}

func whyNotUse(c *credItem) string {
	switch {
	case c.cred.Revoked():
		return "the credential was revoked — its contexts were removed"
	case c.context == "":
		return "the credential wrote no context"
	}
	return ""
}
