// Package screen draws a full-screen program's frames on a terminal's
// alternate screen.
//
// It paints the way Bubble Tea v1's standard renderer does — only the lines
// that changed since the last frame are written, each cut to the terminal's
// width, with the rest of a shorter line erased — but it writes when a frame
// arrives instead of on a ticker. Bubble Tea's renderer wakes the process
// every frame interval (20–60 times a second) to look for a new frame even
// when nothing changes; a TUI drawn with a Screen does not wake at all while
// its frame stays the same. Frames closer together than the frame interval
// are coalesced: the latest is written when the interval is up.
package screen

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// Screen is the terminal's alternate screen. Its methods are safe for
// concurrent use.
type Screen struct {
	out      io.Writer
	interval time.Duration
	now      func() time.Time
	after    func(time.Duration, func()) stopper

	mu            sync.Mutex
	width, height int
	active        bool      // between Start and Stop
	lines         []string  // the lines on the terminal
	raw           []string  // the same lines as the frame had them (before fit)
	pending       string    // the newest frame, not written yet
	dirty         bool      // pending is to be written
	wrote         time.Time // when the last frame was written
	timer         stopper   // the coalesced write waiting for the interval
	buf           bytes.Buffer
	err           error // the first write error
}

// stopper is a pending timer (time.Timer, or a test's).
type stopper interface{ Stop() bool }

// New returns a Screen writing to out (the terminal) at most fps frames a
// second.
func New(out io.Writer, fps int) *Screen {
	return &Screen{
		out:      out,
		interval: time.Second / time.Duration(max(fps, 1)),
		now:      time.Now,
		after:    func(d time.Duration, f func()) stopper { return time.AfterFunc(d, f) },
	}
}

// Start switches to the alternate screen, clears it, hides the cursor and
// turns bracketed paste on (a paste arrives as one message, not as keys).
func (s *Screen) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.active {
		return nil
	}
	s.active, s.lines, s.raw = true, nil, nil
	s.write(ansi.SetAltScreenSaveCursorMode + ansi.EraseEntireScreen + ansi.CursorHomePosition +
		ansi.HideCursor + ansi.SetBracketedPasteMode)
	return s.err
}

// Stop writes the frame still waiting for its interval, then restores the
// terminal: bracketed paste off, cursor shown, main screen back. It returns
// the first error writing to the terminal, if any.
func (s *Screen) Stop() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.active {
		return s.err
	}
	if s.timer != nil {
		s.timer.Stop()
		s.timer = nil
	}
	s.flush()
	s.active = false
	s.write(ansi.ResetBracketedPasteMode + ansi.ShowCursor + ansi.ResetAltScreenSaveCursorMode)
	return s.err
}

// Resize sets the terminal's size; the next frame rewrites every line.
func (s *Screen) Resize(width, height int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if width == s.width && height == s.height {
		return
	}
	s.width, s.height, s.lines, s.raw = width, height, nil, nil
}

// Draw shows frame: at once, or when the frame interval since the last
// write is up (a newer frame drawn meanwhile replaces it). A frame equal to
// the one on screen writes nothing.
func (s *Screen) Draw(frame string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.active {
		return
	}
	s.pending, s.dirty = frame, true
	if s.timer != nil {
		return // the waiting write will take this frame
	}
	if wait := s.interval - s.now().Sub(s.wrote); wait > 0 {
		s.timer = s.after(wait, s.onTimer)
		return
	}
	s.flush()
}

// Write sends p to the terminal as it is, between frames: a sequence that
// draws nothing, such as a clipboard request (OSC 52), written by another
// goroutine without tearing a frame in half.
func (s *Screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.Write(p)
}

// onTimer writes the frame that waited for the interval.
func (s *Screen) onTimer() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.timer = nil
	if s.active {
		s.flush()
	}
}

// flush writes the pending frame's changed lines. The caller holds mu.
func (s *Screen) flush() {
	if !s.dirty {
		return
	}
	s.dirty = false
	raw, lines := s.fit(s.pending)
	if slices.Equal(lines, s.lines) {
		s.raw = raw
		return
	}
	s.buf.Reset()
	s.buf.WriteString(ansi.CursorHomePosition)
	for i, line := range lines {
		if i > 0 {
			s.buf.WriteString("\r\n")
		}
		if i < len(s.lines) && s.lines[i] == line {
			continue // unchanged: the cursor just moves down
		}
		s.buf.WriteString(line)
		if s.width <= 0 || ansi.StringWidth(line) < s.width {
			s.buf.WriteString(ansi.EraseLineRight)
		}
	}
	if len(lines) < len(s.lines) {
		// Erase the rows below the frame, from the start of the first one
		// (erasing from the cursor would take an unchanged last line too).
		s.buf.WriteString("\r\n" + ansi.EraseScreenBelow)
	}
	s.write(s.buf.String())
	s.lines, s.raw, s.wrote = lines, raw, s.now()
}

// fit splits frame into its lines (raw) and the lines the terminal can
// show: the last height lines (as Bubble Tea keeps the bottom of a frame
// taller than the terminal), each cut to the width. A line the last frame
// had at the same row is not measured again.
func (s *Screen) fit(frame string) (raw, lines []string) {
	raw = strings.Split(frame, "\n")
	if s.height > 0 && len(raw) > s.height {
		raw = raw[len(raw)-s.height:]
	}
	lines = make([]string, len(raw))
	for i, line := range raw {
		switch {
		case i < len(s.raw) && s.raw[i] == line:
			line = s.lines[i]
		case s.width > 0 && ansi.StringWidth(line) > s.width:
			line = ansi.Truncate(line, s.width, "")
		}
		lines[i] = line
	}
	return raw, lines
}

// write sends seq to the terminal, keeping the first error. The caller
// holds mu.
func (s *Screen) write(seq string) {
	if _, err := io.WriteString(s.out, seq); err != nil && s.err == nil {
		s.err = err
	}
}
