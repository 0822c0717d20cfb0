package ui

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"ccecert/store"
)

// withEvents gives the fake a log: four events of legacy-batch (the first
// row of the Credentials page), the newest a failed renewal and one with
// a hostile who, and one event of another target.
func withEvents(f *fakeBackend) {
	ts := testTargets()
	old, web := ts[3].Key(), ts[0].Key()
	f.events = []store.EventRecord{
		testEvent(1, 33*day, "fetch", old, "ok", "user-c-old", "req-1a2b3c"),
		testEvent(2, 20*day, "fetch", web, "ok", "user-c-web", "req-web"),
		testEvent(3, 5*day, "write", old, "ok", "\x1b]0;pwned\x07op", ""),
		testEvent(4, 4*day+2*time.Hour, "export", old, "ok", "user-c-old", ""),
		testEvent(5, day, "renew", old, "error: HTTP 403 CCE.01403001: forbidden (request 9f8e7d) — grant cce:cluster:generateClientCredential to the user", "user-c-old", "9f8e7d"),
	}
	f.events[1].Credential = "a1b2c3d4"
}

// testEvent is an event of credential d4e5f6a7 (legacy-batch's) ago
// before testNow.
func testEvent(seq int64, ago time.Duration, action, target, result, who, req string) store.EventRecord {
	return store.EventRecord{
		Event: store.Event{Seq: seq, At: testNow.Add(-ago), Action: action, Target: target, Credential: "d4e5f6a7", Result: result,
			Who: who, RequestID: req},
	}
}

func TestEventsDialogShowsTheSelectedTargetsLog(t *testing.T) {
	clock := testNow
	f := newFake()
	withEvents(f)
	m := loaded(t, f, &clock, 80, 24)
	m = press(t, m, "3")
	sel := m.selectedCred()
	if sel == nil || sel.cred.ID != "d4e5f6a7" || !m.widgets.keys.Events.Enabled() {
		t.Fatalf("selected %v, log key enabled %v; want legacy-batch's d4e5f6a7 and the key on", sel, m.widgets.keys.Events.Enabled())
	}
	m = press(t, m, "L")
	want := store.EventQuery{Target: sel.cred.Target.Key(), Limit: eventsLimit}
	if len(f.eventQueries) != 1 || f.eventQueries[0] != want {
		t.Fatalf("Events asked %+v; want once %+v", f.eventQueries, want)
	}
	if m.dialog != dialogEvents || m.busy() {
		t.Fatalf("dialog %v, busy %v after the load", m.dialog, m.busy())
	}
	v := screen(m)
	checkFits(t, v, 80, 24)
	last := -1
	for _, row := range []string{"2026-02-28 12:00:00 renew", "2026-02-25 10:00:00 export", "2026-02-24 12:00:00 write", "2026-01-27 12:00:00 fetch"} {
		i := strings.Index(v, row)
		if i <= last {
			t.Fatalf("row %q missing or out of order (newest first):\n%s", row, v)
		}
		last = i
	}
	for _, s := range []string{"Events · legacy-batch (cn-east-3)", "4 events, newest first", "times in UTC", "9f8e7d", "req-1a2b3c", "user-c-old",
		"\uFFFD]0;pwned", "generateClientCredential", "esc close"} {
		if !strings.Contains(v, s) {
			t.Errorf("events dialog lacks %q:\n%s", s, v)
		}
	}
	if strings.Contains(v, "req-web") {
		t.Errorf("another target's event is listed:\n%s", v)
	}
	if raw := m.View(); strings.Contains(raw, "\x1b]0;") || strings.Contains(raw, "\a") {
		t.Fatalf("escape sequences from the log reached the screen: %q", raw)
	}

	m = press(t, m, "G") // the oldest: its result under the table
	if got := m.widgets.events.Selected(); got != 3 || !strings.Contains(screen(m), "result     ok") {
		t.Fatalf("G selected row %d:\n%s", got, screen(m))
	}
	m = press(t, m, "esc")
	if m.dialog != dialogNone || !strings.Contains(screen(m), "TARGET") {
		t.Fatalf("esc did not close the dialog:\n%s", screen(m))
	}
}

