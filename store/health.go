package store

import (
	"fmt"
	"time"
)

// Health is how urgent a credential is. Compare with Rank, not with the
// numeric value.
type Health int

// The health states of a credential.
const (
	HealthUnknown  Health = iota // no expiry info (token-only); never OK
	HealthOK                     // more than the warning threshold left
	HealthWarning                // R ≤ min(30d, L/3) by default
	HealthCritical               // R ≤ min(7d, L/10) by default
	HealthExpired                // R ≤ 0
	HealthNotYet                 // NotBefore is in the future: clock skew
	HealthRevoked                // revoked on the cluster
	HealthReplaced               // superseded by a renewal
)

// String is the word shown on badges and in JSON.
func (h Health) String() string {
	switch h {
	case HealthUnknown:
		return "unknown"
	case HealthOK:
		return "ok"
	case HealthWarning:
		return "warning"
	case HealthCritical:
		return "critical"
	case HealthExpired:
		return "expired"
	case HealthNotYet:
		return "notyet"
	case HealthRevoked:
		return "revoked"
	case HealthReplaced:
		return "replaced"
	}
	return fmt.Sprintf("health(%d)", int(h))
}

// MarshalText makes JSON and YAML carry the word.
func (h Health) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// Rank orders health for "most urgent first" sorting: lower is more urgent.
// Expired, critical, notyet, warning, unknown, ok, replaced, revoked.
func (h Health) Rank() int {
	switch h {
	case HealthExpired:
		return 0
	case HealthCritical:
		return 1
	case HealthNotYet:
		return 2
	case HealthWarning:
		return 3
	case HealthUnknown:
		return 4
	case HealthOK:
		return 5
	case HealthReplaced:
		return 6
	case HealthRevoked:
		return 7
	}
	return 8
}

// Threshold is "remaining ≤ min(Within, lifetime/Divisor)". A Divisor of 0
// ignores the lifetime.
type Threshold struct {
	Within  time.Duration
	Divisor int
}

// Limit is the remaining time at or below which the threshold is reached
// for a certificate of the given lifetime.
func (t Threshold) Limit(lifetime time.Duration) time.Duration {
	limit := t.Within
	if t.Divisor > 0 {
		if f := lifetime / time.Duration(t.Divisor); f < limit {
			limit = f
		}
	}
	return limit
}

// Thresholds set when a certificate turns warning and critical.
type Thresholds struct {
	Warning  Threshold
	Critical Threshold
}

// DefaultThresholds are DESIGN §2's: warning min(30d, L/3), critical
// min(7d, L/10).
func DefaultThresholds() Thresholds {
	return Thresholds{
		Warning:  Threshold{Within: 30 * Day, Divisor: 3},
		Critical: Threshold{Within: 7 * Day, Divisor: 10},
	}
}

// Day is 24 hours, the unit of certificate validity.
const Day = 24 * time.Hour

// Evaluate judges a certificate valid from notBefore to notAfter at now.
// With L = notAfter − notBefore and R = notAfter − now: expired R ≤ 0;
// notyet when notBefore is after now; critical and warning by the thresholds;
// else ok.
func (th Thresholds) Evaluate(notBefore, notAfter, now time.Time) Health {
	remaining := notAfter.Sub(now)
	lifetime := notAfter.Sub(notBefore)
	switch {
	case remaining <= 0:
		return HealthExpired
	case notBefore.After(now):
		return HealthNotYet
	case remaining <= th.Critical.Limit(lifetime):
		return HealthCritical
	case remaining <= th.Warning.Limit(lifetime):
		return HealthWarning
	default:
		return HealthOK
	}
}
