package ui

import "math"

// memo keeps one value with what it was computed from, so a frame
// computes again only what changed: the whole frame (viewCache), each of
// its parts (frameParts), the detail pane and each row's countdown
// (clockCell) are each a memo.
//
// A value holds while its key is the same. The key is everything the
// value reads that can change: the model's revision (bumped by every
// message but the tick) for what messages change, and for what reads the
// clock, the step the value shows it in ("5m ago", the minute). A value
// whose next change is known only once it is computed (the whole frame: a
// visible row's countdown, the detail pane's) is kept with getAt, and also
// holds only over the span of instants it was computed for.
type memo[K comparable, V any] struct {
	key         K
	from, until int64 // the instants (Unix ns) the value holds for
	kept        bool
	val         V
}

// get is the value kept for key, or compute's. It holds at every instant.
func (c *memo[K, V]) get(key K, compute func() V) V {
	if !c.kept || c.key != key {
		c.key, c.val, c.kept = key, compute(), true
		c.from, c.until = math.MinInt64, never
	}
	return c.val
}

// getAt is the value kept for key at the instant t, or compute's, and the
// first instant after t at which it may read differently. compute returns
// the value and that instant.
func (c *memo[K, V]) getAt(key K, t int64, compute func() (V, int64)) (V, int64) {
	if !c.kept || c.key != key || t < c.from || t >= c.until {
		var until int64
		c.val, until = compute()
		c.key, c.kept, c.from, c.until = key, true, t, max(until, t+1)
	}
	return c.val, c.until
}
