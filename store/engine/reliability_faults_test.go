package engine

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"ccecert/api"
	"ccecert/api/emulator"
	"ccecert/store"
)

// The engine's reliability under every emulator fault at once: partial
// results beside per-region errors, nothing half-written, no goroutine left
// behind (newRelEnv's goleak check).

const relHung = "ap-southeast-1"

func relFaults() emulator.Faults {
	return emulator.Faults{
		Jitter: 25 * time.Millisecond, ErrorRate: 0.10, TooMany: 5, RetryAfter: time.Second,
		HangRegions: []string{relHung}, ResetRate: 0.05,
	}
}

// mayHaveActed: the issuing call failed after it was sent (a 5xx, a reset),
// so it was not retried and its error says the cloud may have acted.
func mayHaveActed(err error) bool {
	var ae *api.Error
	return errors.As(err, &ae) && ae.MayHaveActed()
}

// relFetchAll fetches one credential per issuable target concurrently and
// returns them by target name. Under faults (faulty), a fetch may fail
// only with an error that says the cloud may have issued it: issuing
// POSTs are not retried once sent.
func relFetchAll(t *testing.T, e *relEnv, targets []api.Target, faulty bool) map[string]store.Credential {
	t.Helper()
	out := make([]FetchResult, len(targets))
	errs := make([]error, len(targets))
	var wg sync.WaitGroup
	for i, tg := range targets {
		wg.Go(func() {
			out[i], errs[i] = e.eng.Fetch(context.Background(), FetchRequest{Target: tg, Validity: api.Days(1)})
		})
	}
	wg.Wait()
	creds := map[string]store.Credential{}
	for i, tg := range targets {
		switch {
		case errs[i] != nil && faulty && mayHaveActed(errs[i]):
			continue
		case errs[i] != nil:
			t.Fatalf("fetch %s: %v", tg.Name, errs[i])
		}
		creds[tg.Name] = out[i].Credential
	}
	if len(creds) == 0 && len(targets) > 0 {
		t.Fatalf("no fetch of %d succeeded", len(targets))
	}
	return creds
}

func relIssuableTargets(t *testing.T, e *relEnv) []api.Target {
	t.Helper()
	recs, err := e.store.Targets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out []api.Target
	for _, r := range recs {
		if r.Kind != api.KindFleet && !r.Hibernated() {
			out = append(out, r.Target)
		}
	}
	return out
}

func TestReliabilityEngineUnderFaults(t *testing.T) {
	e := newRelEnv(t)
	ctx := context.Background()
	if _, err := e.eng.Refresh(ctx, RefreshOptions{}); err != nil {
		t.Fatal(err)
	}
	// Half the clusters (and the one in the region about to hang) get a
	// credential before any fault, the other half under faults.
	var before, during []api.Target
	for i, tg := range relIssuableTargets(t, e) {
		if i%2 == 0 || tg.Region == relHung {
			before = append(before, tg)
		} else {
			during = append(during, tg)
		}
	}
	creds := relFetchAll(t, e, before, false)
	relCheckConsistent(t, e, true)

	e.srv.SetFaults(relFaults())
	t.Run("refresh", func(t *testing.T) { relRefreshUnderFaults(t, e) })
	t.Run("fetch", func(t *testing.T) {
		for name, c := range relFetchAll(t, e, during, true) {
			creds[name] = c
		}
		relCheckConsistent(t, e, true)
	})
	t.Run("renew", func(t *testing.T) { relRenewUnderFaults(t, e) })
	t.Run("renew fails everywhere", func(t *testing.T) { relRenewAllFail(t, e) })
	t.Run("revoke", func(t *testing.T) {
		c, err := e.store.Find(ctx, creds["prod-payments"].Contexts[0])
		if err != nil {
			t.Fatal(err)
		}
		out, err := e.eng.Revoke(ctx, c)
		if err != nil && mayHaveActed(err) {
			// Sent, then reset: not retried, the error says so, and the
			// intent stays recorded for Reconcile (TestInterruptedRevoke...).
			relCheckConsistent(t, e, true)
			return
		}
		if err != nil || len(out.Revoked) == 0 || len(out.Removed) == 0 {
			t.Fatalf("revoke under faults: %+v, %v", out, err)
		}
		relCheckConsistent(t, e, true)
	})
}

