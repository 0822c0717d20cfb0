package ui

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"ccecert/api"
	"ccecert/store"
	"ccecert/store/engine"
)

// Commands are verbs. Each takes what it needs by value, runs the Backend
// call under a timeout and turns a panic into an error message, so neither
// a slow cloud nor a bug in the engine can freeze or kill the TUI.

// call runs fn under a timeout derived from parent; fail builds the message
// for a panic.
func call(parent context.Context, timeout time.Duration, fn func(ctx context.Context) tea.Msg, fail func(error) tea.Msg) tea.Cmd {
	return func() (msg tea.Msg) {
		ctx, cancel := context.WithTimeout(parent, timeout)
		defer cancel()
		defer func() {
			if r := recover(); r != nil {
				msg = fail(fmt.Errorf("internal error: %v — please report it", r))
			}
		}()
		return fn(ctx)
	}
}

// tick asks for chain gen's tickMsg at the instant at (at once if past).
func tick(gen int, at time.Time) tea.Cmd {
	return tea.Tick(time.Until(at), func(time.Time) tea.Msg { return tickMsg{gen: gen} })
}

func loadCached(parent context.Context, b Backend, d time.Duration, id int) tea.Cmd {
	return call(parent, d, func(ctx context.Context) tea.Msg {
		inv, err := b.CachedTargets(ctx)
		return inventoryMsg{id: id, inv: inv, err: err}
	}, func(err error) tea.Msg { return inventoryMsg{id: id, err: err} })
}

func loadCredentials(parent context.Context, b Backend, d time.Duration, id int) tea.Cmd {
	return call(parent, d, func(ctx context.Context) tea.Msg {
		creds, err := b.Credentials(ctx)
		return credentialsMsg{id: id, creds: creds, err: err}
	}, func(err error) tea.Msg { return credentialsMsg{id: id, err: err} })
}

// refresh lists the inventory; progress goes to ch, which is closed when
// the refresh ends, so listen stops too. A progress call that comes after
// Refresh returned (a straggling engine goroutine) is ignored.
func refresh(parent context.Context, b Backend, d time.Duration, id int, ch chan<- tea.Msg) tea.Cmd {
	return call(parent, d, func(ctx context.Context) tea.Msg {
		var mu sync.Mutex
		closed := false
		defer func() {
			mu.Lock()
			closed = true
			close(ch)
			mu.Unlock()
		}()
		inv, err := b.Refresh(ctx, func(done, total int) {
			mu.Lock()
			defer mu.Unlock()
			if closed {
				return
			}
			select { // progress is advisory: never block the engine on it
			case ch <- refreshProgressMsg{id: id, done: done, total: total}:
			default:
			}
		})
		return inventoryMsg{id: id, inv: inv, err: err, refresh: true}
	}, func(err error) tea.Msg { return inventoryMsg{id: id, err: err, refresh: true} })
}

// listen waits for the next progress message; nil once ch is closed.
func listen(ch <-chan tea.Msg) tea.Cmd {
	return func() tea.Msg {
		msg, ok := <-ch
		if !ok {
			return nil
		}
		return msg
	}
}

func loadVPCs(parent context.Context, b Backend, d time.Duration, id int, t api.Target) tea.Cmd {
	return call(parent, d, func(ctx context.Context) tea.Msg {
		vpcs, err := b.VPCs(ctx, t)
		return vpcsMsg{id: id, vpcs: vpcs, err: err}
	}, func(err error) tea.Msg { return vpcsMsg{id: id, err: err} })
}

func fetchCred(parent context.Context, b Backend, d time.Duration, id int, req engine.FetchRequest) tea.Cmd {
	return call(parent, d, func(ctx context.Context) tea.Msg {
		out, err := b.Fetch(ctx, req)
		return fetchedMsg{id: id, target: req.Target, out: out, err: err}
	}, func(err error) tea.Msg { return fetchedMsg{id: id, target: req.Target, err: err} })
}

func renewCred(parent context.Context, b Backend, d time.Duration, id, batch int, credID string) tea.Cmd {
	return call(parent, d, func(ctx context.Context) tea.Msg {
		out, err := b.Renew(ctx, credID)
		return renewedMsg{id: id, batch: batch, oldID: credID, cred: out.Credential, warnings: out.Warnings, err: err}
	}, func(err error) tea.Msg { return renewedMsg{id: id, batch: batch, oldID: credID, err: err} })
}

func revokeCred(parent context.Context, b Backend, d time.Duration, id int, credID string) tea.Cmd {
	return call(parent, d, func(ctx context.Context) tea.Msg {
		ids, err := b.Revoke(ctx, credID)
		return revokedMsg{id: id, credID: credID, ids: ids, err: err}
	}, func(err error) tea.Msg { return revokedMsg{id: id, credID: credID, err: err} })
}

func exportCred(parent context.Context, b Backend, d time.Duration, id int, credID, path string) tea.Cmd {
	return call(parent, d, func(ctx context.Context) tea.Msg {
		return exportedMsg{id: id, credID: credID, path: path, err: b.Export(ctx, credID, path)}
	}, func(err error) tea.Msg { return exportedMsg{id: id, credID: credID, path: path, err: err} })
}

func useContext(parent context.Context, b Backend, d time.Duration, id int, credID, kubeconfig, name string) tea.Cmd {
	return call(parent, d, func(ctx context.Context) tea.Msg {
		return usedMsg{id: id, credID: credID, context: name, err: b.UseContext(ctx, kubeconfig, name)}
	}, func(err error) tea.Msg { return usedMsg{id: id, credID: credID, context: name, err: err} })
}

func loadEvents(parent context.Context, b Backend, d time.Duration, id int, q store.EventQuery) tea.Cmd {
	return call(parent, d, func(ctx context.Context) tea.Msg {
		recs, err := b.Events(ctx, q)
		return eventsMsg{id: id, recs: recs, err: err}
	}, func(err error) tea.Msg { return eventsMsg{id: id, err: err} })
}

// copyText copies with clip, or with OSC 52 through the terminal.
func copyText(parent context.Context, clip func(string) error, id int, text string) tea.Cmd {
	return call(parent, 5*time.Second, func(context.Context) tea.Msg {
		if clip == nil {
			clip = osc52Copy
		}
		return copiedMsg{id: id, text: text, err: clip(text)}
	}, func(err error) tea.Msg { return copiedMsg{id: id, text: text, err: err} })
}

// osc52Copy asks the terminal to set the clipboard (OSC 52); it works over
// SSH and in most terminals, and silently does nothing in the others.
func osc52Copy(text string) error {
	termenv.NewOutput(os.Stdout).Copy(text)
	return nil
}
