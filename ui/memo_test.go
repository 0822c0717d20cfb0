package ui

import "testing"

// A memo computes again exactly when its key changes; only the last value
// is kept.
func TestMemoKeepsTheValueWhileTheKeyHolds(t *testing.T) {
	var c memo[int, string]
	computed := 0
	get := func(key int) string {
		return c.get(key, func() string { computed++; return string(rune('a' + key)) })
	}
	for _, step := range []struct {
		key      int
		want     string
		computed int
	}{{0, "a", 1}, {0, "a", 1}, {1, "b", 2}, {1, "b", 2}, {0, "a", 3}} {
		if got := get(step.key); got != step.want || computed != step.computed {
			t.Fatalf("get(%d) = %q after %d computations, want %q after %d", step.key, got, computed, step.want, step.computed)
		}
	}
}

// A memo kept with getAt holds over the span it was computed for: from
// the instant it was computed at up to (not including) the instant compute
// named, for its key only.
func TestMemoAtHoldsOverItsSpan(t *testing.T) {
	var c memo[int, int64]
	computed := 0
	getAt := func(key int, at int64) (int64, int64) {
		return c.getAt(key, at, func() (int64, int64) { computed++; return at, at + 10 })
	}
	for _, step := range []struct {
		key             int
		at, want, until int64
		computed        int
	}{
		{0, 100, 100, 110, 1},
		{0, 105, 100, 110, 1}, // within the span
		{0, 109, 100, 110, 1},
		{0, 110, 110, 120, 2}, // the span's end
		{0, 105, 105, 115, 3}, // before it: the clock went back
		{1, 106, 106, 116, 4}, // another key
		{0, 107, 107, 117, 5},
	} {
		got, until := getAt(step.key, step.at)
		if got != step.want || until != step.until || computed != step.computed {
			t.Fatalf("getAt(%d, %d) = %d until %d after %d computations, want %d until %d after %d",
				step.key, step.at, got, until, computed, step.want, step.until, step.computed)
		}
	}
	// A value that names no later instant holds for its own instant only.
	c.getAt(2, 50, func() (int64, int64) { return 0, 0 })
	if _, until := c.getAt(2, 50, func() (int64, int64) { t.Fatal("computed again at the same instant"); return 0, 0 }); until != 51 {
		t.Fatalf("until %d, want 51", until)
	}
}
