package ui

import (
	"math/rand/v2"
	"testing"
	"time"

	"ccecert/store"
)

// A countdown's step holds up to the instant before its end, and not at
// the end: a row kept until then is never stale, nor kept needlessly.
func TestCountdownStepEnd(t *testing.T) {
	na := time.Date(2030, 6, 1, 12, 0, 0, 0, time.UTC).UnixNano()
	for _, d := range durations() {
		now := na - int64(d)
		s := stepOf(d)
		end := s.end(na)
		if end <= now {
			t.Fatalf("time left %v: step %+v ends at %d, not after now %d", d, s, end, now)
		}
		if last := stepOf(time.Duration(na - (end - 1))); last != s {
			t.Fatalf("time left %v: step %+v already left before its end (%+v)", d, s, last)
		}
		if next := stepOf(time.Duration(na - end)); next == s {
			t.Fatalf("time left %v: step %+v still holds at its end", d, s)
		}
	}
}

// The lifetime bar reads the same from now until barEnd, and changes soon
// after it.
func TestBarEnd(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	nb := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for range 20000 {
		life := time.Duration(1+r.Int64N(int64(3*store.Year/time.Second))) * time.Second
		c := store.Credential{NotBefore: nb, NotAfter: nb.Add(life)}
		now := nb.Add(time.Duration(r.Int64N(int64(3*life))) - life)
		end := barEnd(c, now, barWidth)
		bar := lifetimeBar(c, now, barWidth)
		if end == never {
			if later := lifetimeBar(c, now.Add(3*life), barWidth); later != bar {
				t.Fatalf("life %v at %v: the bar never changes, yet reads %q then %q", life, now.Sub(nb), bar, later)
			}
			continue
		}
		for _, at := range []int64{end - 1, now.UnixNano() + (end-now.UnixNano())/2} {
			if at < now.UnixNano() {
				continue
			}
			if got := lifetimeBar(c, time.Unix(0, at), barWidth); got != bar {
				t.Fatalf("life %v at %v: the bar changed before barEnd: %q then %q", life, now.Sub(nb), bar, got)
			}
		}
		if got := lifetimeBar(c, time.Unix(0, end).Add(2*time.Millisecond), barWidth); got == bar {
			t.Fatalf("life %v at %v: barEnd is early by more than its margin (%q still)", life, now.Sub(nb), bar)
		}
	}
}
