package ui

import (
	"time"

	"ccecert/ui/components/header"
	"ccecert/ui/styles"
)

// viewMemo keeps the last frame. Bubble Tea asks for View after every
// message, and the once-a-second tick is most of them while the operator
// reads; when nothing the screen shows has changed since the last frame (at
// the resolution it shows time in), the frame is handed back as it is, so
// an idle TUI costs almost nothing.
type viewMemo struct {
	key    viewKey
	frame  string
	ok     bool
	frames int // frames drawn (not handed back)

	// The header changes once a minute at most; it is kept apart so a
	// frame redrawn for a seconds countdown does not render it again.
	hdrIn    header.Info
	hdrWidth int
	hdrSt    *styles.Styles
	hdr      string
}

// header renders the header line, or hands back the last one.
func (v *viewMemo) header(width int, st *styles.Styles, in header.Info) string {
	if v.hdr == "" || v.hdrIn != in || v.hdrWidth != width || v.hdrSt != st {
		v.hdr, v.hdrIn, v.hdrWidth, v.hdrSt = header.Render(width, st, in), in, width, st
	}
	return v.hdr
}

// viewKey is everything a frame depends on: the model's revision (bumped
// by every message but the tick, and by a tick that changes a health), the
// size, and the clock at the finest resolution on screen.
type viewKey struct {
	rev           uint64
	width, height int
	at            time.Time
}

// View draws the screen, or hands back the last frame when nothing on it
// has changed.
func (m Model) View() string {
	key := viewKey{rev: m.rev, width: m.width, height: m.height, at: m.now.Truncate(m.resolution())}
	if m.memo != nil && m.memo.ok && m.memo.key == key {
		return m.memo.frame
	}
	frame := m.render()
	if m.memo != nil {
		m.memo.frames++
		m.memo.key, m.memo.frame, m.memo.ok = key, frame, true
	}
	return frame
}

// resolution is the finest time step the screen shows: seconds while a
// countdown under an hour (or the spinner) is on screen, else minutes (the
// clock and the ages in the header are in minutes).
func (m Model) resolution() time.Duration {
	if m.busy() || (m.dialog == dialogNone && m.page().showsSeconds(m.now)) {
		return time.Second
	}
	return time.Minute
}

// countdowns is a page source whose rows count down to an expiry.
type countdowns interface {
	// NotAfterShown is the expiry row i counts down to, in Unix
	// nanoseconds; 0 when it shows none.
	NotAfterShown(i int) int64
}

// showsSeconds reports whether a visible row counts down within an hour of
// its expiry (either side), where the countdown shows seconds.
func (p *page) showsSeconds(now time.Time) bool {
	cd, ok := p.src.(countdowns)
	if !ok {
		return false
	}
	t := now.UnixNano()
	from, to := p.table.Visible()
	for r := from; r < to; r++ {
		na := cd.NotAfterShown(p.order[r])
		if na != 0 && na-t < int64(time.Hour) && t-na < int64(time.Hour) {
			return true
		}
	}
	return false
}
