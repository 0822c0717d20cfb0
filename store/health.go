package store

import (
	"cmp"
	"fmt"
	"slices"
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

// SortUrgent orders creds most urgent first, as `ccecert status` lists
// them: by health rank at now, then by time left; ties keep their order.
// Each credential's health is judged once and each is moved once (a
// Credential is large to swap), so 10,000 sort in a few milliseconds.
func SortUrgent(creds []Credential, now time.Time, th Thresholds) {
	type key struct {
		rank     int
		notAfter time.Time
		i        int
	}
	keys := make([]key, len(creds))
	for i, c := range creds {
		keys[i] = key{c.Health(now, th).Rank(), c.NotAfter, i}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.rank != b.rank {
			return cmp.Compare(a.rank, b.rank)
		}
		if c := a.notAfter.Compare(b.notAfter); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	order := make([]int, len(keys))
	for i, k := range keys {
		order[i] = k.i
	}
	permute(creds, order)
}

// permute puts s[order[i]] at i for every i, in place, moving each
// element once: along each cycle of the permutation, one held aside.
// order is used up (-1 marks the places done).
func permute[T any](s []T, order []int) {
	for start := range order {
		if order[start] < 0 || order[start] == start {
			continue
		}
		held := s[start]
		i := start
		for order[i] != start {
			next := order[i]
			s[i] = s[next]
			order[i], i = -1, next
		}
		s[i], order[i] = held, -1
	}
}
