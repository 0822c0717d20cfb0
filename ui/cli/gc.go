package cli

import (
	"math"
	"runtime/debug"
	"sync"
)

// burstGCPercent is the GOGC of a burst of allocation: the heap may grow
// to five times what stays live before a collection (Go's default, 100:
// twice).
const burstGCPercent = 400

// oneShotGC sets the collector for a command that runs once and exits:
// GOGC burstGCPercent, with a soft limit of 1 GiB. Such a command
// allocates its few tens of MB in its first milliseconds, and collections
// of a heap growing from Go's 4 MiB start cost a `list --refresh` of
// 1,000 clusters about 5 ms of its 350 (docs/performance.md). The limit
// only makes collections more frequent near it. An operator's GOGC or
// GOMEMLIMIT is kept.
func oneShotGC(getenv func(string) string) {
	startGC(getenv)
	if getenv("GOMEMLIMIT") == "" && debug.SetMemoryLimit(-1) == math.MaxInt64 {
		debug.SetMemoryLimit(1 << 30)
	}
}

// startGC has the collector run at GOGC burstGCPercent, unless the
// operator set GOGC, until restore: for the TUI's start, whose first frame
// with 10,000 credentials allocates about 100 MB in 150 ms and lost
// 10–19 ms of them to collections. The TUI, which runs for hours, then goes
// back to what it found (Go's default).
func startGC(getenv func(string) string) (restore func()) {
	if getenv("GOGC") != "" {
		return func() {}
	}
	was := debug.SetGCPercent(burstGCPercent)
	return sync.OnceFunc(func() { debug.SetGCPercent(was) })
}
