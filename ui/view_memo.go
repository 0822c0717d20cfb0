package ui

import "time"

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

	// When a frame is drawn, only its parts that changed are drawn again.
	parts frameParts
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
	if m.busy() || (m.dialog == dialogNone && m.page().showsSeconds(m.now, m.rev)) {
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

// secondsAnswer is showsSeconds' last answer and the span of instants,
// at model revision rev, for which it holds.
type secondsAnswer struct {
	ok          bool
	rev         uint64
	from, until int64
	shows       bool
}

// showsSeconds reports whether a visible row counts down within an hour of
// its expiry (either side), where the countdown shows seconds. The answer
// is kept until a row enters or leaves that hour or the model changes, so
// an idle second does not read every visible row's credential again.
func (p *page) showsSeconds(now time.Time, rev uint64) bool {
	t := now.UnixNano()
	a := &p.seconds
	if a.ok && a.rev == rev && a.from <= t && t < a.until {
		return a.shows
	}
	*a = secondsAnswer{ok: true, rev: rev, from: t, until: never}
	cd, ok := p.src.(countdowns)
	if !ok {
		return false
	}
	const hour = int64(time.Hour)
	from, to := p.table.Visible()
	for r := from; r < to; r++ {
		na := cd.NotAfterShown(p.order[r])
		switch {
		case na == 0:
		case na-t < hour && t-na < hour: // within the hour: leaves it an hour after
			a.shows, a.until = true, min(a.until, na+hour)
		case na-t >= hour: // ahead: enters the hour before it
			a.until = min(a.until, na-hour+1)
		}
	}
	return a.shows
}
