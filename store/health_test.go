package store

import (
	"sort"
	"testing"
	"time"
)

func TestHealthBoundaries(t *testing.T) {
	th := DefaultThresholds()
	long := 365 * Day // L/10 = 36.5d > 7d, L/3 > 30d: the fixed limits rule
	short := 30 * Day // L/10 = 3d < 7d, L/3 = 10d < 30d: the fractions rule
	cases := []struct {
		name      string
		lifetime  time.Duration
		remaining time.Duration
		want      Health
	}{
		{"long: just over 30d", long, 30*Day + time.Second, HealthOK},
		{"long: exactly 30d", long, 30 * Day, HealthWarning},
		{"long: just over 7d", long, 7*Day + time.Second, HealthWarning},
		{"long: exactly 7d", long, 7 * Day, HealthCritical},
		{"long: 1s left", long, time.Second, HealthCritical},
		{"long: exactly 0", long, 0, HealthExpired},
		{"long: 3d ago", long, -3 * Day, HealthExpired},
		{"short: just over L/3", short, 10*Day + time.Second, HealthOK},
		{"short: exactly L/3", short, 10 * Day, HealthWarning},
		{"short: 7d is not critical yet", short, 7 * Day, HealthWarning},
		{"short: just over L/10", short, 3*Day + time.Second, HealthWarning},
		{"short: exactly L/10", short, 3 * Day, HealthCritical},
		{"short: exactly 0", short, 0, HealthExpired},
		{"1 day cert fresh", Day, Day, HealthOK},
		{"1 day cert at L/3", Day, 8 * time.Hour, HealthWarning},
		{"1 day cert at L/10", Day, Day / 10, HealthCritical},
	}
	for _, c := range cases {
		notAfter := t0.Add(c.remaining)
		notBefore := notAfter.Add(-c.lifetime)
		if got := th.Evaluate(notBefore, notAfter, t0); got != c.want {
			t.Errorf("%s: got %s, want %s", c.name, got, c.want)
		}
	}
}

func TestHealthClockSkewAndStates(t *testing.T) {
	th := DefaultThresholds()
	if got := th.Evaluate(t0.Add(time.Minute), t0.Add(30*Day), t0); got != HealthNotYet {
		t.Errorf("NotBefore in the future: %s, want notyet", got)
	}
	base := Credential{NotBefore: t0.Add(-Day), NotAfter: t0.Add(300 * Day)}
	if got := base.Health(t0, th); got != HealthOK {
		t.Errorf("fresh: %s", got)
	}
	revoked := base
	revoked.RevokedAt = t0
	if got := revoked.Health(t0, th); got != HealthRevoked {
		t.Errorf("revoked: %s", got)
	}
	replaced := base
	replaced.ReplacedBy = "abcd1234"
	if got := replaced.Health(t0, th); got != HealthReplaced {
		t.Errorf("replaced: %s", got)
	}
	token := Credential{TokenOnly: true}
	if got := token.Health(t0, th); got != HealthUnknown || token.Countdown(t0) != "no expiry info" {
		t.Errorf("token-only: %s %q", got, token.Countdown(t0))
	}
}

func TestHealthConfigurableThresholds(t *testing.T) {
	th := Thresholds{Warning: Threshold{Within: 60 * Day}, Critical: Threshold{Within: 14 * Day}}
	if got := th.Evaluate(t0.Add(-Day), t0.Add(45*Day), t0); got != HealthWarning {
		t.Errorf("45d left with a 60d warning: %s", got)
	}
	if got := th.Evaluate(t0.Add(-Day), t0.Add(14*Day), t0); got != HealthCritical {
		t.Errorf("14d left with a 14d critical: %s", got)
	}
}

func TestHealthRankAndWords(t *testing.T) {
	all := []Health{HealthOK, HealthRevoked, HealthWarning, HealthUnknown, HealthExpired, HealthReplaced, HealthNotYet, HealthCritical}
	sort.Slice(all, func(i, j int) bool { return all[i].Rank() < all[j].Rank() })
	want := []string{"expired", "critical", "notyet", "warning", "unknown", "ok", "replaced", "revoked"}
	for i, h := range all {
		if h.String() != want[i] {
			t.Fatalf("rank order %d: got %s, want %s", i, h, want[i])
		}
		if b, _ := h.MarshalText(); string(b) != want[i] {
			t.Fatalf("MarshalText %s", b)
		}
	}
}

func TestCountdown(t *testing.T) {
	cases := []struct {
		d    time.Duration
		want string
	}{
		{Year + 23*Day + 5*time.Hour, "1y 23d"},
		{5*Year + 2*Day, "5y 2d"},
		{Year, "1y 0d"},
		{Year - time.Second, "364d 23h"},
		{30*Day - time.Second, "29d 23h"},
		{Day, "1d 0h"},
		{Day - time.Second, "23h 59m"},
		{5*time.Hour + 12*time.Minute + 59*time.Second, "5h 12m"},
		{time.Hour, "1h 0m"},
		{time.Hour - time.Second, "59m 59s"},
		{12*time.Minute + 9*time.Second, "12m 09s"},
		{time.Minute, "1m 00s"},
		{45 * time.Second, "45s"},
		{time.Second, "1s"},
		{500 * time.Millisecond, "0s"},
		{0, "expired 0s ago"},
		{-3*Day - 4*time.Hour, "expired 3d ago"},
		{-5 * time.Hour, "expired 5h ago"},
		{-12 * time.Minute, "expired 12m ago"},
		{-2 * Year, "expired 2y ago"},
	}
	for _, c := range cases {
		if got := Countdown(t0.Add(c.d), t0); got != c.want {
			t.Errorf("Countdown(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}
