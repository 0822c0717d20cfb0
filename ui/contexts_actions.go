package ui

import (
	"context"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"ccecert/store"
	"ccecert/ui/components/prompt"
	"ccecert/ui/sanitize"
)

// The Contexts page's messages.
type (
	// contextsMsg is the $KUBECONFIG context list.
	contextsMsg struct {
		id   int
		list store.ContextList
		err  error
	}
	// switchedMsg is the result of a switch; quit: the TUI ends after it.
	switchedMsg struct {
		id   int
		name string
		res  store.SwitchResult
		quit bool
		err  error
	}
	// namespacedMsg is the result of setting a namespace.
	namespacedMsg struct {
		id              int
		name, namespace string
		err             error
	}
	// ctxDeletedMsg is the result of deleting a context.
	ctxDeletedMsg struct {
		id   int
		name string
		res  store.RemoveResult
		err  error
	}
)

func loadContexts(parent context.Context, b Backend, d time.Duration, id int) tea.Cmd {
	return call(parent, d, func(ctx context.Context) tea.Msg {
		l, err := b.Contexts(ctx)
		return contextsMsg{id: id, list: l, err: err}
	}, func(err error) tea.Msg { return contextsMsg{id: id, err: err} })
}

func switchContext(parent context.Context, b Backend, d time.Duration, id int, name string, quit bool) tea.Cmd {
	return call(parent, d, func(ctx context.Context) tea.Msg {
		res, err := b.SwitchContext(ctx, name)
		return switchedMsg{id: id, name: name, res: res, quit: quit, err: err}
	}, func(err error) tea.Msg { return switchedMsg{id: id, name: name, err: err} })
}

func setNamespace(parent context.Context, b Backend, d time.Duration, id int, name, ns string) tea.Cmd {
	return call(parent, d, func(ctx context.Context) tea.Msg {
		return namespacedMsg{id: id, name: name, namespace: ns, err: b.SetNamespace(ctx, name, ns)}
	}, func(err error) tea.Msg { return namespacedMsg{id: id, name: name, namespace: ns, err: err} })
}

func deleteContext(parent context.Context, b Backend, d time.Duration, id int, name string) tea.Cmd {
	return call(parent, d, func(ctx context.Context) tea.Msg {
		res, err := b.DeleteContext(ctx, name)
		return ctxDeletedMsg{id: id, name: name, res: res, err: err}
	}, func(err error) tea.Msg { return ctxDeletedMsg{id: id, name: name, err: err} })
}

// reloadContexts asks the Backend for the context list again.
func (m *Model) reloadContexts() tea.Cmd {
	id := m.begin("loading contexts")
	return loadContexts(m.ctx, m.backend, m.opts.Timeouts.Load, id)
}

// selectedContext is the Contexts page's selection, or nil.
func (m Model) selectedContext() *contextItem {
	if m.active != pageContexts {
		return nil
	}
	if i := m.page().selected(); i >= 0 && i < len(m.kube.items) {
		return m.kube.items[i]
	}
	return nil
}

// currentContextText is kubectl's current context for the header.
func (m Model) currentContextText() string {
	if m.kube == nil || !m.kube.loaded {
		return ""
	}
	if m.kube.list.Current == "" {
		return "(none)"
	}
	return sanitize.Line(m.kube.list.Current)
}

// syncContextKeys enables the Contexts page's keys there, and there turns
// off the keys that act on a target or name a credential's own context.
func (m *Model) syncContextKeys() {
	k := &m.widgets.keys
	on := m.active == pageContexts
	it := m.selectedContext()
	k.Switch.SetEnabled(on && it != nil)
	k.SwitchQuit.SetEnabled(on && it != nil)
	k.Back.SetEnabled(on)
	k.Namespace.SetEnabled(on && it != nil)
	k.Delete.SetEnabled(on && it != nil) // on a foreign context it says why not
	if on {
		k.Fetch.SetEnabled(false)
		k.Use.SetEnabled(false)
	}
}

// contextKey handles the Contexts page's keys; ok reports whether k was
// one. A key that cannot act says why.
func (m *Model) contextKey(k tea.KeyMsg) (tea.Cmd, bool) {
	if m.active != pageContexts {
		return nil, false
	}
	km := m.widgets.keys
	it := m.selectedContext()
	switch {
	case key.Matches(k, km.Back):
		return m.startSwitch("-", "the previous context", m.kube.quitOnSwitch), true
	case !key.Matches(k, km.Switch, km.SwitchQuit, km.Namespace, km.Delete):
		return nil, false
	case it == nil:
		m.status = status{text: "no context selected", plain: true}
		return nil, true
	case key.Matches(k, km.Switch):
		return m.startSwitch(it.kc.Name, it.name, m.kube.quitOnSwitch), true
	case key.Matches(k, km.SwitchQuit):
		return m.startSwitch(it.kc.Name, it.name, true), true
	case key.Matches(k, km.Namespace):
		m.askNamespace(it)
		return nil, true
	}
	m.askDeleteContext(it)
	return nil, true
}

// startSwitch makes name current; quit ends the TUI once it succeeded.
func (m *Model) startSwitch(name, shown string, quit bool) tea.Cmd {
	if name == m.kube.list.Current && !quit {
		m.succeed("", shown+" is already the current context")
		return nil
	}
	id := m.begin("switching to " + shown)
	return switchContext(m.ctx, m.backend, m.opts.Timeouts.Action, id, name, quit)
}

