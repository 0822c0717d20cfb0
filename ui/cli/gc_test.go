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
