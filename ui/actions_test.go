package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"ccecert/api"
	"ccecert/store"
)

// rowOf returns the screen line that contains text.
func TestCustomDurationValidatedInline(t *testing.T) {
	clock := testNow
	f := newFake()
	m := loaded(t, f, &clock, 100, 30)
	m = press(t, m, "/")
	m = typeText(t, m, "prod-web")
	m = press(t, m, "enter", "f")
	if m.dialog != dialogFetch {
		t.Fatal("enter/f did not open the fetch dialog")
	}
	m = press(t, m, "right", "right", "right", "right") // 30d → 90d → 1y → 5y → custom
	m = press(t, m, "tab")
	max := api.MaxDays(testNow)
	for _, bad := range []string{"0", "1828"} {
		m = typeText(t, m, bad)
		v := screen(m)
		if !strings.Contains(v, "✗ duration "+bad+" days is out of range: use 1..") { // api's one rule, worded once
			t.Fatalf("custom %s not refused inline:\n%s", bad, v)
		}
		m = press(t, m, "enter")
		if m.dialog != dialogFetch || len(f.fetches) != 0 {
			t.Fatalf("custom %s was submitted", bad)
		}
		for range bad {
			m = press(t, m, "backspace")
		}
	}
	m = typeText(t, m, "1826")
	if max < 1826 {
		t.Fatalf("MaxDays = %d", max)
	}
	if v := screen(m); !strings.Contains(v, "✓ expires 2031-03-01") {
		t.Fatalf("1826 days not accepted:\n%s", v)
	}
	m = press(t, m, "enter")
	if len(f.fetches) != 1 || f.fetches[0].Validity != api.Days(1826) {
		t.Fatalf("fetches: %+v", f.fetches)
	}
}

func TestFetchSelectsNewCredential(t *testing.T) {
	clock := testNow
	f := newFake()
	m := loaded(t, f, &clock, 120, 30)
	m = press(t, m, "/")
	m = typeText(t, m, "prod-web")
	m = press(t, m, "enter", "enter") // open; contexts: external, the engine's default with an EIP
	m = press(t, m, "enter")
	if len(f.fetches) != 1 {
		t.Fatalf("fetch not called: %v", f.Calls())
	}
	req := f.fetches[0]
	if req.Target.ID != "c-web" || !slices.Equal(req.Roles, []api.ContextRole{api.RoleExternal}) || req.Validity != api.Days(30) || !req.Use || req.Kubeconfig != "/home/op/.kube/config" {
		t.Fatalf("request: %+v", req)
	}
	if m.active != pageCredentials {
		t.Fatal("not on the Credentials page after fetching")
	}
	if c := m.selectedCred(); c == nil || c.cred.ID != "f1e2d3c4" {
		t.Fatalf("new credential not selected: %+v", c)
	}
	v := screen(m)
	if !strings.Contains(v, "context prod-web-internal") || !strings.Contains(v, "30d 0h") {
		t.Fatalf("status/countdown of the new credential missing:\n%s", v)
	}
	m = tickAt(t, m, &clock, testNow.Add(time.Hour))
	if !strings.Contains(rowOf(t, screen(m), "> prod-web"), "29d 23h") {
		t.Fatal("the new credential's countdown does not run")
	}
}

func TestFetchDialogDisabledWithReasons(t *testing.T) {
	clock := testNow
	m := loaded(t, newFake(), &clock, 120, 30)
	m = press(t, m, "/")
	m = typeText(t, m, "sleepy")
	m = press(t, m, "enter", "f")
	if v := screen(m); !strings.Contains(v, "hibernating") || !strings.Contains(v, "Cannot fetch") {
		t.Fatalf("hibernated cluster dialog:\n%s", v)
	}
	m = press(t, m, "enter")
	if m.dialog != dialogFetch {
		t.Fatal("a disabled dialog submitted")
	}
	m = press(t, m, "esc", "esc", "/")
	m = typeText(t, m, "legacy")
	m = press(t, m, "enter", "f")
	if v := screen(m); !strings.Contains(v, "fixed") || !strings.Contains(v, "predates v1.13") {
		t.Fatalf("legacy cluster dialog:\n%s", v)
	}
}

