package screen

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// clock is a hand-stepped clock with timers the test fires.
type clock struct {
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	at      time.Time
	f       func()
	stopped bool
}

func (t *fakeTimer) Stop() bool { was := !t.stopped; t.stopped = true; return was }

func (c *clock) after(d time.Duration, f func()) stopper {
	t := &fakeTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return t
}

// advance moves the clock and fires the timers that are due.
func (c *clock) advance(d time.Duration) {
	c.now = c.now.Add(d)
	timers := c.timers
	c.timers = nil
	for _, t := range timers {
		if t.stopped {
			continue
		}
		if t.at.After(c.now) {
			c.timers = append(c.timers, t)
			continue
		}
		t.stopped = true
		t.f()
	}
}

func newTestScreen(out *term, fps int) (*Screen, *clock) {
	c := &clock{now: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
	s := New(out, fps)
	s.now, s.after = func() time.Time { return c.now }, c.after
	s.Resize(out.width, out.height)
	return s, c
}

// recorder counts the writes to a term and keeps what they wrote since
// the last reset. (A plain io.Writer: no WriteString to bypass Write.)
type recorder struct {
	*term
	writes int
	out    bytes.Buffer
}

func (r *recorder) Write(p []byte) (int, error) {
	r.writes++
	r.out.Write(p)
	return r.term.Write(p)
}

func TestScreenShowsEveryFrameExactly(t *testing.T) {
	tm := newTerm(t, 20, 5)
	s, c := newTestScreen(tm, 60)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	frames := []string{
		"one\ntwo\nthree",
		"one\nTWO\nthree\nfour\nfive",
		"a line much longer than twenty cells\nshort", // cut, and the rest erased
		"\x1b[1mbold\x1b[0m and wide 日本語日本語日本語日本語",    // styled, wide runes cut at a cell
		"1\n2\n3\n4\n5\n6\n7",                         // taller than the screen: the bottom shows
		"",
	}
	for _, f := range frames {
		c.advance(time.Second)
		s.Draw(f)
		if got, w := tm.text(), want(f, 20, 5); got != w {
			t.Fatalf("after frame %q the terminal shows\n%s\nwant\n%s", f, got, w)
		}
		if tm.scrolled {
			t.Fatal("a frame scrolled the screen")
		}
	}
}

// recorded is a started Screen at 60 fps on a width×height term whose
// writes are recorded.
func recorded(t *testing.T, width, height int) (*Screen, *recorder) {
	rec := &recorder{term: newTerm(t, width, height)}
	s := New(rec, 60)
	s.Resize(width, height)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	return s, rec
}

func TestScreenWritesOnlyChangedLines(t *testing.T) {
	s, rec := recorded(t, 30, 4)
	s.Draw("header\nrow 1  5m 10s\nrow 2  1d 2h\nfooter")
	rec.out.Reset()
	time.Sleep(20 * time.Millisecond) // past the frame interval
	s.Draw("header\nrow 1  5m 09s\nrow 2  1d 2h\nfooter")
	out := rec.out.String()
	if !strings.Contains(out, "row 1  5m 09s") {
		t.Fatalf("the changed line was not written: %q", out)
	}
	for _, same := range []string{"header", "row 2", "footer"} {
		if strings.Contains(out, same) {
			t.Errorf("unchanged line %q written again: %q", same, out)
		}
	}
	writes := rec.writes
	s.Draw("header\nrow 1  5m 09s\nrow 2  1d 2h\nfooter")
	if rec.writes != writes {
		t.Error("the same frame again wrote to the terminal")
	}
}

func TestScreenCoalescesFramesWithinTheInterval(t *testing.T) {
	rec := &recorder{term: newTerm(t, 10, 2)}
	s, c := newTestScreen(rec.term, 10) // 100 ms
	s.out = rec
	_ = s.Start()
	s.Draw("a")
	writes := rec.writes
	c.advance(10 * time.Millisecond)
	s.Draw("b")
	c.advance(10 * time.Millisecond)
	s.Draw("c")
	if rec.writes != writes || rec.text() != "a\n" {
		t.Fatalf("frames within the interval written at once: %d writes, screen %q", rec.writes-writes, rec.text())
	}
	if len(c.timers) != 1 {
		t.Fatalf("%d timers waiting, want 1", len(c.timers))
	}
	c.advance(80 * time.Millisecond)
	if rec.writes != writes+1 || rec.text() != "c\n" {
		t.Fatalf("after the interval: %d writes, screen %q; want the newest frame in one write", rec.writes-writes, rec.text())
	}
	c.advance(time.Second)
	if rec.writes != writes+1 {
		t.Error("an idle screen wrote again")
	}
}

func TestScreenResizeRewritesEveryLine(t *testing.T) {
	tm := newTerm(t, 12, 3)
	s, c := newTestScreen(tm, 60)
	_ = s.Start()
	s.Draw("alpha\nbeta\ngamma")
	// The terminal reflows on a resize; model that as garbage everywhere.
	tm.width = 8
	tm.clear()
	for i := range tm.cells {
		tm.cells[i] = []rune("########")
	}
	s.Resize(8, 3)
	c.advance(time.Second)
	s.Draw("alpha\nbeta\ngamma")
	if got, w := tm.text(), want("alpha\nbeta\ngamma", 8, 3); got != w {
		t.Fatalf("after a resize the terminal shows\n%s\nwant\n%s", got, w)
	}
}

func TestScreenStartAndStopRestoreTheTerminal(t *testing.T) {
	tm := newTerm(t, 10, 2)
	s, c := newTestScreen(tm, 10)
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	s.Draw("first")
	c.advance(time.Millisecond)
	s.Draw("last") // waits for the interval
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if tm.text() != "last\n" {
		t.Errorf("Stop did not write the waiting frame: %q", tm.text())
	}
	wantModes := []string{ansi.SetAltScreenSaveCursorMode, ansi.HideCursor, ansi.SetBracketedPasteMode,
		ansi.ResetBracketedPasteMode, ansi.ShowCursor, ansi.ResetAltScreenSaveCursorMode}
	if fmt.Sprint(tm.modes) != fmt.Sprint(wantModes) {
		t.Errorf("modes %q, want %q", tm.modes, wantModes)
	}
	c.advance(time.Second) // the stopped timer must not fire a write
	s.Draw("after stop")
	if tm.text() != "last\n" {
		t.Errorf("drawn after Stop: %q", tm.text())
	}
	if err := s.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
}

type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, errors.New("terminal gone") }

