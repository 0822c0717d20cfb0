package ui

import (
	"runtime"
	"slices"
	"sync"
	"time"

	"ccecert/api"
	"ccecert/store"
	"ccecert/ui/components/timeline"
)

// dataset is everything listed, prepared once per load: inert text, sort
// keys, each target's best credential, and the instants at which any
// credential's health changes. The tick costs O(changes), not O(rows).
type dataset struct {
	thresholds store.Thresholds
	location   *time.Location
	creds      []*credItem
	clusters   []*targetItem
	fleets     []*targetItem
	byKey      map[string]*targetItem
	byID       map[string]*credItem

	events  []healthEvent // sorted by at
	next    int           // events before next have been applied
	evalAt  time.Time     // the clock at the last evaluation
	today   int           // civil day the timeline was counted for
	heat    []int         // expiries per day from today
	expDays []int         // civil expiry day of every active credential
	due     int           // active credentials in warning or worse
}

type healthEvent struct {
	at   time.Time
	item *credItem
}

// newDataset prepares targets and credentials at now. Replaced credentials
// are left out: their renewal stands in for them.
func newDataset(targets []api.Target, creds []store.Credential, now time.Time, disp display) *dataset {
	th := disp.thresholds
	d := &dataset{thresholds: th, location: disp.location, byKey: make(map[string]*targetItem, len(targets)), byID: make(map[string]*credItem, len(creds))}
	for _, t := range targets {
		it := newTargetItem(t)
		d.byKey[t.Key()] = it
		if t.Kind == api.KindFleet {
			d.fleets = append(d.fleets, it)
		} else {
			d.clusters = append(d.clusters, it)
		}
	}
	d.creds = make([]*credItem, 0, len(creds))
	items := newCredItems(creds, disp, now)
	for i, c := range creds {
		it := items[i]
		if it == nil { // replaced
			continue
		}
		d.creds = append(d.creds, it)
		d.byID[c.ID] = it
		if it.due() {
			d.due++
		}
		if t, ok := d.byKey[c.Target.Key()]; ok {
			t.consider(it)
		}
		for _, at := range healthChanges(c, th) {
			d.events = append(d.events, healthEvent{at: at, item: it})
		}
		if it.notAfterNano != 0 && it.active() {
			d.expDays = append(d.expDays, it.day)
		}
	}
	slices.SortFunc(d.events, func(a, b healthEvent) int { return a.at.Compare(b.at) })
	d.next, _ = slices.BinarySearchFunc(d.events, now, func(e healthEvent, t time.Time) int {
		if e.at.After(t) {
			return 1
		}
		return -1
	})
	d.evalAt = now
	d.countHeat(now)
	return d
}

// parallelItemsFrom is how many credentials make newCredItems build their
// items in two halves at once.
const parallelItemsFrom = 2000

// newCredItems is the items of creds, by index; nil for a replaced one.
// From parallelItemsFrom credentials they are built in two halves at once
// (each item stands alone): at 10,000 the items are about a third of the
// TUI's first dataset, on the way to the first frame with countdowns.
func newCredItems(creds []store.Credential, disp display, now time.Time) []*credItem {
	out := make([]*credItem, len(creds))
	build := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			if creds[i].ReplacedBy == "" {
				out[i] = newCredItem(creds[i], disp, now)
			}
		}
	}
	n := len(creds)
	if n < parallelItemsFrom || runtime.GOMAXPROCS(0) < 2 {
		build(0, n)
		return out
	}
	var wg sync.WaitGroup
	wg.Go(func() { build(0, n/2) })
	build(n/2, n)
	wg.Wait()
	return out
}

// advance brings every health up to now and reports whether any changed.
// Going back in time (a test clock) re-evaluates everything.
func (d *dataset) advance(now time.Time) bool {
	changed := false
	if now.Before(d.evalAt) {
		for _, it := range d.creds {
			changed = d.reevaluate(it, now) || changed
		}
		d.next = 0
		for d.next < len(d.events) && !d.events[d.next].at.After(now) {
			d.next++
		}
	}
	for d.next < len(d.events) && !d.events[d.next].at.After(now) {
		changed = d.reevaluate(d.events[d.next].item, now) || changed
		d.next++
	}
	d.evalAt = now
	d.countHeat(now)
	return changed
}

// nextEvent is when the next credential's health changes, if one will.
func (d *dataset) nextEvent() (time.Time, bool) {
	if d.next < len(d.events) {
		return d.events[d.next].at, true
	}
	return time.Time{}, false
}

func (d *dataset) reevaluate(it *credItem, now time.Time) bool {
	h := it.cred.Health(now, d.thresholds)
	if h == it.health {
		return false
	}
	if it.due() {
		d.due--
	}
	it.setHealth(h)
	if it.due() {
		d.due++
	}
	return true
}

// countHeat recounts the expiry timeline when the local date changes.
func (d *dataset) countHeat(now time.Time) {
	y, m, day := now.In(d.location).Date()
	today := timeline.CivilDay(y, int(m), day)
	if d.heat != nil && today == d.today {
		return
	}
	d.today = today
	d.heat = timeline.Count(today, d.expDays)
}

// renewable lists the active credentials in warning or worse, most urgent
// first.
func (d *dataset) renewable() []*credItem {
	var out []*credItem
	for _, it := range d.creds {
		if it.due() {
			out = append(out, it)
		}
	}
	slices.SortStableFunc(out, func(a, b *credItem) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		return cmpInt64(a.notAfterNano, b.notAfterNano)
	})
	return out
}

func cmpInt64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
