package table

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// Fit is how a cell wider than its column is shortened.
type Fit int

// The ways a cell is shortened.
const (
	// FitEnd cuts the end: "prod-payments-inter…".
	FitEnd Fit = iota
	// FitPath cuts a path from the left at a separator, so the file's
	// name and its nearest directories stay: "…/ccecert/demo/kubeconfig".
	FitPath
	// FitList keeps the first names of a ", " list whole and counts the
	// rest: "staging-auto-internal +1".
	FitList
)

const ellipsis = "…"

// shorten fits s, wider than w cells, into w cells as f says.
func (f Fit) shorten(s string, w int) string {
	switch f {
	case FitPath:
		return fitPath(s, w)
	case FitList:
		return fitList(s, w)
	}
	return ansi.Truncate(s, w, ellipsis)
}

// least is the narrowest s reads without a name cut: a path's file name
// and its directory after "…/", a list's first name and the count of the
// rest, else s.
func (f Fit) least(s string) int { return f.leastOf(s, width(s)) }

// leastOf is least for s of width full.
func (f Fit) leastOf(s string, full int) int {
	switch f {
	case FitPath:
		if i := strings.LastIndexAny(s, `/\`); i > 0 {
			if j := strings.LastIndexAny(s[:i], `/\`); j > 0 {
				i = j
			}
			return min(full, 1+width(s[i:])) // "…" is one cell
		}
	case FitList:
		if first, rest, ok := strings.Cut(s, listSep); ok {
			return min(full, width(first)+width(more(strings.Count(rest, listSep)+1)))
		}
	}
	return full
}

const listSep = ", "

// more is the count of the names left out: " +2".
func more(n int) string {
	return " +" + strconv.Itoa(n)
}

// fitPath keeps the longest tail of s that starts at a separator and fits
// after "…"; when even the file name does not, its end.
func fitPath(s string, w int) string {
	for i := 1; i < len(s); i++ {
		if (s[i] == '/' || s[i] == '\\') && 1+width(s[i:]) <= w {
			return ellipsis + s[i:]
		}
	}
	if w <= 1 {
		return ansi.Truncate(s, w, "")
	}
	return ellipsis + ansi.TruncateLeft(s, width(s)-(w-1), "")
}

// fitList keeps as many whole names of the list as fit with the count of
// the others; when not even the first does, the first cut and the count.
func fitList(s string, w int) string {
	n := strings.Count(s, listSep) + 1
	if n == 1 {
		return ansi.Truncate(s, w, ellipsis)
	}
	// The names before each separator, longest first, with the count of
	// the rest: measured in place, the string built once.
	end, k := len(s), n
	for {
		i := strings.LastIndex(s[:end], listSep)
		if i < 0 {
			break
		}
		end, k = i, k-1
		if width(s[:end])+2+digits(n-k) <= w {
			return s[:end] + more(n-k)
		}
	}
	if tail := 2 + digits(n-1); w > tail+1 {
		return ansi.Truncate(s[:end], w-tail, ellipsis) + more(n-1)
	}
	return ansi.Truncate(s, w, ellipsis)
}

// digits is the number of decimal digits of n > 0.
func digits(n int) int {
	d := 1
	for ; n >= 10; n /= 10 {
		d++
	}
	return d
}

// Content is what a column's cells need: Natural is the widest cell,
// Least the narrowest its widest cell reads without a name cut (see Fit).
type Content struct {
	Natural, Least int
}

// Measure is the Content of cells for a column that shortens them as fit.
func Measure(fit Fit, cells ...string) Content {
	var c Content
	for _, s := range cells {
		c.Grow(fit, s)
	}
	return c
}

// Grow widens c to hold the cell s too.
func (c *Content) Grow(fit Fit, s string) {
	w := width(s)
	c.Natural = max(c.Natural, w)
	if fit == FitEnd {
		c.Least = max(c.Least, w)
	} else if w > c.Least {
		c.Least = max(c.Least, fit.leastOf(s, w))
	}
}

// fitLayout lays the columns out from their content within total:
//
//  1. each column takes what its widest cell needs (never less than its
//     title, nor than its Width, its floor); the spare width stays at the
//     right, so a short column is not padded;
//  2. too wide: the columns that Shrink give way, highest Shrink first,
//     down to their Least (paths to their file name, lists to their first
//     name), no name cut yet;
//  3. still too wide: the most droppable column goes (highest Drop) and
//     the layout starts again without it; once they fit, a column dropped
//     on the way that fits again comes back;
//  4. nothing left to drop: names are cut, the shrinking columns first,
//     down to their Width.
func fitLayout(cols []Column, content []Content, total int) []int {
	shown := make([]bool, len(cols))
	for i := range shown {
		shown[i] = true
	}
	var dropped []int
	for {
		widths, floor, over := fitShown(cols, content, shown, total)
		if over <= 0 {
			// A drop may free more than was over: the dropped columns
			// that fit again come back, the least droppable first.
			for k := len(dropped) - 1; k >= 0; k-- {
				shown[dropped[k]] = true
				w, _, o := fitShown(cols, content, shown, total)
				if o > 0 {
					shown[dropped[k]] = false
					continue
				}
				widths = w
			}
			return widths
		}
		if drop := mostDroppable(cols, shown); drop >= 0 {
			shown[drop] = false
			dropped = append(dropped, drop)
			continue
		}
		over = give(cols, widths, floor, over, true)
		give(cols, widths, floor, over, false)
		return widths
	}
}

// Natural is the width the table takes with every column whole, the
// selection marker included; 0 before SetContent.
func (m Model) Natural() int { return m.natural }

// naturalWidth is Natural for cols holding content.
func naturalWidth(cols []Column, content []Content) int {
	shown := make([]bool, len(cols))
	for i := range shown {
		shown[i] = true
	}
	widths, _, _ := fitShown(cols, content, shown, 1<<30)
	return markerWidth + usedWidth(widths)
}

// fitShown lays out the shown columns, the shrinking ones given way down
// to their Least; over is what is still too wide (≤ 0: they fit), floor
// each column's Width.
func fitShown(cols []Column, content []Content, shown []bool, total int) (widths, floor []int, over int) {
	widths = make([]int, len(cols))
	floor = make([]int, len(cols))
	least := make([]int, len(cols))
	for i, c := range cols {
		if !shown[i] {
			continue
		}
		floor[i] = max(c.Width, 1)
		title := width(c.Title)
		want := max(content[i].Natural, title, floor[i])
		least[i] = want
		if c.Shrink > 0 {
			least[i] = max(content[i].Least, min(title, want), floor[i])
		}
		widths[i] = want
	}
	over = give(cols, widths, least, usedWidth(widths)-total, true)
	return widths, floor, over
}

// give narrows columns toward to[i] until over cells are given back, the
// highest Shrink first (shrinking: only columns that Shrink; else every
// other one, rightmost first), and returns what is still over.
func give(cols []Column, widths, to []int, over int, shrinking bool) int {
	for over > 0 {
		best := -1
		for i := len(cols) - 1; i >= 0; i-- {
			c := cols[i]
			if widths[i] <= to[i] || (c.Shrink > 0) != shrinking {
				continue
			}
			if best < 0 || c.Shrink > cols[best].Shrink {
				best = i
			}
		}
		if best < 0 {
			return over
		}
		take := min(over, widths[best]-to[best])
		widths[best] -= take
		over -= take
	}
	return over
}

// mostDroppable is the shown column with the highest Drop, or -1.
func mostDroppable(cols []Column, shown []bool) int {
	drop := -1
	for i, c := range cols {
		if shown[i] && c.Drop > 0 && (drop < 0 || c.Drop > cols[drop].Drop) {
			drop = i
		}
	}
	return drop
}

// usedWidth is the columns' widths and the spaces between them.
func usedWidth(widths []int) int {
	u, k := 0, 0
	for _, w := range widths {
		if w > 0 {
			u += w
			k++
		}
	}
	return u + max(k-1, 0)
}