func TestScreenStopReportsAWriteError(t *testing.T) {
	s := New(brokenWriter{}, 60)
	if err := s.Start(); err == nil {
		t.Fatal("Start: no error writing to a broken terminal")
	}
	if err := s.Stop(); err == nil || !strings.Contains(err.Error(), "terminal gone") {
		t.Fatalf("Stop: %v, want the write error", err)
	}
}

// TestScreenRandomFrames draws random frames (lines added, removed, changed,
// styled, too wide) at random intervals with resizes between; after every
// write the terminal must show the newest frame.
func TestScreenRandomFrames(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 26))
	tm := newTerm(t, 24, 6)
	s, c := newTestScreen(tm, 20)
	_ = s.Start()
	lines := []string{"", "x", "hello", "\x1b[31mred\x1b[0m text", "0123456789012345678901234567890", "日本語 wide", "tail  "}
	var frame string
	for i := range 2000 {
		if rng.IntN(50) == 0 {
			w, h := 10+rng.IntN(20), 2+rng.IntN(8)
			*tm = *newTerm(t, w, h)
			s.Resize(w, h)
		}
		n := rng.IntN(tm.height + 3)
		parts := make([]string, n)
		for j := range parts {
			parts[j] = lines[rng.IntN(len(lines))]
		}
		frame = strings.Join(parts, "\n")
		s.Draw(frame)
		c.advance(time.Duration(rng.IntN(120)) * time.Millisecond)
		if len(c.timers) == 0 {
			if got, w := tm.text(), want(frame, tm.width, tm.height); got != w {
				t.Fatalf("step %d: the terminal shows\n%s\nwant\n%s", i, got, w)
			}
		}
		if tm.scrolled {
			t.Fatalf("step %d scrolled the screen", i)
		}
	}
	_ = s.Stop()
	if got, w := tm.text(), want(frame, tm.width, tm.height); got != w {
		t.Fatalf("after Stop the terminal shows\n%s\nwant\n%s", got, w)
	}
}

// TestScreenConcurrentDraws runs real timers under the race detector.
func TestScreenConcurrentDraws(t *testing.T) {
	var mu sync.Mutex
	var buf bytes.Buffer
	s := New(writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return buf.Write(p) }), 200)
	s.Resize(40, 10)
	_ = s.Start()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				s.Draw(fmt.Sprintf("goroutine %d\nframe %d", g, i))
				if i%50 == 0 {
					time.Sleep(time.Millisecond)
				}
			}
		})
	}
	wg.Wait()
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if !strings.HasSuffix(buf.String(), ansi.ResetAltScreenSaveCursorMode) {
		t.Error("output does not end by leaving the alternate screen")
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// Write passes a sequence through between frames and leaves the frame
// state alone: the same frame drawn again still writes nothing.
func TestScreenWritePassesThrough(t *testing.T) {
	s, rec := recorded(t, 20, 3)
	s.Draw("frame")
	rec.out.Reset()
	if _, err := s.Write([]byte("\x1b[?25l")); err != nil {
		t.Fatal(err)
	}
	if rec.out.String() != "\x1b[?25l" {
		t.Fatalf("wrote %q", rec.out.String())
	}
	writes := rec.writes
	time.Sleep(20 * time.Millisecond)
	s.Draw("frame")
	if rec.writes != writes {
		t.Error("a pass-through write made the same frame draw again")
	}
}
