package ui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
)

// contextsModel is a model over f on the Contexts page.
func contextsModel(t *testing.T, f *fakeBackend) Model {
	t.Helper()
	clock := testNow
	return press(t, loaded(t, f, &clock, 120, 30), "4")
}

// quits runs cmd as drive does and reports whether the program quit.
func quits(t *testing.T, m Model, cmd tea.Cmd) bool {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0 && steps < 1000; steps++ {
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		switch msg := c().(type) {
		case tea.QuitMsg:
			return true
		case tea.BatchMsg:
			queue = append(queue, msg...)
		case nil, tickMsg, spinner.TickMsg:
		default:
			var next tea.Cmd
			m, next = update(m, msg)
			queue = append(queue, next)
		}
	}
	return false
}

func called(f *fakeBackend, call string) bool { return slices.Contains(f.Calls(), call) }

func TestContextsSwitchAndBack(t *testing.T) {
	f := newFake()
	m := contextsModel(t, f)
	if !strings.Contains(screen(m), "ctx prod-web-internal") || !strings.Contains(screen(m), "> * prod-web-internal") {
		t.Fatalf("the current context is not marked first and in the header:\n%s", screen(m))
	}
	m = press(t, m, "down", "enter") // kind-kind
	if !called(f, "SwitchContext kind-kind") || !strings.Contains(screen(m), "ctx kind-kind") || !strings.Contains(screen(m), "switched to kind-kind") {
		t.Fatalf("enter did not switch (calls %v):\n%s", f.Calls(), screen(m))
	}
	m = press(t, m, "-")
	if !called(f, "SwitchContext -") || !strings.Contains(screen(m), "ctx prod-web-internal") {
		t.Fatalf("- did not go back (calls %v):\n%s", f.Calls(), screen(m))
	}
	m = press(t, m, "g", "u")
	if !strings.Contains(m.status.text, "already the current context") {
		t.Fatalf("u on the current context: %q", m.status.text)
	}
}

func TestContextsSwitchAndQuit(t *testing.T) {
	f := newFake()
	m := contextsModel(t, f)
	m = press(t, m, "down")
	_, cmd := update(m, keyMsg("U"))
	if !quits(t, m, cmd) || !called(f, "SwitchContext kind-kind") {
		t.Fatalf("U did not switch and quit: calls %v", f.Calls())
	}
}

func TestContextsPickerQuitsOnEnter(t *testing.T) {
	f := newFake()
	clock := testNow
	o := testOptions(&clock)
	o.PickContext = true
	m := New(f, o)
	m.ticker = noTick
	m, _ = update(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	m = drive(t, m, m.Init())
	if m.active != pageContexts {
		t.Fatalf("the picker opened on page %d", m.active)
	}
	m = press(t, m, "down")
	_, cmd := update(m, keyMsg("enter"))
	if !quits(t, m, cmd) {
		t.Fatal("the picker did not quit after the switch")
	}
}

func TestContextsNamespace(t *testing.T) {
	f := newFake()
	m := press(t, contextsModel(t, f), "down", "n")
	if m.dialog != dialogPrompt || !strings.Contains(screen(m), "only its namespace is changed") {
		t.Fatalf("n on a foreign context:\n%s", screen(m))
	}
	m = typeText(t, m, "team-a")
	m = press(t, m, "enter")
	if !called(f, "SetNamespace kind-kind team-a") || !strings.Contains(screen(m), "team-a") {
		t.Fatalf("namespace not set (calls %v):\n%s", f.Calls(), screen(m))
	}
}

func TestContextsDeleteOnlyOurs(t *testing.T) {
	f := newFake()
	m := press(t, contextsModel(t, f), "down", "d") // kind-kind: foreign
	if m.dialog != dialogNone || !m.status.err || !strings.Contains(m.status.text, "never deletes a foreign") {
		t.Fatalf("d on a foreign context: dialog %d, status %q", m.dialog, m.status.text)
	}
	m = press(t, m, "down", "down", "d") // orphan-internal: ccecert's
	if m.dialog != dialogConfirm {
		t.Fatalf("d on ccecert's context asks nothing:\n%s", screen(m))
	}
	m = press(t, m, "y")
	if _, still := m.kube.list.Find("orphan-internal"); !called(f, "DeleteContext orphan-internal") || still {
		t.Fatalf("not deleted (calls %v):\n%s", f.Calls(), screen(m))
	}
	for _, c := range f.Calls() {
		if c == "DeleteContext kind-kind" {
			t.Fatal("a foreign context reached the backend's delete")
		}
	}
}

// The reported bug: another shell's gets never showed, even after ctrl+r,
// which listed the cloud's inventory but never read the credentials again.
func TestRefreshKeyReadsCredentialsAgain(t *testing.T) {
	f := newFake()
	want := f.creds
	f.creds = nil
	clock := testNow
	m := press(t, loaded(t, f, &clock, 120, 30), "3")
	if !strings.Contains(screen(m), "no credentials yet") {
		t.Fatalf("not empty at first:\n%s", screen(m))
	}
	f.mu.Lock()
	f.creds = want // another process ran `ccecert get`
	f.mu.Unlock()
	m = press(t, m, "ctrl+r")
	if strings.Contains(screen(m), "no credentials yet") || !strings.Contains(screen(m), "prod-web") {
		t.Fatalf("ctrl+r left the credentials stale:\n%s", screen(m))
	}
}

func TestLiveReloadsWhatChanged(t *testing.T) {
	f := newFake()
	f.kube.changes = Changes{Store: true}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	msg, ok := watch(ctx, f, time.Millisecond)().(liveMsg)
	if !ok || !msg.changes.Store {
		t.Fatalf("the watcher did not report the store's change: %#v", msg)
	}
	m := contextsModel(t, f)
	loads, creds := f.kube.loads, strings.Count(strings.Join(f.Calls(), " "), "Credentials")
	m = drive(t, m, func() tea.Msg { return msg })
	if f.kube.loads != loads+1 || strings.Count(strings.Join(f.Calls(), " "), "Credentials") != creds+1 {
		t.Fatalf("a store change reloaded contexts %d→%d times", loads, f.kube.loads)
	}
	m = drive(t, m, func() tea.Msg { return liveMsg{changes: Changes{Kubeconfigs: true}} })
	if f.kube.loads != loads+2 || strings.Count(strings.Join(f.Calls(), " "), "Credentials") != creds+1 {
		t.Fatal("a kubeconfig change did not reload the contexts alone")
	}
	cancel()
	if msg := watch(ctx, f, time.Millisecond)(); msg != nil {
		t.Fatalf("the watcher outlived the TUI: %#v", msg)
	}
	_ = m
}
