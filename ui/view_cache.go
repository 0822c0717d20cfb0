package ui

import "time"

// viewCache is what the last View drew: the frame and its parts. Bubble
// Tea asks for View after every message, and the tick is most of them
// while the operator reads; the frame is handed back as it is until the
// model changes or the clock reaches the first instant at which something
// on it reads differently (frameUntil), so an idle TUI costs almost
// nothing. When a frame is drawn, only its parts that changed are drawn
// again.
type viewCache struct {
	frame  memo[viewKey, string]
	frames int // frames drawn (not handed back)
	parts  frameParts
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
	v := m.viewCache
	if v == nil {
		return m.render()
	}
	key := viewKey{rev: m.rev, width: m.width, height: m.height}
	frame, _ := v.frame.getAt(key, m.now.UnixNano(), func() (string, int64) {
		v.frames++
		drawn := m.render()
		return drawn, m.frameUntil() // after render: it reads the rows just drawn
	})
	return frame
}

// frameParts are the parts of the last frame, each kept with the key it
// was drawn from (see memo), so the next frame draws only what changed:
// once a second that is a few countdowns, not the whole screen.
type frameParts struct {
	header   memo[headerKey, string]
	tabs     memo[tabsKey, string]
	timeline memo[timelineKey, string]
	status   memo[statusKey, string]
	help     memo[helpKey, string] // helpH lines, each ending in "\n"
	rule     memo[int, string]     // the line above the bottom detail pane, by width
	bar      memo[int, string]     // the side pane's left edge
	detail   memo[detailKey, []string]
	// The detail pane but its line that reads the clock.
	detailSplit memo[detailKey, detailSplit]
	buf         []byte // the frame being written
}

// headerKey: the header shows the inventory's age and the clock, both in
// minutes.
type headerKey struct {
	profile      string
	width        int
	fetched      time.Time
	age          agoStep
	hour, minute int
	context      string
}

func (m Model) headerKey(w int) headerKey {
	h, mi, _ := m.now.In(m.opts.Location).Clock()
	k := headerKey{profile: m.profile.Name, width: w, fetched: m.fetchedAt, hour: h, minute: mi, context: m.currentContextText()}
	if !m.fetchedAt.IsZero() {
		k.age = agoStepOf(m.now.Sub(m.fetchedAt))
	}
	return k
}

// tabsKey: the tabs show the page, its filter, row counts and sort; the
// filter being typed is a text input, redrawn with every message.
type tabsKey struct {
	width, active int
	rev           uint64 // only while the filter is typed
	filter        string
	shown, total  int
	sort          int
}

func (m Model) tabsKey(w int) tabsKey {
	p := m.page()
	k := tabsKey{width: w, active: m.active, filter: p.filter, sort: p.sort}
	k.shown, k.total = p.counts()
	if m.filtering {
		k.rev = m.rev
	}
	return k
}

// timelineKey: the heat strip is counted anew for a new dataset or day.
type timelineKey struct {
	width int
	heat  *int
}

func (m Model) timelineKey(w int) timelineKey {
	k := timelineKey{width: w}
	if len(m.data.heat) > 0 {
		k.heat = &m.data.heat[0]
	}
	return k
}

// statusKey: the status line changes with messages, and with the clock
// only through the stale marker's age.
type statusKey struct {
	rev   uint64
	width int
	stale bool
	age   agoStep
}

func (m Model) statusKey(w int) statusKey {
	k := statusKey{rev: m.rev, width: w}
	if !m.fetchedAt.IsZero() && m.now.Sub(m.fetchedAt) > m.opts.StaleAfter {
		k.stale, k.age = true, agoStepOf(m.now.Sub(m.fetchedAt))
	}
	return k
}

// helpKey: the help changes with messages (the keys that work now) and
// the layout.
type helpKey struct {
	rev          uint64
	width, lines int
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
		if age <= m.opts.StaleAfter {
			until = min(until, fetched+int64(m.opts.StaleAfter)+1)
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
	if shown == nil || shown.notAfterNano == 0 {
		return never
	}
	until := usedPercentEnd(shown.cred, m.now)
	return min(until, countdownKeyOf(shown, m.now).step.end(shown.cred.NotAfter.UnixNano()))
}
