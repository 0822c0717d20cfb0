package ui

import (
	"testing"
	"time"
)

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
	drawn := m.memo.frames
	for s := 2; s < 50; s++ {
		m = tickAt(t, m, &clock, testNow.Add(time.Duration(s)*time.Second))
		if screen(m) != first {
			t.Fatalf("tick +%ds changed the screen", s)
		}
	}
	if m.memo.frames != drawn {
		t.Fatalf("%d frames drawn by ticks that change no text, want 0", m.memo.frames-drawn)
	}
	m = tickAt(t, m, &clock, testNow.Add(time.Minute))
	if screen(m) == first || m.memo.frames == drawn {
		t.Fatal("the next minute did not draw a new frame")
	}
	drawn = m.memo.frames
	m = press(t, m, "j")
	_ = screen(m)
	if m.memo.frames == drawn {
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
