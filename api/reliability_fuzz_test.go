package api

import (
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"
)

// Fuzz targets for the parsers of what an operator types (flags and the
// TUI's fields): they never panic, errors are *ValidityError or name the
// input, and what they accept is in range and never wrapped around.

var relFuzzNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func FuzzParseValidity(f *testing.F) {
	for _, s := range []string{"30", "30d", "4w", "1y", "5y", "max", "MAX", "-1", "0", "-5y", " 7d ",
		"1826", "1827", "100000w", "-100000d", "99999y", "9223372036854775807", "1e3", "d", "", "\x00", "３０d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseValidity(s, relFuzzNow)
		if err != nil {
			var ve *ValidityError
			if !errors.As(err, &ve) {
				t.Fatalf("ParseValidity(%q) error %T %v, want *ValidityError", s, err, err)
			}
			return
		}
		if !v.ExpireAt.IsZero() {
			t.Fatalf("ParseValidity(%q) set an expiry date", s)
		}
		// Syntax only: out-of-range numbers pass here, bounded so the
		// arithmetic after never overflows; Validate refuses them.
		if v.Days < -800000 || v.Days > 800000 {
			t.Fatalf("ParseValidity(%q) = %d days: out of the parser's own bounds", s, v.Days)
		}
		// Whatever Validate accepts, NotAfter lies ahead and within 5 years.
		if v.Validate(KindCCE, relFuzzNow) == nil {
			na := v.NotAfter(relFuzzNow)
			if !na.After(relFuzzNow) || na.After(relFuzzNow.AddDate(5, 0, 1)) {
				t.Fatalf("ParseValidity(%q) validated, NotAfter %v", s, na)
			}
		}
	})
}

func FuzzParseWithin(f *testing.F) {
	for _, s := range []string{"30s", "15m", "12h", "7d", "2w", "0d", "-1d", "7", "d", "", "106751d", "106752d",
		"999999999d", "2147483647w", "2147483648s", "15251w", "15250w", " 7D ", "1.5h"} {
		f.Add(s)
	}
	units := map[byte]int64{'s': 1, 'm': 60, 'h': 3600, 'd': 86400, 'w': 7 * 86400}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseWithin(s)
		if err != nil {
			if d != 0 {
				t.Fatalf("ParseWithin(%q) = %v with error %v", s, d, err)
			}
			return
		}
		if d < 0 {
			t.Fatalf("ParseWithin(%q) = %v: negative", s, d)
		}
		in := strings.ToLower(strings.TrimSpace(s))
		n, ok := new(big.Int).SetString(in[:len(in)-1], 10)
		if !ok {
			t.Fatalf("ParseWithin(%q) accepted a non-number", s)
		}
		want := new(big.Int).Mul(n, big.NewInt(units[in[len(in)-1]]*int64(time.Second)))
		if want.Cmp(big.NewInt(int64(d))) != 0 {
			t.Fatalf("ParseWithin(%q) = %v, want %s ns: overflow", s, d, want)
		}
	})
}

func FuzzParseExpireAt(f *testing.F) {
	for _, s := range []string{"2027-03-01", "2027-03-01T12:00:00Z", "2027-03-01T12:30:00+08:00", "0000-01-01",
		"9999-12-31T23:59:59Z", "2027-02-30", "next tuesday", "", "2027-03-01T12:00:00+25:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		at, err := ParseExpireAt(s, time.UTC)
		if err != nil {
			var ve *ValidityError
			if !errors.As(err, &ve) || !at.IsZero() {
				t.Fatalf("ParseExpireAt(%q) = %v, %T %v", s, at, err, err)
			}
			return
		}
		// Validate must judge any accepted time without panicking, and
		// accept it only 15 minutes to 5 years ahead.
		if Until(at).Validate(KindCCE, relFuzzNow) == nil {
			if at.Sub(relFuzzNow) < MinExpireAhead || at.After(relFuzzNow.AddDate(5, 0, 0)) {
				t.Fatalf("ParseExpireAt(%q) = %v validated out of range", s, at)
			}
		}
	})
}
