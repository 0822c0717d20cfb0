package ui

import (
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"ccecert/store"
)

// rowOf returns the screen line that contains text.
func rowOf(t *testing.T, view, text string) string {
	t.Helper()
	for _, l := range strings.Split(view, "\n") {
		if strings.Contains(ansi.Strip(l), text) {
			return l
		}
	}
	t.Fatalf("no line contains %q in:\n%s", text, ansi.Strip(view))
	return ""
}

func tickAt(t *testing.T, m Model, clock *time.Time, at time.Time) Model {
	t.Helper()
	*clock = at
	m, cmd := update(m, tickMsg{gen: m.requests.tickGen})
	if cmd != nil {
		t.Fatal("noTick should give no command")
	}
	return m
}

func TestTickAdvancesCountdowns(t *testing.T) {
	clock := testNow
	m := press(t, loaded(t, newFake(), &clock, 120, 30), "3")
	if got := rowOf(t, screen(m), "staging-auto"); !strings.Contains(got, "30m 09s") {
		t.Fatalf("before the tick: %q", got)
	}
	m = tickAt(t, m, &clock, testNow.Add(time.Second))
	if got := rowOf(t, screen(m), "staging-auto"); !strings.Contains(got, "30m 08s") {
		t.Fatalf("after one tick: %q", got)
	}
	if got := screen(m); !strings.Contains(got, "12:00") {
		t.Fatal("no header clock")
	}
	m = tickAt(t, m, &clock, testNow.Add(time.Minute))
	if got := screen(m); !strings.Contains(got, "12:01") {
		t.Fatal("the header clock did not advance")
	}
	// A tick of a stale chain changes nothing and is not re-armed.
	clock = testNow.Add(time.Hour)
	m2, cmd := update(m, tickMsg{gen: m.requests.tickGen + 1})
	if cmd != nil || !strings.Contains(screen(m2), "29m 09s") {
		t.Fatal("a stale tick was applied")
	}
}

func TestThresholdCrossingChangesHealthAndStyle(t *testing.T) {
	clock := testNow
	f := newFake()
	o := testOptions(&clock)
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(termenv.ANSI256)
	o.Renderer = r
	m := New(f, o)
	m.ticker = noTick
	m, _ = update(m, tea.WindowSizeMsg{Width: 120, Height: 30})
	m = press(t, drive(t, m, m.Init()), "3")

	api := m.data.byID["b2c3d4e5"] // prod-api: 30d lifetime, 5d left: warning
	if api.health != store.HealthWarning {
		t.Fatalf("prod-api starts %v, want warning", api.health)
	}
	before := rowOf(t, m.View(), "prod-api")
	// Critical is min(7d, L/10) = 3d before NotAfter.
	m = tickAt(t, m, &clock, api.cred.NotAfter.Add(-3*day-time.Second))
	if api.health != store.HealthWarning {
		t.Fatalf("one second before the critical threshold: %v", api.health)
	}
	m = tickAt(t, m, &clock, api.cred.NotAfter.Add(-3*day))
	if api.health != store.HealthCritical {
		t.Fatalf("at the critical threshold: %v, want critical", api.health)
	}
	after := rowOf(t, m.View(), "prod-api")
	if !strings.Contains(ansi.Strip(after), "CRIT") {
		t.Fatalf("row badge did not change: %q", ansi.Strip(after))
	}
	if styleOf(before) == styleOf(after) {
		t.Fatalf("row style unchanged across the threshold: %q", styleOf(after))
	}
	// At NotAfter it expires; the most urgent rows move up.
	m = tickAt(t, m, &clock, api.cred.NotAfter)
	if api.health != store.HealthExpired {
		t.Fatalf("at NotAfter: %v", api.health)
	}
	// Going back in time re-evaluates everything.
	m = tickAt(t, m, &clock, testNow)
	if api.health != store.HealthWarning {
		t.Fatalf("after the clock went back: %v", api.health)
	}
	_ = m
}

// styleOf is the escape sequence a rendered row starts with.
func styleOf(line string) string {
	i := strings.IndexByte(line, 'm')
	if !strings.HasPrefix(line, "\x1b[") || i < 0 {
		return ""
	}
	return line[:i+1]
}

