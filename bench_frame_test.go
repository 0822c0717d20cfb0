//go:build bench

package main

import (
	"os"
	"strings"
	"testing"
)

// TestTUIFrameFigures runs the TUI's first-frame and peak-RSS scenarios
// alone (the cache of 1,000 clusters and 10,000 credentials), printing
// their rows as TestBench does. Like TestListFigures it is outside CI's TestBench.+ pattern: the
// figures are the bench's, not a check of the harness.
func TestTUIFrameFigures(t *testing.T) {
	exe := *benchListExe
	if exe == "" {
		exe = benchBinary(t)
	}
	b := &benchRun{t: t}
	big, _, err := b.homes(t.Context(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b.step("TUI first frame", "< 150 ms", func() ([]benchFigure, error) { return benchFirstFrames(exe, big, *benchRuns) })
	b.step("TUI peak RSS", "-", func() ([]benchFigure, error) { return benchPeakRSSFigure(exe, big) })
	if err := writeBenchTable(os.Stdout, b.figs); err != nil {
		t.Fatal(err)
	}
	for _, f := range b.figs {
		if f.verdict == "OVER" || strings.HasPrefix(f.verdict, "not measured") {
			t.Errorf("%s: %s (target %s)", f.name, f.verdict, f.target)
		}
	}
}

// benchPeakRSSFigure is the TUI's peak RSS over the cache of big.
func benchPeakRSSFigure(exe string, big benchHome) ([]benchFigure, error) {
	mib, err := benchPeakRSS(exe, big)
	return []benchFigure{info("TUI peak RSS (VmHWM), cache of 1,000 clusters/10,000 credentials", mib, "MiB")}, err
}
