package engine

import (
	"strings"
	"testing"
	"time"

	"ccecert/api"
	"ccecert/store"
)

// TestRenewalDueAtOnceIsNotRepeated: thresholds that make a fresh
// certificate critical (critical within 7d, no lifetime divisor, on 7-day
// certificates; within 2d on 2-day ones) would renew on every plugin call.
// The plugin serves the certificate instead and warns, naming the
// thresholds; an expired one is still renewed, once.
func TestRenewalDueAtOnceIsNotRepeated(t *testing.T) {
	cases := []struct {
		days    int
		within  time.Duration
		advance time.Duration // until it is critical
	}{{7, 7 * store.Day, 0}, {2, 3 * store.Day, 0}, {3, 3*store.Day - 30*time.Minute, 31 * time.Minute}}
	for _, c := range cases {
		t.Run(store.FormatRemaining(c.within), func(t *testing.T) {
			e := newEngineEnv(t, envOptions{})
			e.eng.Config.ExecAutoRenew = true
			e.eng.Config.Thresholds.Critical = store.Threshold{Within: c.within, Divisor: 0}
			e.eng.Config.Thresholds.Warning = store.Threshold{Within: c.within, Divisor: 0}
			old := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web"), Validity: api.Days(c.days), Mode: store.ModeExec}).Credential
			issued := e.cloud.issues.Load()
			e.clock.Advance(c.advance)
			for range 3 {
				r, err := e.eng.Exec(t.Context(), old.ID)
				if err != nil {
					t.Fatal(err)
				}
				w := strings.Join(r.Warnings, "\n")
				if r.Renewed != "" || !strings.Contains(w, "thresholds.critical") || !strings.Contains(w, store.FormatRemaining(c.within)) {
					t.Fatalf("renewed %q, warnings %q", r.Renewed, r.Warnings)
				}
			}
			if n := e.cloud.issues.Load() - issued; n != 0 {
				t.Fatalf("%d renewals of a certificate due from its issue", n)
			}
			e.clock.Advance(time.Duration(c.days)*store.Day + time.Hour) // expired: renew it, once
			r, err := e.eng.Exec(t.Context(), old.ID)
			if err != nil || r.Renewed == "" {
				t.Fatalf("expired: renewed %q, %v", r.Renewed, err)
			}
			if !strings.Contains(strings.Join(r.Warnings, "\n"), "thresholds.critical") {
				t.Errorf("the renewal that will be due at once is not named: %q", r.Warnings)
			}
		})
	}
}

// TestDueAtOnceLeavesSoundThresholdsAlone: the defaults on a 30-day
// certificate renew when critical, as before.
func TestDueAtOnceLeavesSoundThresholdsAlone(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	e.eng.Config.ExecAutoRenew = true
	old := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web"), Validity: api.Days(30), Mode: store.ModeExec}).Credential
	if w := e.eng.dueAtOnce(old); w != "" {
		t.Fatalf("default thresholds flagged: %s", w)
	}
	e.clock.Advance(28 * store.Day)
	if r, err := e.eng.Exec(t.Context(), old.ID); err != nil || r.Renewed == "" || len(r.Warnings) != 0 {
		t.Fatalf("critical under the defaults: renewed %q, warnings %q, %v", r.Renewed, r.Warnings, err)
	}
}
