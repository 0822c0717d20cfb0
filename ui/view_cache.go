package ui

import "time"

// frameParts are the parts of the last frame, each kept with the key it
// was drawn from, so the next frame draws only what changed: once a second
// that is a few countdowns, not the whole screen. A key holds everything
// its part reads that can change: the model's revision (bumped by every
// message but the tick) for what messages change, and for what reads the
// clock, the clock at the step the part shows it in.
type frameParts struct {
	header   part[headerKey, string]
	tabs     part[tabsKey, string]
	timeline part[timelineKey, string]
	status   part[statusKey, string]
	help     part[helpKey, string] // helpH lines, each ending in "\n"
	rule     part[int, string]     // the line above the bottom detail pane, by width
	bar      part[int, string]     // the side pane's left edge
	detail   part[detailKey, []string]
	// The detail pane but its line that reads the clock.
	detailSplit part[detailKey, detailSplit]
	buf         []byte // the frame being written
}

// part is one kept part and the key it was drawn for.
type part[K comparable, V any] struct {
	key K
	ok  bool
	val V
}

// get hands back the part drawn for key, or draws it.
func (p *part[K, V]) get(key K, draw func() V) V {
	if !p.ok || p.key != key {
		p.key, p.val, p.ok = key, draw(), true
	}
	return p.val
}

// headerKey: the header shows the inventory's age and the clock, both in
// minutes.
type headerKey struct {
	width        int
	fetched      time.Time
	age          agoStep
	hour, minute int
}

func (m Model) headerKey(w int) headerKey {
	h, mi, _ := m.now.In(m.o.Location).Clock()
	k := headerKey{width: w, fetched: m.fetchedAt, hour: h, minute: mi}
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
	if !m.fetchedAt.IsZero() && m.now.Sub(m.fetchedAt) > m.o.StaleAfter {
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
