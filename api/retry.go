package api

import (
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Retry defaults applied to zero RetryPolicy fields.
const (
	DefaultMaxAttempts = 4
	DefaultBaseBackoff = 250 * time.Millisecond
	DefaultMaxBackoff  = 10 * time.Second
)

// RetryPolicy says how often and how patiently a failed call is retried.
// Only throttling (429), server errors (5xx), timeouts and connection resets
// are retried; 401/403 never are (IAM locks a key after repeated failures).
type RetryPolicy struct {
	// MaxAttempts counts every attempt, the first included; 1 disables retries.
	MaxAttempts int
	// BaseBackoff is the first backoff ceiling; it doubles per attempt.
	BaseBackoff time.Duration
	// MaxBackoff caps one wait, a server's Retry-After included.
	MaxBackoff time.Duration
	// Sleep waits d or until ctx ends; default a timer. Tests inject it.
	Sleep func(ctx context.Context, d time.Duration) error
	// Jitter returns a uniformly random duration in [0, n); default
	// math/rand/v2. Tests inject it.
	Jitter func(n time.Duration) time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = DefaultMaxAttempts
	}
	if p.BaseBackoff <= 0 {
		p.BaseBackoff = DefaultBaseBackoff
	}
	if p.MaxBackoff <= 0 {
		p.MaxBackoff = DefaultMaxBackoff
	}
	if p.Sleep == nil {
		p.Sleep = sleepCtx
	}
	if p.Jitter == nil {
		p.Jitter = func(n time.Duration) time.Duration {
			if n <= 0 {
				return 0
			}
			return rand.N(n)
		}
	}
	return p
}

// Backoff is the wait before attempt+1 after attempt (1-based) failed:
// the server's Retry-After when it sent one, else exponential backoff with
// full jitter; both capped at MaxBackoff.
func (p RetryPolicy) Backoff(attempt int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return min(retryAfter, p.MaxBackoff)
	}
	ceiling := p.BaseBackoff
	for i := 1; i < attempt && ceiling < p.MaxBackoff; i++ {
		ceiling *= 2
	}
	ceiling = min(ceiling, p.MaxBackoff)
	return p.Jitter(ceiling)
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// retryableStatus reports whether an HTTP status is worth another attempt.
func retryableStatus(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date
// (relative to now). Unparseable or past values give 0.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, 24*3600)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// retryAfterSeconds reads the delay-seconds form of Retry-After only (the
// date form needs a clock; the client re-reads it with one).
func retryAfterSeconds(v string) time.Duration {
	secs, err := strconv.Atoi(strings.TrimSpace(v))
	if err != nil || secs <= 0 {
		return 0
	}
	return time.Duration(min(secs, 24*3600)) * time.Second
}