func TestEventsKeyOnlyOnTheCredentialsPage(t *testing.T) {
	clock := testNow
	f := newFake()
	withEvents(f)
	m := loaded(t, f, &clock, 160, 48)
	m = press(t, m, "L", "?")
	if m.dialog != dialogNone || len(f.eventQueries) != 0 || logHelp.MatchString(screen(m)) {
		t.Fatalf("the log key works or is shown on the Clusters page: dialog %v, queries %v", m.dialog, f.eventQueries)
	}
	m = press(t, m, "3")
	if !logHelp.MatchString(screen(m)) {
		t.Fatalf("full help on the Credentials page lacks the log key:\n%s", screen(m))
	}
}

func TestEventsStaleResultIsDropped(t *testing.T) {
	clock := testNow
	f := newFake()
	withEvents(f)
	m := loaded(t, f, &clock, 80, 24)
	m = press(t, m, "3")
	m, first := update(m, keyMsg("L")) // held: lands late
	m = press(t, m, "esc")
	m, second := update(m, keyMsg("L"))
	f.events = f.events[:1] // the second load sees a different log
	m = drive(t, m, second)
	f.events = nil
	m = drive(t, m, first)
	if evs := m.widgets.events.Events(); len(evs) != 1 || evs[0].RequestID != "req-1a2b3c" {
		t.Fatalf("shows %+v; want the newer load's one event, not the stale one's", evs)
	}
	if m.busy() {
		t.Fatalf("still busy: %v", m.requests.busy)
	}

	// A load that lands after its dialog closed opens nothing.
	m, cmd := update(m, keyMsg("esc"))
	m = drive(t, m, cmd)
	m, cmd = update(m, keyMsg("L"))
	m = press(t, m, "esc")
	m = drive(t, m, cmd)
	if m.dialog != dialogNone || m.busy() || m.status.err {
		t.Fatalf("a late load after esc: dialog %v, busy %v, status %+v", m.dialog, m.busy(), m.status)
	}
}

func TestEventsErrorShowsInTheStatusLine(t *testing.T) {
	clock := testNow
	f := newFake()
	f.eventsErr = errors.New("database is locked: close the other ccecert")
	m := loaded(t, f, &clock, 80, 24)
	m = press(t, m, "3", "L")
	if m.dialog != dialogNone || !m.status.err || len(m.itemErr) != 0 {
		t.Fatalf("after a failed load: dialog %v, status %+v, item errors %v", m.dialog, m.status, m.itemErr)
	}
	lines := strings.Split(screen(m), "\n")
	if status := lines[len(lines)-2]; !strings.Contains(status, "read the events log: database is locked") {
		t.Fatalf("status line %q", status)
	}
}

func TestEventsDialogShowsTheNewest50(t *testing.T) {
	clock := testNow
	f := newFake()
	key := testTargets()[3].Key()
	for i := range 60 {
		f.events = append(f.events, testEvent(int64(i+1), time.Duration(60-i)*time.Hour, "write", key, "ok", "op", fmt.Sprintf("req-%02d", i+1)))
	}
	m := loaded(t, f, &clock, 80, 24)
	m = press(t, m, "3", "L")
	v := screen(m)
	checkFits(t, v, 80, 24)
	if !strings.Contains(v, "the newest 50 events") || !strings.Contains(v, "req-60") {
		t.Fatalf("50 of 60 events:\n%s", v)
	}
	m = press(t, m, "G")
	if evs := m.widgets.events.Events(); len(evs) != 50 || !strings.Contains(screen(m), "req-11") {
		t.Fatalf("%d rows; the oldest shown should be req-11:\n%s", len(evs), screen(m))
	}
}

// logHelp is the log key in the help.
var logHelp = regexp.MustCompile(`\bL +log\b`)

// checkFits fails unless the screen v is exactly h lines of at most w cells.
func checkFits(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) != h {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), h, v)
	}
	for _, l := range lines {
		if ansi.StringWidth(l) > w {
			t.Fatalf("line of width %d > %d: %q", ansi.StringWidth(l), w, l)
		}
	}
}

func TestEventsDialogFitsEveryTerminal(t *testing.T) {
	clock := testNow
	for _, sz := range [][2]int{{60, 12}, {80, 10}, {80, 24}, {100, 30}, {200, 50}} {
		f := newFake()
		withEvents(f)
		m := loaded(t, f, &clock, sz[0], sz[1])
		m = press(t, m, "3", "L")
		checkFits(t, screen(m), sz[0], sz[1])
		m = press(t, m, "?") // not the page's help: the dialog has the keys
		if m.dialog != dialogEvents || m.widgets.help.ShowAll {
			t.Fatalf("%dx%d: ? left the dialog or opened the page's help", sz[0], sz[1])
		}
	}
}