func TestStaleResponsesAreIgnored(t *testing.T) {
	clock := testNow
	f := newFake()
	m := loaded(t, f, &clock, 120, 30)
	view := screen(m)

	// A credential list asked for before the one on screen.
	m, _ = update(m, credentialsMsg{id: m.requests.credsApplied - 1, creds: nil})
	if len(m.data.creds) != len(testCreds())-0 || screen(m) != view {
		t.Fatal("an older credential list replaced the newer one")
	}
	// A refresh lands; then the cache read from before it arrives late.
	m, cmd := update(m, keyMsg("ctrl+r"))
	m = drive(t, m, cmd)
	if m.fetchedAt != testNow {
		t.Fatalf("refresh not applied: fetched at %v", m.fetchedAt)
	}
	old := Inventory{Targets: testTargets()[:1], FetchedAt: testNow.Add(-time.Hour)}
	m, _ = update(m, inventoryMsg{id: 1, inv: old})
	if len(m.data.clusters) != 6 || m.fetchedAt != testNow {
		t.Fatal("a late cache read overwrote a newer refresh")
	}
	// A superseded refresh is dropped even when it comes back last.
	m, _ = update(m, keyMsg("ctrl+r")) // refresh A, not run
	first := m.requests.refreshID
	m, _ = update(m, keyMsg("ctrl+r")) // refresh B supersedes A
	m, _ = update(m, inventoryMsg{id: first, inv: old, refresh: true})
	if len(m.data.clusters) != 6 {
		t.Fatal("a superseded refresh was applied")
	}
	// VPCs for a dialog that is no longer open are dropped.
	m, _ = update(m, vpcsMsg{id: 999, vpcs: nil})
	if m.dialog != dialogNone {
		t.Fatal("a stale VPC list opened a dialog")
	}
}

func TestFilterNarrowsRows(t *testing.T) {
	clock := testNow
	m := loaded(t, newFake(), &clock, 120, 30)
	if n := len(m.page().order); n != 6 {
		t.Fatalf("clusters: %d rows, want 6", n)
	}
	m = press(t, m, "/")
	m = typeText(t, m, "prod")
	if n := len(m.page().order); n != 2 {
		t.Fatalf("after /prod: %d rows, want 2 (prod-web, prod-api)", n)
	}
	v := screen(m)
	if strings.Contains(v, "legacy-batch") || !strings.Contains(v, "prod-web") || !strings.Contains(v, "2/6") {
		t.Fatalf("filtered view:\n%s", v)
	}
	// The filter is per page.
	m = press(t, m, "enter", "3")
	if n := len(m.page().order); n != 7 {
		t.Fatalf("credentials page filtered by the clusters' filter: %d rows", n)
	}
	m = press(t, m, "1", "esc")
	if n := len(m.page().order); n != 6 {
		t.Fatalf("esc did not clear the filter: %d rows", n)
	}
	m = press(t, m, "/")
	m = typeText(t, m, "zzzz")
	if !strings.Contains(screen(m), "nothing matches") {
		t.Fatal("no empty-filter message")
	}
}

func TestNamesFromTheCloudAreInert(t *testing.T) {
	clock := testNow
	m := loaded(t, newFake(), &clock, 160, 48)
	m = press(t, m, "G") // the evil-named cluster sorts last
	raw := m.View()
	if strings.Contains(raw, "\x1b]0;") || strings.Contains(raw, "\x1b[31m") || strings.Contains(raw, "\a") {
		t.Fatalf("escape sequences from a cluster name reached the screen: %q", raw)
	}
	if !strings.Contains(raw, "\uFFFD[31mevil") {
		t.Fatal("the name is not shown at all")
	}
}

func TestEveryScreenFitsTheTerminal(t *testing.T) {
	clock := testNow
	for _, sz := range [][2]int{{80, 24}, {100, 30}, {160, 48}, {200, 50}} {
		m := loaded(t, newFake(), &clock, sz[0], sz[1])
		for _, keys := range [][]string{{"1"}, {"2"}, {"3"}, {"?"}, {"?", "2", "f"}, {"esc", "1", "/"}, {"esc", "x"}} {
			m = press(t, m, keys...)
			lines := strings.Split(screen(m), "\n")
			if len(lines) != sz[1] {
				t.Fatalf("%dx%d after %v: %d lines", sz[0], sz[1], keys, len(lines))
			}
			for _, l := range lines {
				if w := ansi.StringWidth(l); w > sz[0] {
					t.Fatalf("%dx%d after %v: line of width %d: %q", sz[0], sz[1], keys, w, l)
				}
			}
		}
	}
}

func TestResizeRelaysOut(t *testing.T) {
	clock := testNow
	m := loaded(t, newFake(), &clock, 80, 24)
	if m.layout.side {
		t.Fatal("detail on the side at 80 columns")
	}
	m, _ = update(m, tea.WindowSizeMsg{Width: 200, Height: 50})
	if !m.layout.side || m.page().table.Height() != 44 {
		t.Fatalf("layout after resize: %+v, table rows %d", m.layout, m.page().table.Height())
	}
}

