package store

import (
	"fmt"
	"time"
)

// Year is 365 days, the largest countdown unit.
const Year = 365 * Day

// Countdown is the time left until notAfter, for humans: "1y 23d",
// "29d 23h", "5h 12m", "12m 09s", "45s"; or "expired 3d ago". It truncates,
// so a countdown never claims more time than is left.
func Countdown(notAfter, now time.Time) string {
	remaining := notAfter.Sub(now)
	if remaining <= 0 {
		return "expired " + coarse(-remaining) + " ago"
	}
	return FormatRemaining(remaining)
}

// FormatRemaining renders a positive duration with its two largest units,
// seconds shown only under one hour.
func FormatRemaining(d time.Duration) string {
	switch {
	case d >= Year:
		return fmt.Sprintf("%dy %dd", d/Year, (d%Year)/Day)
	case d >= Day:
		return fmt.Sprintf("%dd %dh", d/Day, (d%Day)/time.Hour)
	case d >= time.Hour:
		return fmt.Sprintf("%dh %dm", d/time.Hour, (d%time.Hour)/time.Minute)
	case d >= time.Minute:
		return fmt.Sprintf("%dm %02ds", d/time.Minute, (d%time.Minute)/time.Second)
	default:
		return fmt.Sprintf("%ds", d/time.Second)
	}
}

// coarse renders a duration with its largest unit only ("3d", "5h").
func coarse(d time.Duration) string {
	switch {
	case d >= Year:
		return fmt.Sprintf("%dy", d/Year)
	case d >= Day:
		return fmt.Sprintf("%dd", d/Day)
	case d >= time.Hour:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d >= time.Minute:
		return fmt.Sprintf("%dm", d/time.Minute)
	default:
		return fmt.Sprintf("%ds", d/time.Second)
	}
}
