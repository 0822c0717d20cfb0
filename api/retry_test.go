package api

import (
	"context"
	"net/http"
	"testing"
	"time"
)

func TestBackoffExponentialFullJitter(t *testing.T) {
	// Jitter returning its ceiling minus one shows the ceiling per attempt.
	p := RetryPolicy{BaseBackoff: 100 * time.Millisecond, MaxBackoff: time.Second,
		Jitter: func(n time.Duration) time.Duration { return n - 1 }}.withDefaults()
	want := []time.Duration{100, 200, 400, 800, 1000, 1000}
	for i, w := range want {
		if got := p.Backoff(i+1, 0); got != w*time.Millisecond-1 {
			t.Errorf("attempt %d: backoff %v, want %v", i+1, got, w*time.Millisecond-1)
		}
	}
	// Full jitter: the draw is anywhere in [0, ceiling).
	p.Jitter = func(time.Duration) time.Duration { return 0 }
	if got := p.Backoff(3, 0); got != 0 {
		t.Errorf("full jitter lower bound: %v", got)
	}
}

func TestBackoffHonoursRetryAfterCapped(t *testing.T) {
	p := RetryPolicy{MaxBackoff: 5 * time.Second, Jitter: func(time.Duration) time.Duration { return 0 }}.withDefaults()
	if got := p.Backoff(1, 2*time.Second); got != 2*time.Second {
		t.Errorf("Retry-After 2s: waited %v", got)
	}
	if got := p.Backoff(1, time.Hour); got != 5*time.Second {
		t.Errorf("Retry-After 1h: waited %v, want the 5s cap", got)
	}
}

func TestDefaultJitterInRange(t *testing.T) {
	p := RetryPolicy{}.withDefaults()
	for range 100 {
		if d := p.Jitter(time.Second); d < 0 || d >= time.Second {
			t.Fatalf("jitter %v outside [0,1s)", d)
		}
	}
	if p.Jitter(0) != 0 {
		t.Fatal("jitter of 0 must be 0")
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := map[string]time.Duration{
		"":     0,
		"3":    3 * time.Second,
		" 7 ":  7 * time.Second,
		"0":    0,
		"-4":   0,
		"soon": 0,
		now.Add(90 * time.Second).Format(http.TimeFormat): 90 * time.Second,
		now.Add(-time.Minute).Format(http.TimeFormat):     0,
	}
	for in, want := range cases {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
	if retryAfterSeconds("12") != 12*time.Second || retryAfterSeconds("x") != 0 {
		t.Error("retryAfterSeconds")
	}
}

func TestSleepCtxStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := sleepCtx(ctx, time.Hour); err != context.Canceled {
		t.Fatalf("sleepCtx on a cancelled ctx = %v", err)
	}
	if err := sleepCtx(context.Background(), 0); err != nil {
		t.Fatalf("zero sleep = %v", err)
	}
}

func TestRetryableStatus(t *testing.T) {
	for status, want := range map[int]bool{429: true, 500: true, 502: true, 503: true, 400: false, 401: false, 403: false, 404: false, 409: false} {
		if retryableStatus(status) != want {
			t.Errorf("retryableStatus(%d) != %v", status, want)
		}
	}
}