func TestHelpShowsOnlyEnabledKeys(t *testing.T) {
	clock := testNow
	m := loaded(t, newFake(), &clock, 160, 48)
	m = press(t, m, "2", "?") // fleet with a token-only credential: no revoke
	v := screen(m)
	for _, want := range []string{"fetch", "renew all", "export", "use context", "copy", "filter", "sort", "refresh", "help", "quit"} {
		if !strings.Contains(v, want) {
			t.Errorf("full help lacks %q", want)
		}
	}
	if strings.Contains(v, "revoke") {
		t.Error("revoke shown for a fleet credential, which cannot be revoked")
	}
	m = press(t, m, "esc")
	if m.widgets.help.ShowAll {
		t.Fatal("esc did not close the full help")
	}
}

func TestKeyBurstIsSplitOutsideTextFields(t *testing.T) {
	clock := testNow
	m := loaded(t, newFake(), &clock, 120, 30)
	m = press(t, m, "jjj") // one message, as a fast terminal delivers it
	if c := m.page().table.Cursor(); c != 3 {
		t.Fatalf("cursor at %d after jjj, want 3", c)
	}
	m = press(t, m, "/", "jjj")
	if m.widgets.filterIn.Value() != "jjj" {
		t.Fatalf("a burst in the filter was not typed as text: %q", m.widgets.filterIn.Value())
	}
}

func TestSortCycles(t *testing.T) {
	clock := testNow
	m := press(t, loaded(t, newFake(), &clock, 120, 30), "3")
	first := func() string { return m.data.creds[m.page().order[0]].target }
	if first() != "legacy-batch" {
		t.Fatalf("urgency sort starts with %s, want the expired one", first())
	}
	m = press(t, m, "s")
	if !strings.Contains(screen(m), "sorted by expiry") || first() != "legacy-batch" {
		t.Fatalf("expiry sort: %s", first())
	}
	m = press(t, m, "s")
	if first() != "console-import" {
		t.Fatalf("target sort starts with %s", first())
	}
	m = press(t, m, "s", "s")
	if m.page().sortName() != "urgency" {
		t.Fatalf("sort did not cycle back: %s", m.page().sortName())
	}
}

func TestBestCredentialPrefersMostTimeThenTLS(t *testing.T) {
	web := testTargets()[0]
	it := newTargetItem(web)
	mk := func(id string, left time.Duration, insecureFirst bool) *credItem {
		c := newCred(id, web, testNow.Add(-day), testNow.Add(left))
		if insecureFirst { // only the external (insecure) context written
			c.Contexts, c.Clusters = c.Contexts[1:], c.Clusters[1:]
		}
		return newCredItem(c, display{location: time.UTC, thresholds: store.DefaultThresholds()}, testNow)
	}
	short, long, longInsecure := mk("s", 5*day, false), mk("l", 50*day, false), mk("li", 50*day, true)
	it.consider(short)
	it.consider(longInsecure)
	if it.best != longInsecure {
		t.Fatal("the credential with the most time left should win")
	}
	it.consider(long)
	if it.best != long {
		t.Fatal("on a tie the TLS-verifying credential should win")
	}
	revoked := mk("r", 90*day, false)
	revoked.cred.RevokedAt = testNow
	it.consider(revoked)
	if it.best != long || it.creds != 4 {
		t.Fatalf("a revoked credential became best (creds %d)", it.creds)
	}
}

func TestStaleCacheMarker(t *testing.T) {
	clock := testNow
	f := newFake()
	f.inv.FetchedAt = testNow.Add(-2 * time.Hour)
	m := loaded(t, f, &clock, 120, 30)
	if v := screen(m); !strings.Contains(v, "STALE 2h ago") || !strings.Contains(v, "refreshed 2h ago") {
		t.Fatalf("no stale marker:\n%s", v)
	}
	m = press(t, m, "ctrl+r")
	if v := screen(m); strings.Contains(v, "STALE") || !strings.Contains(v, "refreshed: 6 clusters, 2 fleets") {
		t.Fatalf("stale marker after a refresh:\n%s", v)
	}
}

func TestStartsFromCacheThenRefreshes(t *testing.T) {
	clock := testNow
	f := newFake()
	o := testOptions(&clock)
	o.NoRefreshOnStart = false
	m := New(f, o)
	m.ticker = noTick
	cmd := m.Init()
	if m.busyText() == "" {
		t.Fatal("nothing shown as running at start")
	}
	m = drive(t, m, cmd)
	calls := strings.Join(f.Calls(), " ")
	if !strings.HasPrefix(calls, "CachedTargets Credentials Refresh") {
		t.Fatalf("calls at start: %s", calls)
	}
	if m.fetchedAt != testNow || m.busy() || !strings.Contains(screen(m), "refreshed: 6 clusters, 2 fleets") {
		t.Fatalf("after start:\n%s", screen(m))
	}
}
