package timeline

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
)

func TestCivilDay(t *testing.T) {
	for _, d := range []time.Time{
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC),
		time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC),
	} {
		if got, want := CivilDay(d.Year(), int(d.Month()), d.Day()), int(d.Unix()/86400); got != want {
			t.Errorf("CivilDay(%s) = %d, want %d", d.Format(time.DateOnly), got, want)
		}
	}
}

func TestCountAndRender(t *testing.T) {
	today := 20000
	counts := Count(today, []int{today - 1, today, today, today + 5, today + 89, today + 90})
	if counts[0] != 2 || counts[5] != 1 || counts[89] != 1 {
		t.Fatalf("counts: %v", counts)
	}
	out := Render(counts, 160, nil, lipgloss.NewStyle())
	if !strings.HasPrefix(out, "next 90d ▕▄····▂") || !strings.HasSuffix(out, "▂▏ 4 due") {
		t.Fatalf("render: %q", out)
	}
	narrow := Render(counts, 80, nil, lipgloss.NewStyle())
	if w := ansi.StringWidth(narrow); w > 80 {
		t.Fatalf("width %d > 80: %q", w, narrow)
	}
}
