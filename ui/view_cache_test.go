package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"
)

// uncached is a copy of m that remembers no earlier frame: its View draws
// every part and row anew. Tests compare it with m's View to catch a part
// kept past a change.
func uncached(m Model) Model {
	m.viewCache = &viewCache{}
	for i, p := range m.pages {
		c := *p
		c.table, c.clocks, c.since, c.till, c.drawn = p.table.Fresh(), nil, nil, nil, false
		m.pages[i] = &c
	}
	return m
}

// sameAsFresh fails when frame, drawn by m, differs from one drawn from
// scratch by fresh (m's View or render, on a copy of m without its kept
// parts).
func sameAsFresh(t *testing.T, m Model, frame string, fresh func(Model) string, step string) {
	t.Helper()
	want := fresh(uncached(m))
	if frame == want {
		return
	}
	g, w := strings.Split(frame, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Fatalf("after %s, line %d of the kept frame is stale:\n got %q\nwant %q", step, i, gl, wl)
		}
	}
}

// checkView is the check of a model as Bubble Tea drives it: View after
// every message; a frame it draws (not the last one handed back, see
// viewCache) equals a fresh one.
func checkView(t *testing.T) func(Model, string) {
	return func(m Model, step string) {
		t.Helper()
		drawn := m.viewCache.frames
		if v := m.View(); m.viewCache.frames != drawn {
			sameAsFresh(t, m, v, Model.View, step)
		}
	}
}

// checkRender draws every step, whatever the frame memo would hand back.
func checkRender(t *testing.T) func(Model, string) {
	return func(m Model, step string) {
		t.Helper()
		sameAsFresh(t, m, m.render(), Model.render, step)
	}
}

// colourModel is the model over f in colour (escape sequences are part of
// what is compared), at w×h.
func colourModel(t *testing.T, f *fakeBackend, clock *time.Time, w, h int) Model {
	t.Helper()
	m := New(f, colourOptions(clock, termenv.ANSI256))
	m.ticker = noTick
	m, _ = update(m, tea.WindowSizeMsg{Width: w, Height: h})
	return drive(t, m, m.Init())
}

// script drives a model through what changes a frame: the clock across
// second, minute, day and health boundaries (and back), cursor moves,
// scrolling, pages, sorts, the filter, help, dialogs, a failed action and
// resizes. check runs after every step.
func script(t *testing.T, m Model, clock *time.Time, check func(m Model, step string)) {
	t.Helper()
	tick := func(d time.Duration) {
		*clock = testNow.Add(d)
		m, _ = update(m, tickMsg{gen: m.requests.tickGen})
		check(m, fmt.Sprintf("tick to +%v", d))
	}
	keys := func(ks ...string) {
		for _, k := range ks {
			m = press(t, m, k)
			check(m, "key "+k)
		}
	}
	resize := func(w, h int) {
		m, _ = update(m, tea.WindowSizeMsg{Width: w, Height: h})
		check(m, fmt.Sprintf("resize to %dx%d", w, h))
	}
	check(m, "start")
	// The fake's critical credential expires at +30m09s; the inventory
	// (listed 5m30s ago) turns 6m old at +30s and stale from +4m30s; +12h
	// and +25h are new days on the timeline.
	for _, d := range []time.Duration{time.Second, 2 * time.Second, 29 * time.Second, 31 * time.Second, 59 * time.Second,
		time.Minute, 61 * time.Second, 5*time.Minute + 1, 29*time.Minute + 59*time.Second, 30*time.Minute + 8*time.Second,
		30*time.Minute + 9*time.Second, 30*time.Minute + 10*time.Second, 31 * time.Minute, 89 * time.Minute, 90 * time.Minute,
		12 * time.Hour, 25 * time.Hour} {
		tick(d)
	}
	keys("j", "j", "k", "G", "g", "pgdown", "pgup", "down", "down")
	tick(25*time.Hour + time.Second)
	keys("s", "s", "tab", "j", "tab", "j", "j", "j", "s", "1")
	keys("/", "p", "r", "o", "enter", "j", "esc", "?", "?")
	keys("/", "l", "e", "g", "enter", "r", "esc") // renewing legacy-batch fails: the error shows
	if c := m.selectedCred(); c != nil {
		m, _ = update(m, usedMsg{credID: c.cred.ID, context: c.context, err: errors.New("kubeconfig is locked: close the editor")})
		check(m, "use fails")
		m, _ = update(m, usedMsg{credID: c.cred.ID, context: c.context})
		check(m, "use succeeds")
	}
	tick(25*time.Hour + 2*time.Second)
	keys("3", "j", "j", "j", "r")
	creds := append(m.backend.(*fakeBackend).creds, newCred("9e8d7c6b", testTargets()[4], testNow, testNow.Add(90*day)))
	m, _ = update(m, credentialsMsg{id: m.requests.credsApplied, creds: creds})
	check(m, "one more credential")
	tick(25*time.Hour + 3*time.Second)
	resize(200, 50)
	tick(25*time.Hour + 4*time.Second)
	keys("k", "1", "j")
	resize(60, 20)
	keys("f", "tab", "esc", "3", "x", "esc")
	resize(120, 40)
	tick(2 * time.Second) // the clock goes back: every health is evaluated again
	keys("/", "z", "z", "z")
	tick(3 * time.Second)
	keys("esc")
}

