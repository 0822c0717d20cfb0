package ui

import (
	"context"
	"time"

	"ccecert/api"
	"ccecert/store"
	"ccecert/store/engine"
)

// Backend is everything the TUI needs from the engine. The TUI calls it only
// from tea.Cmds (never from Update or View), each call with a context that
// carries a timeout, so an implementation may block. Implementations must be
// safe for concurrent use: a refresh, a fetch and a renewal may overlap.
//
// Errors are shown to the operator as they are (made inert), so they should
// say what to do; they must never contain key material.
type Backend interface {
	// CachedTargets returns the inventory saved by the last refresh, from
	// the store, at once (no cloud call). FetchedAt is when it was fetched.
	CachedTargets(ctx context.Context) (Inventory, error)

	// Refresh lists the inventory from the cloud and saves it to the
	// store. progress, if not nil, is called (from any goroutine) as
	// regions complete. Partial failure is not an error: failing regions
	// are in Inventory.Errors; the error is for "nothing could be listed".
	Refresh(ctx context.Context, progress func(done, total int)) (Inventory, error)

	// Credentials returns the credentials to show: active ones and, for
	// history, revoked ones. (Replaced ones may be left out.)
	Credentials(ctx context.Context) ([]store.Credential, error)

	// VPCs lists the VPCs (with subnets) a fleet's federation connection
	// can use.
	VPCs(ctx context.Context, t api.Target) ([]engine.ProjectVPC, error)

	// Fetch issues a new credential, records it and writes its contexts.
	// The outcome's warnings are shown with the new credential (e.g. a
	// pre-v1.13 cluster chose the validity itself). An error after the
	// credential was stored (the kubeconfig could not be written) should
	// say so; the TUI reloads the credential list after any fetch.
	Fetch(ctx context.Context, req engine.FetchRequest) (FetchOutcome, error)

	// Renew issues a replacement for a credential with the same target,
	// validity, contexts, mode and kubeconfig, and marks the old one
	// replaced. The outcome's warnings are shown as Fetch's are.
	Renew(ctx context.Context, credID string) (FetchOutcome, error)

	// Revoke revokes a credential's user on its cluster (which revokes
	// every certificate of that user there) and returns the ids of the
	// credentials now marked revoked.
	Revoke(ctx context.Context, credID string) ([]string, error)

	// Export writes a standalone kubeconfig for one credential to path,
	// as the operator typed it (relative to the working directory).
	Export(ctx context.Context, credID, path string) error

	// UseContext sets current-context in a kubeconfig file.
	UseContext(ctx context.Context, kubeconfig, contextName string) error

	// Events returns the events log q selects, oldest first, as `ccecert
	// log` shows it. It reads the store only (no cloud call); the log
	// holds no secrets.
	Events(ctx context.Context, q store.EventQuery) ([]store.EventRecord, error)

	// Contexts lists every context of every $KUBECONFIG file, foreign ones
	// too, each matched to its stored credential where one is known.
	Contexts(ctx context.Context) (store.ContextList, error)

	// SwitchContext makes name kubectl's current context, writing it where
	// kubectl would; "-" is the context the last switch left.
	SwitchContext(ctx context.Context, name string) (store.SwitchResult, error)

	// SetNamespace sets a context's namespace in its own file ("" clears
	// it); foreign contexts too: the operator asked.
	SetNamespace(ctx context.Context, name, namespace string) error

	// DeleteContext removes a context ccecert wrote (with its cluster and
	// user when nothing else uses them); a foreign one is refused.
	DeleteContext(ctx context.Context, name string) (store.RemoveResult, error)

	// Changes says what other processes changed since the last call: the
	// store (a CLI get, a cron renew, the exec plugin's renewal) or the
	// kubeconfig files. The live TUI calls it about once a second, so it
	// must be cheap (no table read, no file read).
	Changes(ctx context.Context) (Changes, error)
}

// Changes is what changed outside the TUI since Backend.Changes was last
// called.
type Changes struct {
	Store       bool // the database: credentials, targets, events
	Kubeconfigs bool // a $KUBECONFIG file: its contexts, current-context
}

// Inventory is the targets the TUI lists.
type Inventory struct {
	Targets   []api.Target
	FetchedAt time.Time         // zero: never fetched
	Errors    []api.RegionError // regions that could not be listed
}

// FetchOutcome is what a fetch gave: the new credential and what the
// operator should know about it.
type FetchOutcome struct {
	Credential store.Credential
	Warnings   []string // plain sentences; shown as they are (made inert)
}
