package ui

import (
	"strconv"
	"strings"

	"ccecert/api"
	"ccecert/ui/sanitize"
)

// targetItem is one cluster or fleet prepared for display, with its best
// credential: the active one with the most time left, a TLS-verifying one
// on a tie.
type targetItem struct {
	target     api.Target
	key        string // target.Key()
	name       string // inert
	region     string
	kind       string
	version    string
	phase      string
	endpoints  string // "int+ext", "int", "—"
	members    string // fleets: "3: a, b, c"
	federation string // fleets: "on" / "off"
	sortName   string
	filter     string
	best       *credItem
	creds      int // credentials of this target, any state
}

func newTargetItem(t api.Target) *targetItem {
	it := &targetItem{
		target:  t,
		key:     t.Key(),
		name:    sanitize.Line(t.Name),
		region:  sanitize.Line(t.Region),
		kind:    sanitize.Line(string(t.Kind)),
		version: sanitize.Line(t.Version),
		phase:   sanitize.Line(t.Phase),
	}
	switch {
	case t.Endpoints.Internal != "" && t.HasEIP():
		it.endpoints = "int+ext"
	case t.Endpoints.Internal != "":
		it.endpoints = "int"
	case t.HasEIP():
		it.endpoints = "ext"
	default:
		it.endpoints = "—"
	}
	if t.Kind == api.KindFleet {
		it.members = strconv.Itoa(len(t.Members))
		if len(t.Members) > 0 {
			it.members += ": " + sanitize.Line(strings.Join(t.Members, ", "))
		}
		it.federation = "off"
		if t.Federation {
			it.federation = "on"
		}
	}
	it.sortName = strings.ToLower(it.name)
	it.filter = strings.ToLower(strings.Join([]string{it.name, it.region, it.kind, it.version, it.phase, t.ID, it.members}, " "))
	return it
}

// consider makes c the best credential if it beats the current one.
func (it *targetItem) consider(c *credItem) {
	it.creds++
	if !c.active() {
		return
	}
	b := it.best
	switch {
	case b == nil:
		it.best = c
	case b.notAfterNano == 0 && c.notAfterNano != 0: // a dated certificate beats "no expiry info"
		it.best = c
	case c.notAfterNano > b.notAfterNano && c.notAfterNano != 0:
		it.best = c
	case c.notAfterNano == b.notAfterNano && c.verify && !b.verify:
		it.best = c
	}
}

// rank is the target's urgency: its best credential's, or after all of them
// when it has none.
func (it *targetItem) rank() int {
	if it.best == nil {
		return 100
	}
	return it.best.rank
}

// bestNA is the best credential's NotAfter for sorting; none sorts last.
func (it *targetItem) bestNA() int64 {
	if it.best == nil || it.best.notAfterNano == 0 {
		return 1<<63 - 1
	}
	return it.best.notAfterNano
}