// Every frame equals one drawn from scratch, in colour and in plain text,
// with the detail pane below the table and beside it, over the fake's
// every health and over a thousand clusters; both when frames are drawn
// as Bubble Tea asks for them and when every step is drawn.
func TestKeptFrameEqualsFreshFrame(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {200, 50}, {80, 24}} {
		for _, big := range []bool{false, true} {
			for _, colour := range []bool{true, false} {
				for _, every := range []bool{false, true} {
					name := fmt.Sprintf("%dx%d_big=%v_colour=%v_everystep=%v", size[0], size[1], big, colour, every)
					t.Run(name, func(t *testing.T) {
						f := newFake()
						f.renewErr = map[string]error{"d4e5f6a7": fmt.Errorf("HTTP 403 forbidden — grant cce:cluster:generateClientCredential")}
						f.inv.FetchedAt = testNow.Add(-5*time.Minute - 30*time.Second)
						if big {
							f = idleFake()
							f.creds[3].RevokedAt = testNow.Add(-day) // a struck-through row
						}
						clock := testNow
						var m Model
						if colour {
							m = colourModel(t, f, &clock, size[0], size[1])
						} else {
							m = loaded(t, f, &clock, size[0], size[1])
						}
						check := checkView(t)
						if every {
							check = checkRender(t)
						}
						script(t, m, &clock, check)
					})
				}
			}
		}
	}
}

// With the cursor on a countdown in seconds, each tick changes the row and
// the detail pane; both follow the clock, second by second, across a
// minute and through the expiry.
func TestSelectedCountdownFollowsTheClock(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {200, 50}} {
		clock := testNow
		m := colourModel(t, newFake(), &clock, size[0], size[1])
		for _, page := range []string{"1", "3"} {
			m = press(t, m, page, "g")
			for range 10 {
				if c := m.selectedCred(); c != nil && c.cred.ID == "c3d4e5f6" {
					break
				}
				m = press(t, m, "j")
			}
			if c := m.selectedCred(); c == nil || c.cred.ID != "c3d4e5f6" {
				t.Fatalf("page %s: the critical credential cannot be selected", page)
			}
			prev := m.View()
			for s := 29*time.Minute + 50*time.Second; s <= 30*time.Minute+20*time.Second; s += time.Second {
				clock = testNow.Add(s)
				m, _ = update(m, tickMsg{gen: m.requests.tickGen})
				v := m.View()
				step := fmt.Sprintf("page %s, tick to +%v", page, s)
				sameAsFresh(t, m, v, Model.View, step)
				if v == prev {
					t.Fatalf("%s: the frame did not change", step)
				}
				prev = v
			}
			clock = testNow
			m, _ = update(m, tickMsg{gen: m.requests.tickGen})
		}
	}
}

