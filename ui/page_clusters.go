package ui

import (
	"strings"
	"time"

	"ccecert/store"
	"ccecert/ui/components/table"
	"ccecert/ui/sanitize"
)

// clustersPage lists CCE and Autopilot clusters.
type clustersPage struct{ items []*targetItem }

func (clustersPage) Title() string { return "Clusters" }

func (clustersPage) Columns() []table.Column {
	return []table.Column{
		{Title: "NAME", Width: 8, Shrink: 1},
		{Title: "REGION", Width: 6, Drop: 1},
		{Title: "KIND", Width: 4, Drop: 4},
		{Title: "VERSION", Width: 5, Drop: 3},
		{Title: "PHASE", Width: 5, Drop: 2},
		{Title: "ENDPOINT", Width: 3, Drop: 5},
		{Title: "CONTEXT", Width: 8, Shrink: 2},
		{Title: "CERTIFICATE", Width: countdownWidth},
	}
}

// Content is what the columns' cells need, over every cluster.
func (p clustersPage) Content() []table.Content {
	return measureCells(p.Columns(), len(p.items), func(i int, buf []string) {
		it := p.items[i]
		buf[0], buf[1], buf[2], buf[3], buf[4], buf[5] = it.name, it.region, it.kind, it.version, it.phase, it.endpoints
		buf[6] = bestContext(it) // the countdown is as wide as its column
	})
}

func (p clustersPage) Len() int              { return len(p.items) }
func (p clustersPage) Key(i int) string      { return p.items[i].key }
func (p clustersPage) Haystack(i int) string { return p.items[i].filter }
func (clustersPage) Empty() string           { return "no clusters yet — ctrl+r lists them from the cloud" }

func (p clustersPage) SortModes() []sortMode { return targetSortModes(p.items, true) }

func (p clustersPage) Row(i int, now time.Time, cc *clockCell, buf []string) (table.Row, int64) {
	it := p.items[i]
	buf[0], buf[1], buf[2], buf[3], buf[4], buf[5] = it.name, it.region, it.kind, it.version, it.phase, it.endpoints
	buf[6] = bestContext(it)
	var until int64
	buf[7], until = bestCell(it.best, now, cc)
	return table.Row{Cells: buf, Style: targetRow(it)}, until
}

// targetSortModes: most urgent first, by name, by region.
func targetSortModes(items []*targetItem, byRegion bool) []sortMode {
	modes := []sortMode{
		{name: "urgency", cmp: func(a, b int) int {
			x, y := items[a], items[b]
			if x.rank() != y.rank() {
				return x.rank() - y.rank()
			}
			if c := cmpInt64(x.bestNA(), y.bestNA()); c != 0 {
				return c
			}
			return strings.Compare(x.sortName, y.sortName)
		}},
		{name: "name", cmp: func(a, b int) int { return strings.Compare(items[a].sortName, items[b].sortName) }},
	}
	if byRegion {
		modes = append(modes, sortMode{name: "region", cmp: func(a, b int) int {
			if c := strings.Compare(items[a].region, items[b].region); c != 0 {
				return c
			}
			return strings.Compare(items[a].sortName, items[b].sortName)
		}})
	}
	return modes
}

// countdownWidth holds every countdown cell whole: "EXPIRED 364d ago",
// "NOT YET 10y 364d", "expired 364d ago".
const countdownWidth = 16

// bestContext is the context of a target's best credential, inert.
func bestContext(it *targetItem) string {
	if it.best == nil || it.best.context == "" {
		return "—"
	}
	return sanitize.Line(it.best.context)
}

// bestCell is certCell, kept in cc while it reads the same, and the
// instant it changes next.
func bestCell(best *credItem, now time.Time, cc *clockCell) (string, int64) {
	if best == nil || best.notAfterNano == 0 {
		return certCell(best, now), never
	}
	return cc.get(best, now, certCell)
}

// certCell is the best credential's badge and live countdown.
func certCell(best *credItem, now time.Time) string {
	if best == nil {
		return "none"
	}
	if best.notAfterNano == 0 {
		return badge(best.health)
	}
	left := store.Countdown(best.cred.NotAfter, now)
	if best.health == store.HealthExpired {
		left = strings.TrimPrefix(left, "expired ") // "EXPIRED 3d ago"
	}
	return badge(best.health) + " " + left
}

// targetRow colours a target's row by its best credential's health.
func targetRow(it *targetItem) int {
	if it.best == nil {
		return rowPlain
	}
	return healthRow(it.best.health)
}
