package ui

import (
	"math"
	"time"

	"ccecert/store"
)

// countdownStep names the text store.Countdown draws for a time left d:
// two times left with the same step draw the same text. Above an hour the
// text changes once a minute, an hour or a day, so a row redrawn every
// second can keep its text until its step changes. It follows the units of
// store.FormatRemaining ("1y 35d", "4d 23h", "5h 03m", "12m 09s", "41s")
// and of the coarse "expired … ago"; a test holds it to store.Countdown.
type countdownStep struct {
	expired bool
	unit    time.Duration // the finest unit the text shows
	count   time.Duration // whole units left (expired: gone)
}

func stepOf(d time.Duration) countdownStep {
	if d <= 0 {
		u := coarseUnit(-d)
		return countdownStep{expired: true, unit: u, count: -d / u}
	}
	u := time.Second // "41s", "12m 09s"
	switch {
	case d >= store.Year: // "1y 35d"
		u = store.Day
	case d >= store.Day: // "4d 23h"
		u = time.Hour
	case d >= time.Hour: // "5h 03m"
		u = time.Minute
	}
	return countdownStep{unit: u, count: d / u}
}

// never is a time no countdown reaches: a row that does not read the clock
// stays as it is until a message changes it.
const never = math.MaxInt64

// end is the first instant (Unix nanoseconds) at which a countdown to
// notAfter, now in step s, reads differently: the time left leaves the step.
func (s countdownStep) end(notAfter int64) int64 {
	if s.expired {
		return notAfter + int64((s.count+1)*s.unit)
	}
	return notAfter - int64(max(s.count*s.unit, 1)) + 1 // "0s" runs to the expiry itself
}

// coarseUnit is the one unit of "expired 3d ago".
func coarseUnit(d time.Duration) time.Duration {
	for _, u := range [...]time.Duration{store.Year, store.Day, time.Hour, time.Minute} {
		if d >= u {
			return u
		}
	}
	return time.Second
}

// agoStep names the text ago(d) draws ("just now", "5m ago", "3h ago",
// "2d ago"): equal steps, equal text.
type agoStep struct {
	unit  time.Duration
	count time.Duration
}

func agoStepOf(d time.Duration) agoStep {
	switch {
	case d < time.Minute:
		return agoStep{}
	case d < time.Hour:
		return agoStep{time.Minute, d / time.Minute}
	case d < 24*time.Hour:
		return agoStep{time.Hour, d / time.Hour}
	}
	return agoStep{store.Day, d / store.Day}
}

// end is the first instant at which an age counted from from, now in step
// s, reads differently ("just now" → "1m ago", "59m ago" → "1h ago").
func (s agoStep) end(from int64) int64 {
	if s.unit == 0 {
		return from + int64(time.Minute)
	}
	return from + int64((s.count+1)*s.unit)
}

// countdownKey is what a countdown cell is drawn from besides its
// credential: the health (its badge) and the step of the time left.
type countdownKey struct {
	health store.Health
	step   countdownStep
}

func countdownKeyOf(it *credItem, now time.Time) countdownKey {
	return countdownKey{health: it.health, step: stepOf(it.cred.NotAfter.Sub(now))}
}

// clockCell keeps one row's countdown text: it is formatted again only
// when the row shows another credential, the credential's health changes,
// the countdown reaches its next step or the clock goes back. A page keeps
// one per visible row and always draws it with the same format.
type clockCell struct {
	text memo[clockCellKey, string] // held while the countdown's step lasts
}

// clockCellKey is what a countdown cell reads besides the clock: the
// credential and its health (the badge).
type clockCellKey struct {
	it     *credItem
	health store.Health
}

// get is format(it, now), or the text kept from an earlier second that
// reads the same, and the instant the text changes next (at the latest).
func (c *clockCell) get(it *credItem, now time.Time, format func(*credItem, time.Time) string) (string, int64) {
	return c.text.getAt(clockCellKey{it, it.health}, now.UnixNano(), func() (string, int64) {
		return format(it, now), countdownKeyOf(it, now).step.end(it.cred.NotAfter.UnixNano())
	})
}
