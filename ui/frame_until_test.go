package ui

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"ccecert/store"
)

// TestKeptFrameIsNeverStale moves the clock by random steps, from a
// millisecond to hours (now and then back), over expiries and a refresh
// time that fall on no whole minute, on every page with the cursor moving:
// at every instant the frame View hands back, kept or not, is the one drawn
// from scratch. So frameUntil names every instant at which the screen
// changes, and nothing waits for the next minute.
func TestKeptFrameIsNeverStale(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	fake := newFake()
	targets := fake.inv.Targets
	fake.creds = nil
	offsets := []time.Duration{
		37*time.Second + 250*time.Millisecond, 3*time.Minute + 7*time.Second, 59*time.Minute + 13*time.Second,
		61*time.Minute + 29*time.Second, 23*time.Hour + 11*time.Minute + 3*time.Second, 2*day + 17*time.Second,
		29*day + 41*time.Second, 400*day + 5*time.Second, -(90*time.Second + 7*time.Millisecond), -(2*time.Hour + 9*time.Second),
	}
	for i, off := range offsets {
		na := testNow.Add(off)
		life := time.Duration(1+i)*7*day + 13*time.Second
		if i%3 == 0 {
			life = time.Duration(2+i)*time.Hour + 13*time.Second // its share used moves every minute or two
		}
		fake.creds = append(fake.creds, newCred(fmt.Sprintf("%08x", 0xa0+i), targets[i%len(targets)], na.Add(-life), na))
	}
	fake.inv.FetchedAt = testNow.Add(-(4*time.Minute + 31*time.Second))
	clock := testNow
	m := loaded(t, fake, &clock, 120, 40)
	pages := []string{"1", "2", "3"}
	for step := range 6000 {
		switch k := r.IntN(40); {
		case k == 0:
			m = press(t, m, pages[r.IntN(len(pages))])
		case k == 1:
			m = press(t, m, "j")
		case k == 2:
			m = press(t, m, "k")
		}
		// Mostly a crawl of up to 7 s (instants inside a minute are met
		// between its boundaries); now and then a jump back towards
		// testNow's hours, either way, so the walk stays where the
		// refresh's age is in minutes and it goes stale.
		d := time.Duration(r.Int64N(int64(7 * time.Second)))
		if r.IntN(40) == 0 {
			d = testNow.Add(time.Duration(r.Int64N(int64(4*time.Hour))) - time.Hour).Sub(clock)
		}
		m = tickAt(t, m, &clock, clock.Add(d))
		sameAsFresh(t, m, m.View(), Model.View, fmt.Sprintf("step %d (clock %v past testNow, page %d)", step, clock.Sub(testNow), m.active))
	}
}

// A credential of five years shows its share of the lifetime used right
// past the 2.9 years at which 100 × its age overflowed a Duration.
func TestUsedPercentOfALongLifetime(t *testing.T) {
	c := store.Credential{NotBefore: testNow, NotAfter: testNow.Add(5 * store.Year)}
	if got := usedPercent(c, testNow.Add(3*store.Year)); got != 60 {
		t.Fatalf("3 of 5 years used reads %d%%, want 60%%", got)
	}
	end := usedPercentEnd(c, testNow.Add(3*store.Year))
	if usedPercent(c, time.Unix(0, end)) != 60 || usedPercent(c, time.Unix(0, end).Add(2*time.Millisecond)) != 61 {
		t.Fatalf("usedPercentEnd %v is not where 60%% turns 61%%", time.Unix(0, end).Sub(testNow))
	}
}

// TestKeptFrameFollowsEachClockReading crawls the clock a second (and a
// bit) at a time over instants that fall inside a minute, each in a model
// where nothing else on screen reads seconds: the selected credential's
// share of its lifetime used (the detail pane only), and the inventory
// going stale after a configured 7m13s. The kept frame must change at
// each, not at the next minute.
func TestKeptFrameFollowsEachClockReading(t *testing.T) {
	cases := []struct {
		name  string
		life  time.Duration
		stale time.Duration
		keys  []string
	}{
		{"share used in the detail pane", 6*time.Hour + 17*time.Second, 24 * time.Hour, []string{"3"}},
		{"inventory going stale", 400 * day, 7*time.Minute + 13*time.Second, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fake := newFake()
			na := testNow.Add(5*time.Hour + 23*time.Second) // hours and minutes: no seconds on screen
			fake.creds = []store.Credential{newCred("0d0d0d0d", fake.inv.Targets[0], na.Add(-c.life), na)}
			clock := testNow
			m := loaded(t, fake, &clock, 120, 40)
			m.opts.StaleAfter = c.stale
			m = press(t, m, c.keys...)
			changed := 0
			before := screen(m)
			for s := range 900 {
				m = tickAt(t, m, &clock, testNow.Add(time.Duration(s)*time.Second+time.Duration(s%7)*100*time.Millisecond))
				if secondsOnScreen(m) {
					t.Fatal("seconds on screen: this case proves nothing")
				}
				frame := m.View()
				sameAsFresh(t, m, frame, Model.View, fmt.Sprintf("%v past testNow", clock.Sub(testNow)))
				if now := screen(m); now != before {
					changed, before = changed+1, now
				}
			}
			if changed == 0 {
				t.Fatal("the screen never changed in 15 minutes")
			}
		})
	}
}
