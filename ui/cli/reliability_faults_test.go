package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"ccecert/api/emulator"
)

// TestReliabilityCLIUnderFaults drives list, renew and revoke while the
// emulator injects faults (10 % errors, 429 bursts, a hanging region,
// latency spikes, connection resets): what can be done is done and shown,
// failures are reported beside it, and nothing is left half-written. The
// CLI makes 4 attempts per call (not configurable), so a healthy call may
// still fail after 4 injected faults in a row; that is shown, not hidden.
func TestReliabilityCLIUnderFaults(t *testing.T) {
	relLeakCheck(t)
	e := newRelEnv(t, emulator.Options{})
	cfg := "keyring: false\ntimeouts:\n  request: 1s\n  region: 2s\n"
	if err := os.WriteFile(filepath.Join(e.root, "config", "ccecert", "config.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	e.must("list", "--refresh")
	for _, name := range []string{"prod-payments", "legacy-billing", "prod-gz"} {
		e.must("get", name, "--duration", "1")
	}
	// Listing makes one IAM call first, so its phase has no random faults:
	// a 429 burst within the CLI's 4 attempts, latency spikes and the
	// hanging region. Then every fault at once.
	e.srv.SetFaults(emulator.Faults{Jitter: 25 * time.Millisecond, TooMany: 3, RetryAfter: time.Second, HangRegions: []string{"ap-southeast-1"}})
	start := len(e.srv.Log())
	list := e.run("list", "--refresh")
	if list.code != 0 {
		t.Fatalf("list under faults: exit %d\n%s%s", list.code, list.stdout, list.stderr)
	}
	for _, name := range []string{"prod-payments", "serverless-api", "prod-gz", "legacy-billing", "analytics-hk", "global-prod"} {
		if !strings.Contains(list.stdout, name) {
			t.Errorf("list under faults lacks %s (the hanging region's are kept from the cache):\n%s", name, list.stdout)
		}
	}
	warnings := strings.Split(strings.TrimSpace(list.stderr), "\n")
	if len(warnings) != 2 || !strings.Contains(list.stderr, "ap-southeast-1") || !strings.Contains(list.stderr, "timed out") {
		t.Errorf("want one warning per failed listing of the hanging region, got:\n%s", list.stderr)
	}

	e.srv.SetFaults(emulator.Faults{Jitter: 25 * time.Millisecond, ErrorRate: 0.10, TooMany: 2, RetryAfter: time.Second,
		HangRegions: []string{"ap-southeast-1"}, ResetRate: 0.05})
	before := e.relCheck()
	renew := e.run("renew", "--yes", "--within", "400d") // legacy-billing's certificate lasts a year
	failed := relRenewFailures(t, renew.stdout)
	if renew.code != 1 || !strings.Contains(renew.stderr, " of 3 renewals failed") || failed == 0 {
		t.Errorf("renew under faults: exit %d\n%s%s", renew.code, renew.stdout, renew.stderr)
	}
	if s := e.relCheck(); !slicesEqualSorted(s.contexts, before.contexts) || s.dupTargets != 0 || len(s.staleInUse) > 0 {
		t.Errorf("after renew under faults: contexts %v (had %v), %d target(s) with two live credentials, on replaced credentials %v",
			s.contexts, before.contexts, s.dupTargets, s.staleInUse)
	}

	r := e.run("revoke", "prod-gz-external", "--yes")
	switch {
	case r.code == 0 && strings.Contains(r.stdout, "removed contexts prod-gz-external"):
		if s := e.relCheck(); len(s.contexts) != 2 {
			t.Errorf("after revoke: contexts %v", s.contexts)
		}
	case r.code == 1 && relRetriesExhausted(r.stderr):
		e.relCheck() // the cloud said no 4 times: nothing changed
	default:
		t.Errorf("revoke under faults: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	var retried int
	for _, q := range e.srv.Log()[start:] {
		switch q.Status {
		case 401, 403:
			t.Errorf("%s %s answered %d: the key was refused", q.Method, q.Path, q.Status)
		case 0, 429, 500:
			retried++
		}
	}
	if retried < 3 {
		t.Errorf("only %d failed answers: the faults were not injected", retried)
	}
}

// relRenewFailures checks each row of a renew report under faults: the
// hanging region's renewal failed on a timeout; a healthy one was renewed,
// or failed only because 4 attempts all met an injected fault, shown
// beside the others. It returns how many failed.
func relRenewFailures(t *testing.T, report string) int {
	t.Helper()
	var failed int
	for _, line := range strings.Split(report, "\n") {
		hung := strings.Contains(line, "legacy-billing")
		healthy := strings.Contains(line, "prod-payments") || strings.Contains(line, "prod-gz")
		switch {
		case hung && !strings.Contains(line, "timed out"):
			t.Errorf("the hanging region's renewal is not reported timed out: %q", line)
		case healthy && !strings.Contains(line, "renewed") && !relRetriesExhausted(line):
			t.Errorf("a healthy region's renewal is neither renewed nor an injected failure: %q", line)
		}
		if strings.Contains(line, "failed") {
			failed++
		}
	}
	return failed
}

// relRetriesExhausted reports an error of a call whose every attempt met an
// injected fault (500 or a reset).
func relRetriesExhausted(s string) bool {
	return strings.Contains(s, "HTTP 500") || strings.Contains(s, "connection reset")
}

func slicesEqualSorted(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
