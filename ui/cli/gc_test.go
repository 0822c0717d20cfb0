package cli

import (
	"math"
	"runtime/debug"
	"testing"
)

// A one-shot command collects at GOGC 400 under a 1 GiB soft limit, unless
// the operator set GOGC or GOMEMLIMIT.
func TestOneShotGCKeepsTheOperatorsSettings(t *testing.T) {
	gc, limit := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetGCPercent(gc); debug.SetMemoryLimit(limit) })

	oneShotGC(func(string) string { return "" })
	if got := debug.SetGCPercent(100); got != 400 {
		t.Errorf("GOGC %d, want 400", got)
	}
	if got := debug.SetMemoryLimit(math.MaxInt64); got != 1<<30 {
		t.Errorf("memory limit %d, want 1 GiB", got)
	}

	set := map[string]string{"GOGC": "50", "GOMEMLIMIT": "2GiB"}
	oneShotGC(func(k string) string { return set[k] })
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("with GOGC set, GOGC became %d", got)
	}
	if got := debug.SetMemoryLimit(math.MaxInt64); got != math.MaxInt64 {
		t.Errorf("with GOMEMLIMIT set, the limit became %d", got)
	}
}

// The TUI's start collects at GOGC 400 until restore, which puts back what
// it found, once; an operator's GOGC is left alone.
func TestStartGCRestoresWhatItFound(t *testing.T) {
	gc := debug.SetGCPercent(150)
	t.Cleanup(func() { debug.SetGCPercent(gc) })

	restore := startGC(func(string) string { return "" })
	if got := debug.SetGCPercent(burstGCPercent); got != burstGCPercent {
		t.Errorf("GOGC %d during the start, want %d", got, burstGCPercent)
	}
	restore()
	if got := debug.SetGCPercent(150); got != 150 {
		t.Errorf("GOGC %d after restore, want the 150 it found", got)
	}
	debug.SetGCPercent(90)
	restore() // once only: a second call changes nothing
	if got := debug.SetGCPercent(150); got != 90 {
		t.Errorf("a second restore set GOGC %d", got)
	}

	startGC(func(k string) string { return map[string]string{"GOGC": "50"}[k] })()
	if got := debug.SetGCPercent(150); got != 150 {
		t.Errorf("with GOGC set, the start changed GOGC to %d", got)
	}
}
