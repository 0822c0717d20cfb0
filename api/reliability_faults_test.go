package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"ccecert/api/emulator"
)

// The reliability suite of the api package: inventory, issue and revoke
// against the emulator while it injects every fault at once (errors, 429
// bursts, a hanging region, latency spikes, connection resets). The
// package's TestMain (goleak) fails the run if any of it leaves a goroutine
// behind.

const relHungRegion = "ap-southeast-1"

// relFaults is the fault mix of the issue: 10 % errors, a 429 burst, one
// hanging region, latency spikes and connection resets.
func relFaults() emulator.Faults {
	return emulator.Faults{
		Jitter:      25 * time.Millisecond,
		ErrorRate:   0.10,
		TooMany:     5,
		RetryAfter:  time.Second,
		HangRegions: []string{relHungRegion},
		ResetRate:   0.05,
	}
}

// relEnv is a test env whose client retries patiently (8 attempts; the
// waits are recorded, not slept) and gives a region 2 s.
func relEnv(t *testing.T, f emulator.Faults) *testEnv {
	t.Helper()
	return newTestEnv(t, emulator.Options{Faults: f}, func(c *Config) {
		c.Retry.MaxAttempts = 8
		c.Timeout = 20 * time.Second // longer than a region: a hung request is never retried
		c.RegionTimeout = 2 * time.Second
	})
}

