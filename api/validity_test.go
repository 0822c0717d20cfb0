package api

import (
	"errors"
	"testing"
	"time"
)

func TestMaxDays(t *testing.T) {
	cases := map[string]int{
		"2026-11-26T00:00:00Z": 1826, // one leap day (2028-02-29) ahead
		"2027-03-01T00:00:00Z": 1827, // two: 2028-02-29 and 2032-02-29
		"2029-03-01T00:00:00Z": 1826,
		"2030-01-01T00:00:00Z": 1826,
	}
	for in, want := range cases {
		now, _ := time.Parse(time.RFC3339, in)
		if got := MaxDays(now); got != want {
			t.Errorf("MaxDays(%s) = %d, want %d", in, got, want)
		}
	}
}

func TestValidate(t *testing.T) {
	now := time.Date(2029, 3, 1, 0, 0, 0, 0, time.UTC) // max 1826
	cases := []struct {
		kind Kind
		v    Validity
		ok   bool
	}{
		{KindCCE, Days(1), true},
		{KindCCE, Days(30), true},
		{KindCCE, Days(1826), true},
		{KindCCE, Days(1827), false},
		{KindCCE, Days(1828), false},
		{KindCCE, Days(-1), true},
		{KindCCE, Days(0), false},
		{KindCCE, Days(-2), false},
		{KindAutopilot, Days(1826), true},
		{KindFleet, Days(1825), true},
		{KindFleet, Days(1826), false},
		{KindFleet, Days(-1), true},
		{KindCCE, Until(now.Add(15 * time.Minute)), true},
		{KindCCE, Until(now.Add(14 * time.Minute)), false},
		{KindCCE, Until(now.AddDate(5, 0, 0)), true},
		{KindCCE, Until(now.AddDate(5, 0, 1)), false},
		{KindCCE, Until(now.Add(-time.Hour)), false},
		{KindFleet, Until(now.Add(time.Hour)), false},
	}
	for _, c := range cases {
		err := c.v.Validate(c.kind, now)
		if (err == nil) != c.ok {
			t.Errorf("%s %v: err = %v, want ok=%v", c.kind, c.v, err, c.ok)
		}
		var ve *ValidityError
		if err != nil && !errors.As(err, &ve) {
			t.Errorf("%s %v: error %T is not a *ValidityError", c.kind, c.v, err)
		}
	}
}

func TestParseValidity(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		in      string
		days    int
		wantErr bool
	}{
		{"30", 30, false},
		{"30d", 30, false},
		{" 7D ", 7, false},
		{"2w", 14, false},
		{"1y", 365, false},
		{"max", MaxDuration, false},
		{"-1", MaxDuration, false},
		{"0", 0, false}, // syntax ok; Validate refuses
		{"abc", 0, true},
		{"", 0, true},
		{"12345678901234567890", 0, true},
		{"99999999d", 0, true},
		{"1.5d", 0, true},
	}
	for _, c := range cases {
		v, err := ParseValidity(c.in, now)
		if (err != nil) != c.wantErr {
			t.Errorf("ParseValidity(%q) err = %v, wantErr %v", c.in, err, c.wantErr)
			continue
		}
		if err == nil && v.Days != c.days {
			t.Errorf("ParseValidity(%q) = %d days, want %d", c.in, v.Days, c.days)
		}
	}
	// 5y equals the maximum in days.
	if v, _ := ParseValidity("5y", now); v.Days != MaxDays(now) {
		t.Errorf("5y = %d days, want MaxDays %d", v.Days, MaxDays(now))
	}
}

func TestParseWithinAndExpireAt(t *testing.T) {
	for in, want := range map[string]time.Duration{"30s": 30 * time.Second, "15m": 15 * time.Minute, "12h": 12 * time.Hour, "7d": 7 * 24 * time.Hour, "2w": 14 * 24 * time.Hour} {
		got, err := ParseWithin(in)
		if err != nil || got != want {
			t.Errorf("ParseWithin(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "7", "7x", "-1d", "d"} {
		if _, err := ParseWithin(in); err == nil {
			t.Errorf("ParseWithin(%q) accepted", in)
		}
	}
	got, err := ParseExpireAt("2027-03-01", time.UTC)
	if err != nil || !got.Equal(time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("ParseExpireAt(date) = %v, %v", got, err)
	}
	got, err = ParseExpireAt("2027-03-01T12:30:00+08:00", time.UTC)
	if err != nil || !got.Equal(time.Date(2027, 3, 1, 4, 30, 0, 0, time.UTC)) {
		t.Errorf("ParseExpireAt(rfc3339) = %v, %v", got, err)
	}
	if _, err := ParseExpireAt("next tuesday", time.UTC); err == nil {
		t.Error("ParseExpireAt accepted garbage")
	}
}

func TestSecretNeverPrints(t *testing.T) {
	s := Secret("-----BEGIN EC PRIVATE KEY-----abc")
	type wrap struct{ K Secret }
	for _, got := range []string{
		s.String(), fmtAll(s), fmtAll(wrap{s}), fmtAll(&wrap{s}),
	} {
		if containsAny(got, "BEGIN", "abc") {
			t.Errorf("secret leaked: %q", got)
		}
	}
	if string(s.Reveal()) != "-----BEGIN EC PRIVATE KEY-----abc" {
		t.Error("Reveal lost the bytes")
	}
}

func TestTargetLegacy(t *testing.T) {
	for v, want := range map[string]bool{"v1.11": true, "v1.11.7-r0": true, "v1.12": true, "v1.13": false, "v1.31.1-r0": false, "1.9": true, "": false, "garbage": false} {
		if got := (Target{Kind: KindCCE, Version: v}).Legacy(); got != want {
			t.Errorf("Legacy(%q) = %v, want %v", v, got, want)
		}
	}
	if (Target{Kind: KindFleet, Version: "v1.11"}).Legacy() {
		t.Error("a fleet is never legacy")
	}
}
