package api

import (
	"fmt"
	"time"
)

// MaxDuration asks CCE for the five-year maximum (duration -1).
const MaxDuration = -1

// FleetMaxDays is the longest validity UCS accepts for a fleet certificate.
const FleetMaxDays = 1825

// MinExpireAhead is the shortest validity accepted for an exact expiry.
const MinExpireAhead = 15 * time.Minute

// Validity is what the operator asks for: a number of days (or MaxDuration),
// or an exact expiry. ExpireAt wins when set.
type Validity struct {
	Days     int
	ExpireAt time.Time
}

// Days returns a Validity of n days.
func Days(n int) Validity { return Validity{Days: n} }

// Until returns a Validity ending at t.
func Until(t time.Time) Validity { return Validity{ExpireAt: t} }

// MaxDays is the number of days in the five calendar years after now: 1826 or
// 1827, depending on the leap days in between.
func MaxDays(now time.Time) int {
	now = now.UTC()
	end := now.AddDate(5, 0, 0)
	return int(end.Sub(now).Hours() / 24)
}

// ValidityError is a validity the cloud would refuse; no request is made.
type ValidityError struct{ Reason string }

func (e *ValidityError) Error() string { return "invalid validity: " + e.Reason }

// Validate checks v for a target kind against the clock, before any request.
func (v Validity) Validate(kind Kind, now time.Time) error {
	if !v.ExpireAt.IsZero() {
		if kind == KindFleet {
			return &ValidityError{"a fleet certificate takes a number of days (1..1825), not an expiry date"}
		}
		if kind == KindAutopilot {
			// Neither the Autopilot API reference nor the SDK documents
			// expire_at for CreateAutopilotKubernetesClusterCert.
			return &ValidityError{"an exact expiry is not available for Autopilot clusters: pick a number of days (1.." +
				fmt.Sprint(MaxDays(now)) + ") or max"}
		}
		ahead := v.ExpireAt.Sub(now)
		if ahead <= 0 {
			return &ValidityError{fmt.Sprintf("expiry %s is in the past; pick a time at least 15 minutes ahead", v.ExpireAt.UTC().Format(time.RFC3339))}
		}
		if ahead < MinExpireAhead {
			return &ValidityError{fmt.Sprintf("expiry %s is less than 15 minutes ahead; pick a later time", v.ExpireAt.UTC().Format(time.RFC3339))}
		}
		if v.ExpireAt.After(now.AddDate(5, 0, 0)) {
			return &ValidityError{fmt.Sprintf("expiry %s is more than 5 years ahead; pick an earlier date", v.ExpireAt.UTC().Format(time.RFC3339))}
		}
		return nil
	}
	maxDays := MaxDaysFor(kind, now)
	if v.Days == MaxDuration || (v.Days >= 1 && v.Days <= maxDays) { // a fleet's max is mapped to 1825 by the caller
		return nil
	}
	return &ValidityError{fmt.Sprintf("duration %d days is out of range: use 1..%d days, or max", v.Days, maxDays)}
}

// MaxDaysFor is the longest validity in days a target of kind takes from
// now: UCS's 1825 for a fleet, else CCE's days in the next five calendar
// years.
func MaxDaysFor(kind Kind, now time.Time) int {
	if kind == KindFleet {
		return FleetMaxDays
	}
	return MaxDays(now)
}

// NotAfter is the expiry the cloud should set for v issued at now.
func (v Validity) NotAfter(now time.Time) time.Time {
	switch {
	case !v.ExpireAt.IsZero():
		return v.ExpireAt
	case v.Days == MaxDuration:
		return now.AddDate(5, 0, 0)
	default:
		return now.Add(time.Duration(v.Days) * 24 * time.Hour)
	}
}

// String describes v for humans: "30d", "max (5y)", "until 2027-01-01T00:00:00Z".
func (v Validity) String() string {
	switch {
	case !v.ExpireAt.IsZero():
		return "until " + v.ExpireAt.UTC().Format(time.RFC3339)
	case v.Days == MaxDuration:
		return "max (5y)"
	default:
		return fmt.Sprintf("%dd", v.Days)
	}
}