// relRefreshUnderFaults: every region but the hanging one is listed and
// saved; the hanging one is an error beside them and keeps its cache.
func relRefreshUnderFaults(t *testing.T, e *relEnv) {
	ctx := context.Background()
	before, err := e.store.Targets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	inv, err := e.eng.Refresh(ctx, RefreshOptions{})
	if err != nil {
		t.Fatalf("refresh under faults: %v", err)
	}
	if len(inv.Errors) != 2 {
		t.Fatalf("region errors %v, want the hanging region's two listings", inv.Errors)
	}
	for _, re := range inv.Errors {
		var ae *api.Error
		if re.Region != relHung || !errors.As(re, &ae) || !ae.Timeout() {
			t.Errorf("region error %v", re)
		}
	}
	var listed int
	for _, r := range before {
		if r.Region != relHung && r.Kind != api.KindFleet {
			listed++
		}
	}
	if got := len(inv.Targets); got != listed+3 { // + the three fleets
		t.Errorf("listed %d targets, want %d", got, listed+3)
	}
	after, err := e.store.Targets(ctx)
	if err != nil || len(after) != len(before) {
		t.Fatalf("cache has %d targets after a partial refresh, had %d (%v)", len(after), len(before), err)
	}
}

// relRenewUnderFaults renews everything: the healthy regions' credentials
// are replaced in place, the hanging region's renewal fails and leaves its
// old, valid entry.
func relRenewUnderFaults(t *testing.T, e *relEnv) {
	ctx := context.Background()
	due, err := e.store.Credentials(ctx, store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	outcomes := e.eng.RenewAll(ctx, due, nil)
	var renewed, failed int
	for _, o := range outcomes {
		switch {
		case o.Old.Target.Region == relHung:
			if o.Err == nil {
				t.Errorf("renewal of %s in the hanging region succeeded", o.Old.ID)
			}
			failed++
		case o.Err != nil && mayHaveActed(o.Err):
			failed++ // sent, then failed: not retried, and the error says so
		case o.Err != nil:
			t.Errorf("renew %s (%s) under faults: %v", o.Old.ID, o.Old.Target.Name, o.Err)
		default:
			renewed++
			if c, err := e.store.Find(ctx, o.Old.ID); err != nil || c.ReplacedBy != o.Result.Credential.ID {
				t.Errorf("old %s: replaced by %q, want %s (%v)", o.Old.ID, c.ReplacedBy, o.Result.Credential.ID, err)
			}
		}
	}
	if renewed == 0 || failed == 0 {
		t.Errorf("renewed %d, failed %d: want both", renewed, failed)
	}
	used := relCheckConsistent(t, e, true)
	for _, o := range outcomes {
		if o.Err == nil && used[o.Old.Fingerprint] {
			t.Errorf("kubeconfig still uses replaced credential %s", o.Old.ID)
		}
		if o.Err != nil && !used[o.Old.Fingerprint] {
			t.Errorf("failed renewal of %s lost its old kubeconfig entry", o.Old.ID)
		}
	}
	t.Logf("renew under faults: %d renewed, %d failed in the hanging region", renewed, failed)
}

// relRenewAllFail: when every request fails, nothing changes at all.
func relRenewAllFail(t *testing.T, e *relEnv) {
	ctx := context.Background()
	e.srv.SetFaults(emulator.Faults{ErrorRate: 1})
	defer e.srv.SetFaults(relFaults())
	kubeBefore := relReadFile(t, e.kube)
	credsBefore, err := e.store.Credentials(ctx, store.Filter{All: true})
	if err != nil {
		t.Fatal(err)
	}
	due, _ := e.store.Credentials(ctx, store.Filter{})
	for _, o := range e.eng.RenewAll(ctx, due, nil) {
		var ae *api.Error
		if o.Err == nil || !errors.As(o.Err, &ae) || ae.Status != 500 {
			t.Errorf("renew %s with every request failing: %v", o.Old.ID, o.Err)
		}
	}
	if !bytes.Equal(relReadFile(t, e.kube), kubeBefore) {
		t.Error("the kubeconfig changed although every renewal failed")
	}
	credsAfter, _ := e.store.Credentials(ctx, store.Filter{All: true})
	if !slices.EqualFunc(credsBefore, credsAfter, func(a, b store.Credential) bool {
		return a.ID == b.ID && a.ReplacedBy == b.ReplacedBy && a.RevokedAt.Equal(b.RevokedAt)
	}) {
		t.Error("the store changed although every renewal failed")
	}
	relCheckConsistent(t, e, true)
}