func (m *Model) askNamespace(it *contextItem) {
	hint := "Set in " + it.file + "; empty clears it."
	if !it.kc.Ours {
		hint = "A context ccecert did not write: only its namespace is changed, in " + it.file + "."
	}
	m.pending = pendingAction{kind: pendingNamespace, kctx: it.kc.Name}
	m.widgets.prompt = prompt.New("Namespace of "+it.name, hint, it.kc.Namespace, m.styles)
	m.widgets.prompt.SetWidth(m.width - 4)
	m.dialog = dialogPrompt
}

// askDeleteContext confirms deleting a context ccecert wrote; a foreign
// one is refused with the reason.
func (m *Model) askDeleteContext(it *contextItem) {
	if !it.kc.Ours {
		m.status = status{text: sanitize.Line("delete: " + it.kc.Name + " was not written by ccecert, which never deletes a foreign context — use kubectl config delete-context"), err: true}
		return
	}
	lines := []string{
		"Context " + it.name + " in " + it.file + ",",
		"with its cluster and user entries when no other context uses them.",
		"The credential stays stored; a renewal writes it again.",
	}
	m.pending = pendingAction{kind: pendingDeleteContext, kctx: it.kc.Name}
	m.openConfirm("Delete context "+it.name+"?", lines, "")
}

// runContextPending runs a confirmed Contexts page action.
func (m *Model) runContextPending(p pendingAction) tea.Cmd {
	shown := sanitize.Line(p.kctx)
	if p.kind == pendingNamespace {
		id := m.begin("setting the namespace of " + shown)
		return setNamespace(m.ctx, m.backend, m.opts.Timeouts.Action, id, p.kctx, p.path)
	}
	id := m.begin("deleting " + shown)
	return deleteContext(m.ctx, m.backend, m.opts.Timeouts.Action, id, p.kctx)
}

// onContextsMsg applies the Contexts page's results and the live
// watcher's news.
func (m *Model) onContextsMsg(msg tea.Msg) tea.Cmd {
	switch msg := msg.(type) {
	case contextsMsg:
		m.onContexts(msg)
	case switchedMsg:
		return m.onSwitched(msg)
	case namespacedMsg:
		m.end(msg.id)
		if msg.err != nil {
			m.fail("", "namespace of "+msg.name, msg.err)
			return nil
		}
		ns := msg.namespace
		if ns == "" {
			ns = "(none)"
		}
		m.succeed("", "namespace of "+msg.name+" is now "+ns)
		return m.reloadContexts()
	case ctxDeletedMsg:
		m.end(msg.id)
		if msg.err != nil {
			m.fail("", "delete "+msg.name, msg.err)
			return nil
		}
		text := "deleted context " + msg.name
		if msg.res.ClearedCurrent != "" {
			text += " (it was current: no context is current now)"
		}
		m.succeed("", text)
		return m.reloadContexts()
	case liveMsg:
		return m.onLive(msg)
	}
	return nil
}

func (m *Model) onContexts(msg contextsMsg) {
	m.end(msg.id)
	if msg.id < m.kube.applied {
		return
	}
	if msg.err != nil {
		m.fail("", "read kubeconfig contexts", msg.err)
		return
	}
	m.kube.applied, m.kube.loaded, m.kube.list = msg.id, true, msg.list
	m.kube.items = contextItems(msg.list, m.creds, m.data.byID, m.opts.Home)
	m.pages[pageContexts].setSource(contextsPage{items: m.kube.items})
	if len(msg.list.Problems) > 0 {
		m.status = status{text: sanitize.Line("kubeconfig: " + strings.Join(msg.list.Problems, "; ")), warn: true}
	}
}

func (m *Model) onSwitched(msg switchedMsg) tea.Cmd {
	m.end(msg.id)
	if msg.err != nil {
		m.fail("", "switch to "+msg.name, msg.err)
		return nil
	}
	name := msg.name
	if name == "-" {
		name = "the previous context"
	}
	text := "switched to " + name
	if msg.res.Previous != "" {
		text += " (from " + msg.res.Previous + "; - goes back)"
	}
	m.succeed("", text)
	if notices := msg.res.Notices; len(notices) > 0 {
		m.status.text += " — " + sanitize.Line(strings.Join(notices, "; "))
		m.status.warn = true
	}
	if msg.quit {
		return tea.Quit
	}
	return m.reloadContexts()
}

// contextDetail describes a context: where it is, what it points at, whose
// it is, and its credential (the line that reads the clock).
func (m Model) contextDetail(it *contextItem) (lines []string, clock int) {
	whose := "foreign: ccecert never deletes it; n sets its namespace"
	if it.kc.Ours {
		whose = "written by ccecert: d deletes it"
	}
	title := m.styles.DialogTitle.Render(it.name)
	if it.kc.Current {
		title += m.styles.Muted.Render(" · current")
	}
	ns := it.namespace
	if ns == "" {
		ns = "(none: default)"
	}
	lines = []string{title, m.field("file", it.file), m.field("server", it.server), m.field("user", it.user), m.field("namespace", ns)}
	clock = -1
	if _, v, ok := m.contextClockField(); ok {
		clock = len(lines)
		lines = append(lines, m.field(certField, v))
	}
	return append(lines, m.styles.Muted.Render(whose)), clock
}

// contextClockField is the selected context's credential line, if it has
// a credential.
func (m Model) contextClockField() (name, value string, ok bool) {
	it := m.selectedContext()
	if it == nil || it.cred == nil {
		return "", "", false
	}
	c := it.cred
	return certField, certCell(c, m.now) + " · " + c.cred.ID + " · " + string(c.cred.Source), true
}
