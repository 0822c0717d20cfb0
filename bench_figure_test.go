//go:build bench

package main

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"
)

// benchFigure is one measured figure and its verdict against its target.
type benchFigure struct {
	name    string
	value   string
	target  string
	verdict string // ok, OVER, "-" (no target), or "not measured"
}

// figure is a measured value with a target it passes or not.
func figure(name string, value float64, unit, target string, pass bool) benchFigure {
	v := "OVER"
	if pass {
		v = "ok"
	}
	return benchFigure{name: name, value: formatValue(value, unit), target: target, verdict: v}
}

// info is a measured value without a target of its own.
func info(name string, value float64, unit string) benchFigure {
	return benchFigure{name: name, value: formatValue(value, unit), target: "-", verdict: "-"}
}

// notMeasured is a figure the run could not take, and why.
func notMeasured(name, target string, err error) benchFigure {
	return benchFigure{name: name, value: "-", target: target, verdict: "not measured: " + err.Error()}
}

func formatValue(v float64, unit string) string {
	switch unit {
	case "s": // a millisecond shows under a second: the list figures sit within 10 ms of their targets
		if v < 1 {
			return fmt.Sprintf("%.3f s", v)
		}
		return fmt.Sprintf("%.2f s", v)
	case "ms":
		return fmt.Sprintf("%.1f ms", v)
	case "x":
		return fmt.Sprintf("%.1f×", v)
	case "%":
		return fmt.Sprintf("%.2f %%", v)
	}
	return fmt.Sprintf("%.3g %s", v, unit)
}

// writeBenchTable prints the figures as an aligned table.
func writeBenchTable(w io.Writer, figs []benchFigure) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FIGURE\tVALUE\tTARGET\tVERDICT")
	for _, f := range figs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", f.name, f.value, f.target, f.verdict)
	}
	return tw.Flush()
}

// median of a non-empty list.
func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// ms is d in milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
