package cli

import (
	"math"
	"runtime/debug"
)

// oneShotGC sets the collector for a command that runs once and exits: the
// heap may grow to five times what stays live before a collection (GOGC
// 400, Go's default is 100), with a soft limit of 1 GiB. Such a command
// allocates its few tens of MB in its first milliseconds, and collections
// of a heap growing from Go's 4 MiB start cost a `list --refresh` of
// 1,000 clusters about 5 ms of its 350 (docs/performance.md). The limit
// only makes collections more frequent near it. An operator's GOGC or
// GOMEMLIMIT is kept. The TUI, which runs for hours, keeps Go's defaults.
func oneShotGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if getenv("GOMEMLIMIT") == "" && debug.SetMemoryLimit(-1) == math.MaxInt64 {
		debug.SetMemoryLimit(1 << 30)
	}
}
