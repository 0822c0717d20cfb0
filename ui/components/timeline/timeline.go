// Package timeline renders a one-line expiry heat strip: the next days, each
// cell shaded by how many credentials expire in it, so bunched expiries are
// seen at a glance. Density is shown by the glyph as well as the colour.
package timeline

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// Days is the span of the strip.
const Days = 90

// glyph draws a heat level: none, 1, 2-3, 4-9, 10+.
func glyph(l int) string {
	return [...]string{"·", "▂", "▄", "▆", "█"}[l]
}

// level maps a count to a heat level (0..4).
func level(n int) int {
	switch {
	case n <= 0:
		return 0
	case n == 1:
		return 1
	case n <= 3:
		return 2
	case n <= 9:
		return 3
	}
	return 4
}

// CivilDay numbers calendar days (days since 1970-01-01 of the civil date),
// so "expires on day d" does not depend on the time of day or DST.
func CivilDay(y int, m int, d int) int {
	// Days from civil, after Howard Hinnant's algorithm.
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// Count buckets expiry days (CivilDay numbers) into Days counts from today.
func Count(today int, expiryDays []int) []int {
	counts := make([]int, Days)
	for _, d := range expiryDays {
		if i := d - today; i >= 0 && i < Days {
			counts[i]++
		}
	}
	return counts
}

// Render draws counts (one per day from today) in width cells, with a label
// and a total. styles[level] colours the cells (len(styles) >= 5, or nil).
func Render(counts []int, width int, styles []lipgloss.Style, label lipgloss.Style) string {
	total := 0
	for _, n := range counts {
		total += n
	}
	head := fmt.Sprintf("next %dd ", len(counts))
	tail := fmt.Sprintf(" %d due", total)
	avail := width - len(head) - len(tail) - 2
	if avail < 10 || len(counts) == 0 {
		return label.Render(strings.TrimSpace(head + tail))
	}
	per := (len(counts) + avail - 1) / avail // days per cell
	var b strings.Builder
	b.WriteString(label.Render(head + "▕"))
	run, runLevel := strings.Builder{}, -1
	flush := func() {
		if run.Len() == 0 {
			return
		}
		if runLevel < len(styles) {
			b.WriteString(styles[runLevel].Render(run.String()))
		} else {
			b.WriteString(run.String())
		}
		run.Reset()
	}
	for i := 0; i < len(counts); i += per {
		n := 0
		for _, c := range counts[i:min(i+per, len(counts))] {
			n += c
		}
		l := level(n)
		if l != runLevel {
			flush()
			runLevel = l
		}
		run.WriteString(glyph(l))
	}
	flush()
	b.WriteString(label.Render("▏" + tail))
	return b.String()
}
