package api

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ParseValidity reads what an operator types for a validity: "N" or "Nd"
// days, "Nw" weeks, "Ny" calendar years (counted from now), or "max" (the
// five-year maximum, MaxDuration). It checks syntax only; the range depends
// on the target kind and is checked by Validity.Validate.
func ParseValidity(s string, now time.Time) (Validity, error) {
	in := strings.ToLower(strings.TrimSpace(s))
	if in == "max" || in == "-1" {
		return Days(MaxDuration), nil
	}
	if in == "" {
		return Validity{}, &ValidityError{"empty duration: use N days (30 or 30d), Nw, Ny or max"}
	}
	unit := in[len(in)-1]
	digits := in
	if unit == 'd' || unit == 'w' || unit == 'y' {
		digits = in[:len(in)-1]
	} else {
		unit = 'd'
	}
	n, err := strconv.Atoi(digits)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return Validity{}, &ValidityError{fmt.Sprintf("duration %q is far too long: the maximum is five years (max)", s)}
		}
		return Validity{}, &ValidityError{fmt.Sprintf("duration %q is not a number of days: use 30, 30d, 4w, 1y or max", s)}
	}
	// Keep the arithmetic below far away from overflow; anything this big
	// is out of range anyway and Validate says so with the real limits.
	if n > 100000 || n < -100000 {
		return Validity{}, &ValidityError{fmt.Sprintf("duration %q is out of range: use 1..%d days, or max", s, MaxDays(now))}
	}
	switch unit {
	case 'w':
		return Days(n * 7), nil
	case 'y':
		if n <= 0 {
			return Days(0), nil // Validate refuses it with the range
		}
		end := now.AddDate(n, 0, 0)
		return Days(int(end.Sub(now).Hours() / 24)), nil
	}
	return Days(n), nil
}

// ParseExpireAt reads an exact expiry: RFC 3339 ("2027-03-01T12:00:00Z") or a
// date ("2027-03-01", midnight in loc).
func ParseExpireAt(s string, loc *time.Location) (time.Time, error) {
	in := strings.TrimSpace(s)
	t, err := time.Parse(time.RFC3339, in)
	if err != nil {
		t, err = time.ParseInLocation(time.DateOnly, in, loc)
	}
	switch {
	case err == nil && t.IsZero():
		// The zero time would read as "no expiry" and fall back to a
		// duration of 0 days, a confusing error.
		return time.Time{}, &ValidityError{fmt.Sprintf("expiry %q is long past; pick a time at least 15 minutes ahead", s)}
	case err == nil:
		return t, nil
	}
	return time.Time{}, &ValidityError{fmt.Sprintf("expiry %q is not a time: use RFC 3339 (2027-03-01T12:00:00Z) or a date (2027-03-01)", s)}
}

// ParseWithin reads a look-ahead window: "30s", "15m", "12h", "Nd" or "Nw".
func ParseWithin(s string) (time.Duration, error) {
	in := strings.ToLower(strings.TrimSpace(s))
	bad := fmt.Errorf("window %q is not a duration: use 30s, 15m, 12h, 7d or 2w", s)
	if len(in) < 2 {
		return 0, bad
	}
	n, err := strconv.ParseInt(in[:len(in)-1], 10, 32)
	if err != nil || n < 0 {
		return 0, bad
	}
	unit := map[byte]time.Duration{'s': time.Second, 'm': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[in[len(in)-1]]
	if unit == 0 {
		return 0, bad
	}
	// time.Duration holds about 292 years: refuse what would wrap around
	// (a negative window silently meant "no window").
	if n > int64(math.MaxInt64/unit) {
		return 0, fmt.Errorf("window %q is too long: use at most %dd", s, int64(math.MaxInt64/(24*time.Hour)))
	}
	return time.Duration(n) * unit, nil
}
