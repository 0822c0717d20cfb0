package ui

import (
	"slices"
	"strings"

	"ccecert/store"
	"ccecert/ui/sanitize"
)

// contextItem is one kubeconfig context prepared for display: inert text
// computed once per load, and the credential it maps to (nil when none),
// whose health the tick keeps current.
type contextItem struct {
	kc        store.KubeContext
	name      string // inert
	namespace string
	server    string
	user      string
	file      string // inert, ~ for home
	source    string // the credential's source, "ccecert" for one of ours with none, else "foreign"
	cred      *credItem
	filter    string // lowercased haystack
}

func newContextItem(kc store.KubeContext, creds map[string]*credItem, home string) *contextItem {
	it := &contextItem{
		kc:        kc,
		name:      sanitize.Line(kc.Name),
		namespace: sanitize.Line(kc.Namespace),
		server:    sanitize.Line(kc.Server),
		user:      sanitize.Line(kc.User),
		file:      sanitize.Line(tildePath(kc.File, home)),
		cred:      creds[kc.Credential],
	}
	switch {
	case it.cred != nil:
		it.source = string(it.cred.cred.Source)
	case kc.Ours:
		it.source = "ccecert"
	default:
		it.source = "foreign"
	}
	it.filter = strings.ToLower(strings.Join([]string{it.name, it.namespace, it.server, it.user, it.source}, " "))
	return it
}

// contextItems prepares a context list over the credentials on screen:
// each context is matched to its credential here, from the list the
// Credentials page shows (store.ContextList.MatchCredentials), so a
// reload of either needs no read of the other.
func contextItems(l store.ContextList, all []store.Credential, creds map[string]*credItem, home string) []*contextItem {
	l.Contexts = slices.Clone(l.Contexts)
	l.MatchCredentials(all)
	out := make([]*contextItem, len(l.Contexts))
	for i, kc := range l.Contexts {
		out[i] = newContextItem(kc, creds, home)
	}
	return out
}

// kubeContexts is what the Contexts page lists: the last list read, its
// items over the current dataset, and its request ids.
type kubeContexts struct {
	list    store.ContextList
	items   []*contextItem
	loaded  bool
	applied int // id of the list on screen
	// quitOnSwitch: opened by `ccecert use` with no name, the TUI quits
	// once a switch succeeds (kubectx-style).
	quitOnSwitch bool
}