// Within one step of a countdown ("1d 0h", "50d 0h"), a health can change
// (the row's badge and colour) and so can the share of the lifetime used
// (the detail pane); both show at once, on every page and layout.
func TestChangesWithinACountdownStepShow(t *testing.T) {
	f := newFake()
	ts := testTargets()
	// Critical from +30s (a tenth of its 10d 5m lifetime left).
	na := testNow.Add(day + time.Minute)
	turns := newCred("7a6b5c4d", ts[4], na.Add(-10*day-5*time.Minute), na)
	// 50% used from +90s.
	nb := testNow.Add(-50*day - 15*time.Minute + 90*time.Second)
	share := newCred("8b7c6d5e", ts[5], nb, nb.Add(100*day+30*time.Minute))
	f.creds = append(f.creds, turns, share)
	for _, size := range [][2]int{{120, 40}, {200, 50}} {
		for _, c := range []struct{ page, filter string }{{"1", "sleepy"}, {"3", "sleepy"}, {"3", "evil"}} {
			for _, every := range []bool{false, true} {
				clock := testNow
				m := colourModel(t, f, &clock, size[0], size[1])
				m = typeText(t, press(t, m, c.page, "/"), c.filter)
				m = press(t, m, "enter")
				if sel := m.selectedCred(); sel == nil || (sel.cred.ID != turns.ID && sel.cred.ID != share.ID) {
					t.Fatalf("page %s, filter %q: neither credential is selected", c.page, c.filter)
				}
				check := checkView(t)
				if every {
					check = checkRender(t)
				}
				for _, d := range []time.Duration{29 * time.Second, 31 * time.Second, 89 * time.Second, 91 * time.Second, 121 * time.Second} {
					clock = testNow.Add(d)
					m, _ = update(m, tickMsg{gen: m.requests.tickGen})
					check(m, fmt.Sprintf("%dx%d page %s %s: tick to +%v", size[0], size[1], c.page, c.filter, d))
				}
			}
		}
	}
}

// An idle second (the tick, then the frame) allocates a handful of times:
// the frame, the boxed model and the few countdowns that changed, not a
// string per cell. It was over a thousand allocations before the frame
// kept its parts.
func TestIdleSecondAllocatesLittle(t *testing.T) {
	clock := testNow
	m := colourModel(t, idleFake(), &clock, 120, 40)
	if !secondsOnScreen(m) {
		t.Fatal("no countdown in seconds on screen")
	}
	s, drawn := 60, m.viewCache.frames // the first (unmeasured) run expires a credential: all is drawn
	allocs := testing.AllocsPerRun(100, func() {
		s++
		clock = testNow.Add(time.Duration(s) * time.Second)
		nm, _ := m.Update(tickMsg{gen: m.requests.tickGen})
		m = nm.(Model)
		_ = m.View()
	})
	if m.viewCache.frames-drawn != 101 {
		t.Fatalf("%d frames drawn in 101 seconds of countdowns", m.viewCache.frames-drawn)
	}
	if allocs > 15 {
		t.Fatalf("%.0f allocations per idle second, want at most 15", allocs)
	}
}

// While no countdown under an hour is on screen, ticks that change no text
// hand back the last frame; the next change (a countdown's hour, the
// header's minute), or any other message, draws a new one.
func TestIdleTicksReuseTheFrame(t *testing.T) {
	fake := newFake()
	// Keep only credentials far from expiry: nothing shows seconds.
	var far []int
	for i, c := range fake.creds {
		if r := c.NotAfter.Sub(testNow); r > 2*time.Hour || r < -2*time.Hour {
			far = append(far, i)
		}
	}
	kept := fake.creds[:0]
	for _, i := range far {
		kept = append(kept, fake.creds[i])
	}
	fake.creds = kept
	clock := testNow
	m := loaded(t, fake, &clock, 120, 30)
	if secondsOnScreen(m) {
		t.Fatal("nothing under an hour is shown, yet the screen is drawn every second")
	}
	// The fake's expiries fall on whole days from testNow: a second later
	// their countdowns read an hour less ("5d 0h" → "4d 23h").
	at0 := screen(m)
	m = tickAt(t, m, &clock, testNow.Add(time.Second))
	first := screen(m)
	if first == at0 {
		t.Fatal("the countdowns did not move to the next hour a second past their whole day")
	}
	drawn := m.viewCache.frames
	for s := 2; s < 50; s++ {
		m = tickAt(t, m, &clock, testNow.Add(time.Duration(s)*time.Second))
		if screen(m) != first {
			t.Fatalf("tick +%ds changed the screen", s)
		}
	}
	if m.viewCache.frames != drawn {
		t.Fatalf("%d frames drawn by ticks that change no text, want 0", m.viewCache.frames-drawn)
	}
	m = tickAt(t, m, &clock, testNow.Add(time.Minute))
	if screen(m) == first || m.viewCache.frames == drawn {
		t.Fatal("the next minute did not draw a new frame")
	}
	drawn = m.viewCache.frames
	m = press(t, m, "j")
	_ = screen(m)
	if m.viewCache.frames == drawn {
		t.Fatal("a key press did not draw a new frame")
	}
}

// A countdown under an hour keeps the once-a-second redraw.
func TestSecondsCountdownRedrawsEveryTick(t *testing.T) {
	clock := testNow
	m := loaded(t, newFake(), &clock, 120, 30)
	if !secondsOnScreen(m) {
		t.Fatal("the fake holds a credential 30m from expiry: the screen must redraw every second")
	}
}
