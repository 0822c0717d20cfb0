package ui

import (
	"time"

	"github.com/charmbracelet/lipgloss"

	"ccecert/store"
)

// Options configure the TUI. The zero value works; Now defaults to
// time.Now.
type Options struct {
	Now            func() time.Time // the clock; injected so tests are exact
	Location       *time.Location   // for "expires" times; nil = time.Local
	Demo           bool             // marks the header [DEMO]
	Account        string           // shown in the header (account / domain)
	Profile        string           // the current profile, shown in the header; empty: none shown
	Regions        string           // shown in the header ("all", "cn-north-4,+2")
	Thresholds     store.Thresholds // zero = store.DefaultThresholds()
	StaleAfter     time.Duration    // cached inventory is stale after this; 0 = 10m
	KubeconfigPath string           // default file in the fetch dialog
	Home           string           // the operator's home: paths under it show as ~; empty = in full
	Mode           store.Mode       // default write mode; empty = inline
	NoColor        bool             // no colours at all (NO_COLOR is honoured anyway)
	Renderer       *lipgloss.Renderer
	// Clipboard copies text for `y`; nil = OSC 52 through the terminal.
	Clipboard func(text string) error
	// Timeouts per kind of call; zero fields take the defaults.
	Timeouts Timeouts
	// RenewConcurrency bounds renewals in flight for `R`; 0 = 4.
	RenewConcurrency int
	// NoRefreshOnStart skips the background refresh after the cached
	// inventory is shown (tests, offline use).
	NoRefreshOnStart bool
	// Live is how often the TUI asks Backend.Changes whether another
	// process changed the store or a kubeconfig file (then it reloads);
	// 0 = never (tests step it by hand).
	Live time.Duration
	// PickContext opens the TUI on the Contexts page, and quits once a
	// switch there succeeds (`ccecert use` without a name, kubectx-style).
	PickContext bool
	// NoKeys is why no cloud call can work (no access key), in full; set,
	// the TUI starts no refresh, and with nothing cached or on file shows
	// how to add keys instead of empty tables.
	NoKeys string
}

// Timeouts bound each kind of Backend call.
type Timeouts struct {
	Load    time.Duration // cached targets, credentials; default 10s
	Refresh time.Duration // whole inventory; default 2m
	Action  time.Duration // fetch, renew, revoke, export, use, VPCs; default 1m
}

func (o Options) withDefaults() Options {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Location == nil {
		o.Location = time.Local
	}
	if o.Thresholds == (store.Thresholds{}) {
		o.Thresholds = store.DefaultThresholds()
	}
	if o.StaleAfter <= 0 {
		o.StaleAfter = 10 * time.Minute
	}
	if o.Mode == "" {
		o.Mode = store.ModeInline
	}
	if o.Timeouts.Load <= 0 {
		o.Timeouts.Load = 10 * time.Second
	}
	if o.Timeouts.Refresh <= 0 {
		o.Timeouts.Refresh = 2 * time.Minute
	}
	if o.Timeouts.Action <= 0 {
		o.Timeouts.Action = time.Minute
	}
	if o.RenewConcurrency <= 0 {
		o.RenewConcurrency = 4
	}
	return o
}
