package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"ccecert/store"
)

// tickLog records the ticks the model asks for.
type tickLog struct {
	gens []int
	ats  []time.Time
}

func (l *tickLog) ticker(gen int, at time.Time) tea.Cmd {
	l.gens, l.ats = append(l.gens, gen), append(l.ats, at)
	return nil
}

func (l *tickLog) last(t *testing.T) (int, time.Time) {
	t.Helper()
	if len(l.ats) == 0 {
		t.Fatal("no tick asked for")
	}
	return l.gens[len(l.gens)-1], l.ats[len(l.ats)-1]
}

// The TUI sleeps until its screen could read differently: with minutes on
// screen it asks for the next minute, or a countdown's or a health's change
// before it; when a countdown in seconds comes into view it starts a new
// chain for the end of that second at once, and ticks of the old chain are
// dropped.
func TestTickSleepsUntilTheScreenChanges(t *testing.T) {
	fake := newFake()
	targets := fake.inv.Targets
	at := testNow.Add(10 * time.Second) // within a minute, off the boundary
	fake.creds = []store.Credential{
		newCred("0a0a0a0a", targets[0], testNow.Add(-30*day), testNow.Add(300*day)),
		newCred("0b0b0b0b", targets[1], testNow.Add(-30*day), testNow.Add(40*day+17*time.Second)), // its changes fall off the minute
	}
	clock := at
	log := &tickLog{}
	m := loaded(t, fake, &clock, 120, 30)
	m.ticker = log.ticker
	m = tickAt(t, m, &clock, at)
	if secondsOnScreen(m) {
		t.Fatal("no countdown under an hour is on screen, yet seconds are shown")
	}
	// 0b0b0b0b reads "40d 0h" until 17 s past the minute, then "39d 23h":
	// the next tick is then, not at the next minute.
	gen, next := log.last(t)
	if want := testNow.Add(17*time.Second + 1); !next.Equal(want) {
		t.Fatalf("the next tick is asked for at %v, want when a countdown changes, %v", next.Sub(testNow), want.Sub(testNow))
	}
	m = tickAt(t, m, &clock, next)
	if _, next = log.last(t); !next.Equal(testNow.Add(time.Minute)) {
		t.Fatalf("then the next tick is asked for at %v, want the next minute (the clock)", next.Sub(testNow))
	}

	// A health change before the next minute is woken for.
	change, ok := m.data.nextEvent()
	if !ok {
		t.Fatal("no health change ahead in the fixture")
	}
	m = tickAt(t, m, &clock, change.Add(-time.Second))
	if _, next = log.last(t); !next.Equal(change) || secondsOnScreen(m) {
		t.Fatalf("next tick at %v, want the health change at %v", next.Sub(testNow), change.Sub(testNow))
	}

	// A credential 30 minutes from expiry arriving (a reload) brings a
	// countdown in seconds on screen: a new chain ticks within the second.
	m = tickAt(t, m, &clock, at) // the next tick a minute away again
	gen, _ = log.last(t)
	asked := len(log.ats)
	near := newCred("0e0e0e0e", targets[2], testNow.Add(-day), at.Add(30*time.Minute+300*time.Millisecond))
	m, _ = update(m, credentialsMsg{id: m.requests.credsApplied + 1, creds: append(slices.Clone(fake.creds), near)})
	if !secondsOnScreen(m) {
		t.Fatalf("no countdown in seconds on screen:\n%s", screen(m))
	}
	if len(log.ats) == asked {
		t.Fatal("seconds came on screen, yet no sooner tick was asked for")
	}
	newGen, next := log.last(t)
	if newGen == gen || !next.Equal(at.Add(300*time.Millisecond+1)) {
		t.Fatalf("after the reload: chain %d (was %d) ticks at %v past now, want a new chain when the countdown's second ends (300ms)", newGen, gen, next.Sub(clock))
	}
	// A tick of the old chain is dropped: it asks for nothing.
	asked = len(log.ats)
	m, _ = update(m, tickMsg{gen: gen})
	if len(log.ats) != asked {
		t.Fatal("a tick of a stale chain scheduled another")
	}
	_ = m
}

// Between ticks the clock sleeps, but a message is drawn at the time it
// arrives: a credential fetched 45 s after the last tick counts down from
// then, not from the tick.
func TestMessagesReadTheClock(t *testing.T) {
	clock := testNow
	fake := newFake()
	m := loaded(t, fake, &clock, 120, 30)
	clock = testNow.Add(45 * time.Second) // no tick since
	c := newCred("0f0f0f0f", fake.inv.Targets[0], clock.Add(-time.Hour), clock.Add(7*day-time.Second))
	m, _ = update(m, fetchedMsg{id: 99, target: fake.inv.Targets[0], out: FetchOutcome{Credential: c}})
	if !m.now.Equal(clock) {
		t.Fatalf("the model's clock is %v past testNow, want the message's arrival, 45s", m.now.Sub(testNow))
	}
	if got := screen(m); !strings.Contains(got, "expires in 6d 23h") {
		t.Fatalf("the status line counts from an old clock:\n%s", got)
	}
}