// relSettledLog waits until every request the emulator received is in its
// log (a hung request is logged once the client has hung up) and returns it.
func relSettledLog(t *testing.T, srv *emulator.Server) []emulator.RequestRecord {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		log := srv.Log()
		if int64(len(log)) == srv.Requests() {
			return log
		}
		if time.Now().After(deadline) {
			t.Fatalf("emulator log has %d of %d requests", len(log), srv.Requests())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// relByCall groups request statuses by method and path.
func relByCall(log []emulator.RequestRecord) map[string][]int {
	out := map[string][]int{}
	for _, r := range log {
		k := r.Method + " " + r.Path
		out[k] = append(out[k], r.Status)
	}
	return out
}

// relCheckRetries checks the wire history of calls that each succeeded
// `want` times: exactly want 200s per call, and every other answer a
// retryable one (500, 429, or a reset/abandoned request: 0) — never a
// 401/403, and never more failures than the retry budget allows.
func relCheckRetries(t *testing.T, calls map[string][]int, want int, maxAttempts int) (fails map[int]int) {
	t.Helper()
	fails = map[int]int{}
	for call, statuses := range calls {
		ok := 0
		for _, s := range statuses {
			switch s {
			case http.StatusOK:
				ok++
			case http.StatusInternalServerError, http.StatusTooManyRequests, 0:
				fails[s]++
			default:
				t.Errorf("%s: answered %d (statuses %v)", call, s, statuses)
			}
		}
		if ok != want {
			t.Errorf("%s: %d successes, want %d (statuses %v)", call, ok, want, statuses)
		}
		if n := len(statuses) - ok; n > want*(maxAttempts-1)*2 {
			// A reset GET may be replayed once by net/http itself, hence ×2.
			t.Errorf("%s: %d failed attempts for %d calls: more than the retry budget (%v)", call, n, want, statuses)
		}
	}
	return fails
}

func TestReliabilityInventoryUnderFaults(t *testing.T) {
	e := relEnv(t, relFaults())
	want := expectedTargets(t, e.srv, "cn-north-4", "cn-east-3", "cn-south-1")
	const rounds = 3
	for round := range rounds {
		inv, err := e.client.Inventory(context.Background(), InventoryOptions{})
		if err != nil {
			t.Fatalf("round %d: Inventory failed as a whole: %v", round, err)
		}
		checkTargets(t, inv.Targets, want)
		kinds := map[Kind]bool{}
		for _, re := range inv.Errors {
			var ae *Error
			if re.Region != relHungRegion || !errors.As(re.Err, &ae) || !ae.Timeout() {
				t.Errorf("round %d: unexpected region error %v (region %s)", round, re, re.Region)
			}
			kinds[re.Kind] = true
		}
		if len(inv.Errors) != 2 || !kinds[KindCCE] || !kinds[KindAutopilot] {
			t.Errorf("round %d: region errors %v, want the hanging region's cce and autopilot listings only", round, inv.Errors)
		}
	}
	log := relSettledLog(t, e.srv)
	calls := relByCall(log)
	hung := map[string][]int{}
	for _, r := range log {
		if call := r.Method + " " + r.Path; r.Region == relHungRegion && calls[call] != nil {
			hung[call] = calls[call]
			delete(calls, call)
		}
	}
	if len(hung) != 2 {
		t.Fatalf("hanging-region calls %v, want its cce and autopilot listings", hung)
	}
	for call, statuses := range hung {
		if len(statuses) != rounds {
			t.Errorf("%s: %d attempts in %d rounds: a region past its deadline must not be retried", call, len(statuses), rounds)
		}
		for _, s := range statuses {
			if s != 0 {
				t.Errorf("%s answered %d: it should hang", call, s)
			}
		}
	}
	fails := relCheckRetries(t, calls, rounds, 8)
	// The burst is the next 5 requests: those the log settles on (a request
	// still in flight when a round ends may be cut off) must each be retried.
	if n := fails[http.StatusTooManyRequests]; n == 0 || n > 5 {
		t.Errorf("%d answers 429, want the burst of at most 5, each retried", n)
	}
	t.Logf("inventory under faults: %d calls ×%d rounds, retried failures by status %v", len(calls), rounds, fails)
}

// relIssuable are the demo clusters a certificate can be issued for outside
// the hanging region.
func relIssuable(t *testing.T, e *testEnv) []Target {
	t.Helper()
	inv, err := e.client.Inventory(context.Background(), InventoryOptions{Kinds: []Kind{KindCCE, KindAutopilot}})
	if err != nil {
		t.Fatal(err)
	}
	var out []Target
	for _, tg := range inv.Targets {
		if tg.Region != relHungRegion && !tg.Hibernated() {
			out = append(out, tg)
		}
	}
	if len(out) < 6 {
		t.Fatalf("only %d issuable targets listed", len(out))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Under every fault at once, each issue and revoke either succeeds or fails
// saying the cloud may have acted — and a call the cloud may have acted on
// (a 500, a reset after the request was sent) is never repeated: on the
// wire, each failed call cost exactly one such answer. 429s, which the
// cloud surely did not act on, are retried.
func TestReliabilityIssueAndRevokeUnderFaults(t *testing.T) {
	e := relEnv(t, emulator.Faults{})
	targets := relIssuable(t, e)
	start := len(relSettledLog(t, e.srv))
	e.srv.SetFaults(relFaults())

	const issueRounds = 3
	n := len(targets) * issueRounds
	issued := make([]*Issued, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		tg := targets[i%len(targets)]
		wg.Go(func() {
			issued[i], errs[i] = e.client.Issue(context.Background(), tg, CertRequest{Validity: Days(1 + i)})
		})
	}
	wg.Wait()
	okByTarget, failByTarget := map[string]int{}, map[string]int{}
	for i := range n {
		tg := targets[i%len(targets)]
		if errs[i] != nil {
			relCheckActed(t, "issue "+tg.Name, errs[i])
			failByTarget[tg.ID]++
			continue
		}
		okByTarget[tg.ID]++
		if c := leaf(t, issued[i]); c.Subject.CommonName != e.srv.UserID {
			t.Errorf("%s: CN %q", tg.Name, c.Subject.CommonName)
		}
	}
	revokeErrs := make([]error, len(targets))
	for i, tg := range targets {
		wg.Go(func() { _, revokeErrs[i] = e.client.Revoke(context.Background(), tg, e.srv.UserID) })
	}
	wg.Wait()
	revokeOK, revokeFail := map[string]int{}, map[string]int{}
	for i, tg := range targets {
		switch err := revokeErrs[i]; {
		case tg.Kind == KindAutopilot:
			if !errors.Is(err, ErrAutopilotRevoke) {
				t.Errorf("revoke Autopilot %s: %v", tg.Name, err)
			}
		case err != nil:
			relCheckActed(t, "revoke "+tg.Name, err)
			revokeFail[tg.ID]++
		default:
			revokeOK[tg.ID]++
		}
	}
	fails := map[int]int{}
	for call, statuses := range relByCall(relSettledLog(t, e.srv)[start:]) {
		id := relCallCluster(call)
		switch {
		case strings.HasSuffix(call, "/clustercert"):
			relCheckOneShot(t, call, statuses, okByTarget[id], failByTarget[id], fails)
		case strings.HasSuffix(call, "/clustercertrevoke"):
			relCheckOneShot(t, call, statuses, revokeOK[id], revokeFail[id], fails)
		default:
			t.Errorf("unexpected call %s %v", call, statuses)
		}
	}
	// The burst is the next 5 requests of any kind (an IAM lookup may take
	// one); those on the cert and revoke endpoints must each be retried.
	if n := fails[http.StatusTooManyRequests]; n == 0 || n > 5 {
		t.Errorf("%d answers 429 on cert and revoke calls, want 1..5 of the burst", n)
	}
	t.Logf("%d issues + %d revokes under faults: answers by status %v", n, len(targets), fails)
}

// relCheckActed checks the error of an issuing call that failed under
// faults: a 500 or a reset after the request was sent, saying what to check.
func relCheckActed(t *testing.T, what string, err error) {
	t.Helper()
	ae, ok := asError(err)
	if !ok || !ae.MayHaveActed() || (ae.Status != http.StatusInternalServerError && ae.Status != 0) ||
		!strings.Contains(err.Error(), "may have") {
		t.Errorf("%s under faults: %v, want a 500 or reset that says the cloud may have acted", what, err)
	}
}

// relCallCluster is the cluster id in "POST /.../clusters/{id}/clustercert".
func relCallCluster(call string) string {
	parts := strings.Split(call, "/")
	if len(parts) < 2 {
		return ""
	}
	return parts[len(parts)-2]
}

// relCheckOneShot checks the wire history of one issuing endpoint: ok 200s,
// and exactly one 500 or reset (0) per failed call — never a repeat after
// the cloud may have acted — besides the 429s, which are retried.
func relCheckOneShot(t *testing.T, call string, statuses []int, ok, failed int, tally map[int]int) {
	t.Helper()
	got200, acted := 0, 0
	for _, s := range statuses {
		tally[s]++
		switch s {
		case http.StatusOK:
			got200++
		case http.StatusInternalServerError, 0:
			acted++
		case http.StatusTooManyRequests:
		default:
			t.Errorf("%s: answered %d (statuses %v)", call, s, statuses)
		}
	}
	if got200 != ok || acted != failed {
		t.Errorf("%s: %d successes and %d 500/resets on the wire, want %d and %d (statuses %v)",
			call, got200, acted, ok, failed, statuses)
	}
}

func TestReliabilityIssueInHangingRegionTimesOut(t *testing.T) {
	e := relEnv(t, emulator.Faults{})
	tg := e.target(t, "legacy-billing") // in ap-southeast-1
	e.srv.SetFaults(emulator.Faults{HangRegions: []string{tg.Region}})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	_, err := e.client.Issue(ctx, tg, CertRequest{Validity: Days(1)})
	ae, ok := asError(err)
	if !ok || !ae.Timeout() || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("issue in a hanging region: %v, want a timeout", err)
	}
	if !strings.Contains(err.Error(), "timed out") {
		t.Errorf("error text %q does not say it timed out", err)
	}
}

func TestReliabilityNeverRetriesAuthFailures(t *testing.T) {
	e := relEnv(t, emulator.Faults{})
	tg := e.target(t, "prod-payments")
	other := e.target(t, "staging-web")
	// A key limited to the other cluster's project: 403 on prod-payments.
	e.srv.AddKey("RELLIMITEDAK0000000", "rel-limited-secret-key-0123456789abcdef", "rel-user", other.ProjectID)
	limited := e.cfg
	limited.AK, limited.SK = "RELLIMITEDAK0000000", Secret("rel-limited-secret-key-0123456789abcdef")
	lc, err := New(limited)
	if err != nil {
		t.Fatal(err)
	}
	defer lc.Close()
	wrong := e.cfg
	wrong.SK = Secret("rel-wrong-secret-key-0123456789abcdefgh")
	wc, err := New(wrong)
	if err != nil {
		t.Fatal(err)
	}
	defer wc.Close()

	cases := []struct {
		name   string
		call   func() error
		status int
	}{
		{"issue 403", func() error { _, err := lc.Issue(context.Background(), tg, CertRequest{Validity: Days(1)}); return err }, 403},
		{"revoke 403", func() error { _, err := lc.Revoke(context.Background(), tg, "rel-user"); return err }, 403},
		{"issue 401", func() error { _, err := wc.Issue(context.Background(), tg, CertRequest{Validity: Days(1)}); return err }, 401},
		{"revoke 401", func() error { _, err := wc.Revoke(context.Background(), tg, e.srv.UserID); return err }, 401},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// A 429 burst first: those two are retried, the auth failure
			// after them is not.
			e.srv.SetFaults(emulator.Faults{TooMany: 2, RetryAfter: time.Second})
			start := len(relSettledLog(t, e.srv))
			err := tc.call()
			ae, ok := asError(err)
			if !ok || ae.Status != tc.status {
				t.Fatalf("got %v, want HTTP %d", err, tc.status)
			}
			assertClean(t, err, "rel-limited-secret-key-0123456789abcdef", "rel-wrong-secret-key-0123456789abcdefgh", e.srv.SK)
			var got []int
			for _, r := range relSettledLog(t, e.srv)[start:] {
				got = append(got, r.Status)
			}
			if fmt.Sprint(got) != fmt.Sprint([]int{429, 429, tc.status}) {
				t.Fatalf("wire statuses %v, want [429 429 %d]: throttling retried, %d never", got, tc.status, tc.status)
			}
		})
	}
}