func TestRevokeProductionNeedsTypedName(t *testing.T) {
	clock := testNow
	f := newFake()
	m := press(t, loaded(t, f, &clock, 120, 30), "/")
	m = typeText(t, m, "prod-web")
	m = press(t, m, "enter", "x")
	if m.dialog != dialogConfirm || !strings.Contains(screen(m), "Type prod-web to confirm") {
		t.Fatalf("no typed confirmation:\n%s", screen(m))
	}
	m = press(t, m, "y", "enter")
	if m.dialog != dialogConfirm || len(f.Calls()) != 2 {
		t.Fatalf("revoked without the typed name: %v", f.Calls())
	}
	m = press(t, m, "backspace")
	m = typeText(t, m, "prod-web")
	m = press(t, m, "enter")
	calls := f.Calls()
	if calls[len(calls)-2] != "Revoke" {
		t.Fatalf("calls: %v", calls)
	}
	if c := m.data.byID["a1b2c3d4"]; c.health != store.HealthRevoked {
		t.Fatalf("not marked revoked: %v", c.health)
	}
	// A non-production name needs only y.
	if looksProduction("staging-auto") || !looksProduction("eu-prod-1") || !looksProduction("production_db") {
		t.Fatal("looksProduction")
	}
}

func TestRenewAllShowsProgress(t *testing.T) {
	clock := testNow
	f := newFake()
	m := loaded(t, f, &clock, 120, 30)
	m = press(t, m, "R")
	if m.dialog != dialogConfirm || !strings.Contains(screen(m), "Renew 3 credentials?") {
		t.Fatalf("no confirmation:\n%s", screen(m))
	}
	m, cmd := update(m, keyMsg("y"))
	if got := ansi.Strip(rowOf(t, m.View(), "renewing")); !strings.Contains(got, "renewing 0/3") {
		t.Fatalf("progress: %q", got)
	}
	m = drive(t, m, cmd)
	if n := strings.Count(strings.Join(f.Calls(), " "), "Renew"); n != 3 {
		t.Fatalf("%d renewals, want 3", n)
	}
	if !strings.Contains(screen(m), "renewed 3/3 credentials") || m.busy() {
		t.Fatalf("final status:\n%s", screen(m))
	}
	if m.data.due != 0 {
		t.Fatalf("%d still due after renewing all", m.data.due)
	}
}

func TestRefreshProgressInStatusLine(t *testing.T) {
	clock := testNow
	m := loaded(t, newFake(), &clock, 120, 30)
	m, _ = update(m, keyMsg("ctrl+r"))
	m, _ = update(m, refreshProgressMsg{id: m.requests.refreshID, done: 2, total: 3})
	if got := screen(m); !strings.Contains(got, "refreshing 2/3 regions") {
		t.Fatalf("no progress:\n%s", got)
	}
}

func TestBackendPanicBecomesStatusError(t *testing.T) {
	clock := testNow
	f := newFake()
	f.panicOn = "UseContext"
	m := loaded(t, f, &clock, 120, 30)
	m = press(t, m, "3", "u")
	v := screen(m)
	if !strings.Contains(v, "internal error: boom in UseContext") || m.busy() {
		t.Fatalf("panic not shown as an error:\n%s", v)
	}
}

func TestCopyAndUseAndExport(t *testing.T) {
	clock := testNow
	f := newFake()
	var copied string
	o := testOptions(&clock)
	o.Clipboard = func(s string) error { copied = s; return nil }
	m := New(f, o)
	m.ticker = noTick
	m, _ = update(m, tea.WindowSizeMsg{Width: 120, Height: 30})
	m = drive(t, m, m.Init())
	m = press(t, m, "/")
	m = typeText(t, m, "prod-web")
	m = press(t, m, "enter", "y")
	if copied != "prod-web-internal" {
		t.Fatalf("copied %q, want the TLS-verifying context", copied)
	}
	m = press(t, m, "u", "e")
	if m.dialog != dialogPrompt {
		t.Fatal("export did not ask for a path")
	}
	m = press(t, m, "enter")
	calls := strings.Join(f.Calls(), " ")
	if !strings.Contains(calls, "UseContext") || !strings.Contains(calls, "Export") {
		t.Fatalf("calls: %s", calls)
	}
	if !strings.Contains(screen(m), "exported a1b2c3d4 to prod-web-internal.kubeconfig") {
		t.Fatalf("status:\n%s", screen(m))
	}
}
