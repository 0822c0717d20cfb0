package fetch

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"ccecert/api"
)

// preset is one choice of the validity row.
type preset struct {
	label string
	kind  presetKind
	days  int // for presetDays; api.MaxDuration for the maximum
}

type presetKind int

const (
	presetDays presetKind = iota
	presetCustom
	presetUntil
)

// presets are the validity choices, in order. "1y" is counted in days from
// now (365 or 366).
func presets(kind api.Kind) []preset {
	maxLabel := "5y (max)"
	if kind == api.KindFleet {
		maxLabel = "5y (1825d)"
	}
	return []preset{
		{label: "1d", days: 1},
		{label: "7d", days: 7},
		{label: "30d", days: 30},
		{label: "90d", days: 90},
		{label: "1y", days: 365},
		{label: maxLabel, days: api.MaxDuration},
		{label: "custom", kind: presetCustom},
		{label: "until date", kind: presetUntil},
	}
}

// defaultPreset is 30 days.
const defaultPreset = 2

// validity resolves the chosen preset and inputs to an api.Validity,
// checked against the target kind and the clock; the error says what to
// type instead.
func (m Model) validity() (api.Validity, error) {
	p := m.presets[m.preset]
	var v api.Validity
	switch p.kind {
	case presetDays:
		v = api.Days(p.days)
		if p.days == 365 {
			v = api.Days(daysInYear(m.now))
		}
		if p.days == api.MaxDuration && m.target.Kind == api.KindFleet {
			v = api.Days(api.FleetMaxDays)
		}
	case presetCustom:
		n, err := strconv.Atoi(strings.TrimSpace(m.custom.Value()))
		if err != nil {
			return api.Validity{}, fmt.Errorf("type a whole number of days, %d..%d", 1, m.maxDays())
		}
		if n == api.MaxDuration { // the API's "max", which the preset offers; typed, it is a slip
			return api.Validity{}, fmt.Errorf("%d days is out of range: type 1..%d", n, m.maxDays())
		}
		v = api.Days(n) // its range is api's one rule, checked below
	case presetUntil:
		t, err := api.ParseExpireAt(m.until.Value(), m.loc)
		if err != nil {
			return api.Validity{}, fmt.Errorf("type a date like %s or an RFC 3339 time", m.now.In(m.loc).AddDate(0, 1, 0).Format(time.DateOnly))
		}
		v = api.Until(t)
	}
	if err := v.Validate(m.target.Kind, m.now); err != nil {
		return api.Validity{}, err
	}
	return v, nil
}

// maxDays is the longest custom validity for the target.
func (m Model) maxDays() int { return api.MaxDaysFor(m.target.Kind, m.now) }

// daysInYear is the number of days in the calendar year after now.
func daysInYear(now time.Time) int {
	now = now.UTC()
	return int(now.AddDate(1, 0, 0).Sub(now).Hours() / 24)
}

// presetDisabled says why a preset cannot apply, or "".
func (m Model) presetDisabled(p preset) string {
	if p.kind == presetUntil && m.target.Kind == api.KindFleet {
		return "a fleet certificate takes a number of days (1..1825), not a date"
	}
	return ""
}
