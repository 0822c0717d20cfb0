package ui

import (
	"time"

	"ccecert/ui/components/table"
)

// fleetsPage lists UCS fleets.
type fleetsPage struct{ items []*targetItem }

func (fleetsPage) Title() string { return "Fleets" }

func (fleetsPage) Columns() []table.Column {
	return []table.Column{
		{Title: "NAME", Width: 8, Shrink: 1},
		{Title: "MEMBERS", Width: 7, Shrink: 3, Fit: table.FitList, Drop: 1},
		{Title: "FEDERATION", Width: 3, Drop: 2},
		{Title: "CONTEXT", Width: 8, Shrink: 2},
		{Title: "CERTIFICATE", Width: countdownWidth},
	}
}

// Content is what the columns' cells need, over every fleet.
func (p fleetsPage) Content() []table.Content {
	return measureCells(p.Columns(), len(p.items), func(i int, buf []string) {
		it := p.items[i]
		buf[0], buf[1], buf[2], buf[3] = it.name, it.members, it.federation, bestContext(it)
	})
}

func (p fleetsPage) Len() int              { return len(p.items) }
func (p fleetsPage) Key(i int) string      { return p.items[i].key }
func (p fleetsPage) Haystack(i int) string { return p.items[i].filter }
func (fleetsPage) Empty() string           { return "no fleets yet — ctrl+r lists them from the cloud" }

func (p fleetsPage) SortModes() []sortMode { return targetSortModes(p.items, false) }

func (p fleetsPage) Row(i int, now time.Time, cc *clockCell, buf []string) (table.Row, int64) {
	it := p.items[i]
	var until int64
	buf[0], buf[1], buf[2] = it.name, it.members, it.federation
	buf[3] = bestContext(it)
	buf[4], until = bestCell(it.best, now, cc)
	return table.Row{Cells: buf, Style: targetRow(it)}, until
}
