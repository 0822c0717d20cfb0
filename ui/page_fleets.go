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
	out := make([]table.Content, 5)
	for _, it := range p.items {
		out[0].Grow(table.FitEnd, it.name)
		out[1].Grow(table.FitList, it.members)
		out[2].Grow(table.FitEnd, it.federation)
		out[3].Grow(table.FitEnd, bestContext(it))
	}
	return out
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
