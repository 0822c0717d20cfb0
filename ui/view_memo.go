package ui

import "time"

// viewMemo keeps the last frame. Bubble Tea asks for View after every
// message, and the tick is most of them while the operator reads; the frame
// is handed back as it is until the model changes or the clock reaches the
// first instant at which something on it reads differently (frameUntil),
// so an idle TUI costs almost nothing.
type viewMemo struct {
	key         viewKey
	from, until int64 // the instants (Unix ns) the frame holds for
	frame       string
	ok          bool
	frames      int // frames drawn (not handed back)

	// When a frame is drawn, only its parts that changed are drawn again.
	parts frameParts
}

// viewKey is everything a frame depends on but the clock: the model's
// revision (bumped by every message but the tick, and by a tick that
// changes a health) and the size.
type viewKey struct {
	rev           uint64
	width, height int
}

// View draws the screen, or hands back the last frame when nothing on it
// has changed.
func (m Model) View() string {
	t := m.now.UnixNano()
	key := viewKey{rev: m.rev, width: m.width, height: m.height}
	if v := m.memo; v != nil && v.ok && v.key == key && v.from <= t && t < v.until {
		return v.frame
	}
	frame := m.render()
	if v := m.memo; v != nil {
		v.frames++
		v.key, v.frame, v.ok = key, frame, true
		v.from, v.until = t, max(m.frameUntil(), t+1)
	}
	return frame
}

// frameUntil is the first instant, after the frame just drawn at m.now, at
// which it may read differently with only the clock moving: the next minute
// (the clock, and a new day's timeline), a visible row's or the detail
// pane's countdown or lifetime share, the inventory's age or its going
// stale. (The spinner moves by its own messages.) A countdown in seconds
// makes that every second; otherwise the TUI wakes a few times a minute.
func (m Model) frameUntil() int64 {
	until := m.now.Truncate(time.Minute).Add(time.Minute).UnixNano()
	if m.dialog == dialogNone {
		until = min(until, m.page().until, m.detailUntil())
	}
	if !m.fetchedAt.IsZero() {
		fetched, age := m.fetchedAt.UnixNano(), m.now.Sub(m.fetchedAt)
		until = min(until, agoStepOf(age).end(fetched)) // header and STALE ages
		if age <= m.o.StaleAfter {
			until = min(until, fetched+int64(m.o.StaleAfter)+1)
		}
	}
	return until
}

// detailUntil is the first instant the detail pane's countdown or
// lifetime share reads differently.
func (m Model) detailUntil() int64 {
	var shown *credItem
	if m.active == pageCredentials {
		shown = m.selectedCred()
	} else if t := m.selectedTarget(); t != nil {
		shown = t.best
	}
	if shown == nil || shown.na == 0 {
		return never
	}
	until := usedPercentEnd(shown.c, m.now)
	return min(until, countdownKeyOf(shown, m.now).step.end(shown.c.NotAfter.UnixNano()))
}
