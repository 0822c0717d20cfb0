//go:build bench

package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestBenchTable(t *testing.T) {
	var b bytes.Buffer
	err := writeBenchTable(&b, []benchFigure{
		figure("fan-out", 0.31, "s", "≤ 0.40 s", true),
		figure("plugin", 41, "ms", "≤ 2× version", false),
		info("speed-up", 19.66, "x"),
		notMeasured("idle", "< 1 %", errors.New("no pty")),
	})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	want := [][]string{
		{"FIGURE", "VALUE", "TARGET", "VERDICT"},
		{"fan-out", "0.310 s", "≤ 0.40 s", "ok"},
		{"plugin", "41.0 ms", "≤ 2× version", "OVER"},
		{"speed-up", "19.7×", "-", "-"},
		{"idle", "-", "< 1 %", "not measured: no pty"},
	}
	if len(lines) != len(want) {
		t.Fatalf("table:\n%s", b.String())
	}
	for i, cells := range want {
		for _, c := range cells {
			if !strings.Contains(lines[i], c) {
				t.Errorf("line %d %q lacks %q", i, lines[i], c)
			}
		}
	}
}

func TestMedian(t *testing.T) {
	ms := time.Millisecond
	if got := median([]time.Duration{5 * ms, 1 * ms, 3 * ms}); got != 3*ms {
		t.Errorf("odd: %v", got)
	}
	if got := median([]time.Duration{4 * ms, 1 * ms, 2 * ms, 100 * ms}); got != 3*ms {
		t.Errorf("even: %v", got)
	}
}
