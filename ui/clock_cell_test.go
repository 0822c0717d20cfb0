package ui

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"ccecert/store"
)

// durations are times left around every boundary of the countdown's and
// the age's units (a few of each unit, either side of zero), plus random
// ones at every scale from a second to ten years.
func durations() []time.Duration {
	var out []time.Duration
	r := rand.New(rand.NewPCG(1, 2))
	for _, u := range []time.Duration{time.Second, time.Minute, time.Hour, store.Day, store.Year} {
		for _, k := range []time.Duration{0, 1, 2, 3, 23, 24, 59, 60, 61, 364, 365} {
			for d := -2 * time.Second; d <= 2*time.Second; d += 250 * time.Millisecond {
				out = append(out, k*u+d, -k*u+d)
			}
			out = append(out, k*u-1, k*u+1, -k*u-1, -k*u+1)
		}
		for range 2000 {
			d := time.Duration(r.Int64N(int64(100 * u)))
			out = append(out, d, -d)
		}
	}
	return out
}

// Two times left in the same step draw the same countdown; the step ends
// where the text changes: a countdown cell is redrawn exactly when needed.
func TestCountdownStepNamesTheText(t *testing.T) {
	na := time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC)
	r := rand.New(rand.NewPCG(3, 4))
	for _, d := range durations() {
		s := stepOf(d)
		text := store.Countdown(na, na.Add(-d))
		// The first and last times left in d's step.
		lo, hi := s.count*s.unit, (s.count+1)*s.unit-1
		switch {
		case s.expired:
			lo, hi = -hi, -lo
		case lo == 0:
			lo = 1 // "0s" is left for under a second, "expired 0s ago" from 0
		}
		if d < lo || d > hi {
			t.Fatalf("%v is outside its step %+v", d, s)
		}
		for _, o := range []time.Duration{lo, hi, lo + time.Duration(r.Int64N(int64(hi-lo)+1))} {
			if got := store.Countdown(na, na.Add(-o)); got != text {
				t.Fatalf("%v and %v share step %+v but read %q and %q", d, o, s, text, got)
			}
		}
		// Just outside the step, the text changes (but at 0s/expired 0s).
		if out := lo - 1; stepOf(out) != s && out != 0 && store.Countdown(na, na.Add(-out)) == text {
			t.Fatalf("%v and %v read %q in different steps: the step is too fine", d, out, text)
		}
	}
}

// Ages in the same step read the same ("5m ago").
func TestAgoStepNamesTheText(t *testing.T) {
	for _, d := range durations() {
		s, text := agoStepOf(d), ago(d)
		for _, o := range []time.Duration{d - time.Second, d + time.Second, d - time.Millisecond, d + 1} {
			if agoStepOf(o) == s && ago(o) != text {
				t.Fatalf("%v and %v share step %+v but read %q and %q", d, o, s, text, ago(o))
			}
		}
	}
}

// The lifetime bar of the table's width is the same text as one built
// glyph by glyph.
func TestLifetimeBarSlicesMatchBuiltBars(t *testing.T) {
	nb := testNow.Add(-100 * day)
	c := newCred("x", testTargets()[0], nb, nb.Add(100*day))
	for used := -5; used <= 105; used++ {
		now := nb.Add(time.Duration(used) * day)
		got := lifetimeBar(c, now, barWidth)
		n := max(0, min(int(float64(used)/100*barWidth+0.5), barWidth))
		if want := strings.Repeat("█", n) + strings.Repeat("░", barWidth-n); got != want {
			t.Fatalf("%d%% used: bar %q, want %q", used, got, want)
		}
	}
	c.RevokedAt = testNow
	if got := lifetimeBar(c, testNow, barWidth); got != strings.Repeat("·", barWidth) {
		t.Fatalf("revoked: bar %q", got)
	}
}
