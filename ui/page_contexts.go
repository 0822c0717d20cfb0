package ui

import (
	"strings"
	"time"

	"ccecert/ui/components/table"
)

// contextsPage lists every context of every $KUBECONFIG file, foreign ones
// too; the current one is marked with "*" (and listed first by default).
type contextsPage struct{ items []*contextItem }

func (contextsPage) Title() string { return "Contexts" }

func (contextsPage) Columns() []table.Column {
	return []table.Column{
		{Title: "  NAME", Width: 18, Flex: 4},
		{Title: "NAMESPACE", Width: 10, Flex: 1, Drop: 2},
		{Title: "CERTIFICATE", Width: 14, Flex: 1},
		{Title: "SOURCE", Width: 8, Drop: 3},
		{Title: "SERVER", Width: 14, Flex: 2, Drop: 4},
		{Title: "USER", Width: 10, Flex: 1, Drop: 5},
		{Title: "FILE", Width: 12, Flex: 2, Drop: 6},
	}
}

func (p contextsPage) Len() int              { return len(p.items) }
func (p contextsPage) Key(i int) string      { return p.items[i].kc.Name }
func (p contextsPage) Haystack(i int) string { return p.items[i].filter }
func (contextsPage) Empty() string {
	return "no contexts in the kubeconfig files — fetch a credential, or set $KUBECONFIG"
}

func (p contextsPage) SortModes() []sortMode {
	items := p.items
	byName := func(a, b int) int { return strings.Compare(items[a].kc.Name, items[b].kc.Name) }
	return []sortMode{
		{name: "current", cmp: func(a, b int) int {
			if x, y := items[a].kc.Current, items[b].kc.Current; x != y {
				if x {
					return -1
				}
				return 1
			}
			return byName(a, b)
		}},
		{name: "name", cmp: byName},
		{name: "expiry", cmp: func(a, b int) int {
			if c := cmpInt64(ctxExpiry(items[a]), ctxExpiry(items[b])); c != 0 {
				return c
			}
			return byName(a, b)
		}},
		{name: "file", cmp: func(a, b int) int {
			if c := strings.Compare(items[a].kc.File, items[b].kc.File); c != 0 {
				return c
			}
			return byName(a, b)
		}},
	}
}

// ctxExpiry sorts contexts by their credential's expiry, unknown last.
func ctxExpiry(it *contextItem) int64 {
	if it.cred == nil {
		return 1<<63 - 1
	}
	return naKey(it.cred)
}

func (p contextsPage) Row(i int, now time.Time, cc *clockCell, buf []string) (table.Row, int64) {
	it := p.items[i]
	mark := "  "
	if it.kc.Current {
		mark = "* "
	}
	buf[0], buf[1] = mark+it.name, it.namespace
	until := int64(never)
	if it.cred != nil {
		buf[2], until = bestCell(it.cred, now, cc)
	} else {
		buf[2] = "—"
	}
	buf[3], buf[4], buf[5], buf[6] = it.source, it.server, it.user, it.file
	style := rowPlain
	if it.cred != nil {
		style = healthRow(it.cred.health)
	}
	return table.Row{Cells: buf, Style: style}, until
}
