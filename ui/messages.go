package ui

import (
	"ccecert/api"
	"ccecert/store"
	"ccecert/store/engine"
)

// Messages are nouns. Each result carries the id of the request that asked
// for it, so a late answer never overwrites newer state.

// tickMsg drives every countdown, once a second. gen tells the live tick
// chain from a stale one.
type tickMsg struct{ gen int }

// inventoryMsg is the inventory, from the cache or a refresh.
type inventoryMsg struct {
	id      int
	inv     Inventory
	err     error
	refresh bool // from the cloud, not the cache
}

// refreshProgressMsg reports regions listed so far.
type refreshProgressMsg struct {
	id          int
	done, total int
}

// credentialsMsg is the credential list.
type credentialsMsg struct {
	id    int
	creds []store.Credential
	err   error
}

// vpcsMsg is the VPC list for the fetch dialog that asked.
type vpcsMsg struct {
	id   int
	vpcs []engine.ProjectVPC
	err  error
}

// fetchedMsg is the result of a fetch.
type fetchedMsg struct {
	id     int
	target api.Target
	out    FetchOutcome
	err    error
}

// renewedMsg is the result of one renewal; batch is the bulk renewal it
// belongs to (0 = a single one).
type renewedMsg struct {
	id       int
	batch    int
	oldID    string
	cred     store.Credential
	warnings []string // the engine's, about the new credential
	err      error
}

// revokedMsg is the result of a revocation.
type revokedMsg struct {
	id     int
	credID string
	ids    []string
	err    error
}

// exportedMsg is the result of an export.
type exportedMsg struct {
	id     int
	credID string
	path   string
	err    error
}

// usedMsg is the result of setting current-context.
type usedMsg struct {
	id      int
	credID  string
	context string
	err     error
}

// eventsMsg is the events log for the events dialog that asked.
type eventsMsg struct {
	id   int
	recs []store.EventRecord
	err  error
}

// copiedMsg is the result of copying to the clipboard.
type copiedMsg struct {
	id   int
	text string
	err  error
}
