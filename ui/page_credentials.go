package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"ccecert/store"
	"ccecert/ui/components/table"
	"ccecert/ui/styles"
)

// credentialsPage lists credentials.
type credentialsPage struct{ items []*credItem }

const barWidth = 10

func (credentialsPage) Title() string { return "Credentials" }

func (credentialsPage) Columns() []table.Column {
	return []table.Column{
		{Title: "TARGET", Width: 8, Shrink: 1},
		{Title: "CONTEXT", Width: 8, Shrink: 2, Fit: table.FitList},
		{Title: "EXPIRES", Width: 16, Drop: 4},
		{Title: "REMAINING", Width: countdownWidth, Align: table.Right},
		{Title: "LIFETIME", Width: barWidth, Drop: 3},
		{Title: "HEALTH", Width: 9},
		{Title: "SOURCE", Width: 6, Drop: 5},
		{Title: "FILE", Width: 8, Shrink: 3, Fit: table.FitPath, Drop: 2},
	}
}

// Content is what the columns' cells need, over every credential.
func (p credentialsPage) Content() []table.Content {
	return measureCells(p.Columns(), len(p.items), func(i int, buf []string) {
		it := p.items[i]
		buf[0], buf[1], buf[6], buf[7] = it.target, contextsCell(it), string(it.cred.Source), it.file
	})
}

// contextsCell is the contexts a credential wrote; a revoke removed them.
func contextsCell(it *credItem) string {
	switch {
	case it.contexts == "":
		return "—"
	case it.cred.Revoked():
		return "— removed"
	}
	return it.contexts
}

func (p credentialsPage) Len() int              { return len(p.items) }
func (p credentialsPage) Key(i int) string      { return p.items[i].cred.ID }
func (p credentialsPage) Haystack(i int) string { return p.items[i].filter }
func (credentialsPage) Empty() string {
	return "no credentials yet — pick a cluster and press enter to fetch one"
}

func (p credentialsPage) SortModes() []sortMode {
	items := p.items
	byName := func(a, b int) int { return strings.Compare(items[a].sortName, items[b].sortName) }
	return []sortMode{
		{name: "urgency", cmp: func(a, b int) int {
			x, y := items[a], items[b]
			if x.rank != y.rank {
				return x.rank - y.rank
			}
			if c := cmpInt64(naKey(x), naKey(y)); c != 0 {
				return c
			}
			return byName(a, b)
		}},
		{name: "expiry", cmp: func(a, b int) int {
			if c := cmpInt64(naKey(items[a]), naKey(items[b])); c != 0 {
				return c
			}
			return byName(a, b)
		}},
		{name: "target", cmp: byName},
		{name: "source", cmp: func(a, b int) int {
			if c := strings.Compare(string(items[a].cred.Source), string(items[b].cred.Source)); c != 0 {
				return c
			}
			return byName(a, b)
		}},
	}
}

// naKey sorts "no expiry" after every date.
func naKey(it *credItem) int64 {
	if it.notAfterNano == 0 {
		return 1<<63 - 1
	}
	return it.notAfterNano
}

func (p credentialsPage) Row(i int, now time.Time, cc *clockCell, buf []string) (table.Row, int64) {
	it := p.items[i]
	buf[0], buf[1], buf[2] = it.target, contextsCell(it), it.expires
	until := int64(never)
	if shownNA(it) != 0 {
		buf[3], until = cc.get(it, now, remaining)
	} else {
		buf[3] = remaining(it, now)
	}
	buf[4] = lifetimeBar(it.cred, now, barWidth)
	until = min(until, barEnd(it.cred, now, barWidth))
	buf[5] = badge(it.health)
	buf[6] = string(it.cred.Source)
	buf[7] = it.file
	return table.Row{Cells: buf, Style: healthRow(it.health)}, until
}

// remaining is the live countdown cell; a revoked or replaced credential
// has no countdown left.
func remaining(it *credItem, now time.Time) string {
	switch {
	case it.cred.Revoked():
		return "revoked"
	case it.cred.ReplacedBy != "":
		return "replaced"
	case it.notAfterNano == 0:
		return "no expiry info"
	}
	return store.Countdown(it.cred.NotAfter, now)
}

// The row styles, indexes into rowStyles: a row takes the style of its
// health.
const (
	rowPlain = iota
	rowWarn
	rowCritical
	rowExpired
	rowRevoked
	rowUnknown
	numRowStyles
)

// healthRow is the row style of a health.
func healthRow(h store.Health) int {
	switch h {
	case store.HealthOK:
		return rowPlain
	case store.HealthWarning, store.HealthNotYet:
		return rowWarn
	case store.HealthCritical:
		return rowCritical
	case store.HealthExpired:
		return rowExpired
	case store.HealthRevoked, store.HealthReplaced:
		return rowRevoked
	}
	return rowUnknown
}

// rowStyle is the style of a row style index.
func rowStyle(k int, st *styles.Styles) lipgloss.Style {
	switch k {
	case rowWarn:
		return st.Warn
	case rowCritical:
		return st.Critical
	case rowExpired:
		return st.Expired
	case rowRevoked:
		return st.Revoked
	case rowUnknown:
		return st.Unknown
	}
	return st.App
}

// rowStyles are the tables' row styles, by index.
func rowStyles(st *styles.Styles) []lipgloss.Style {
	out := make([]lipgloss.Style, numRowStyles)
	for k := range out {
		out[k] = rowStyle(k, st)
	}
	return out
}

// healthStyle is the style of a health.
func healthStyle(h store.Health, st *styles.Styles) lipgloss.Style {
	return rowStyle(healthRow(h), st)
}

// shownNA is the expiry a countdown cell draws for c, or 0 for none.
func shownNA(c *credItem) int64 {
	if c == nil || c.cred.Revoked() || c.cred.ReplacedBy != "" {
		return 0
	}
	return c.notAfterNano
}
