package keysource

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ccecert/api"
)

// TestRefreshSingleFlight: many callers during a renewal run the fetch
// once; keys are renewed once per expiry (100 s keys 30 s before it).
func TestRefreshSingleFlight(t *testing.T) {
	var now atomic.Pointer[time.Time]
	t0 := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	now.Store(&t0)
	clock := func() time.Time { return *now.Load() }
	var fetches atomic.Int32
	release := make(chan struct{})
	var events []RefreshEvent
	var evMu sync.Mutex
	r := &refreshing{profile: "p", describe: "process x", now: clock,
		event: func(e RefreshEvent) { evMu.Lock(); events = append(events, e); evMu.Unlock() },
		fetch: func(context.Context) (api.Keys, error) {
			n := fetches.Add(1)
			<-release
			return api.Keys{AK: "AK" + string(rune('0'+n)), SK: api.Secret("sk"), Expires: clock().Add(100 * time.Second)}, nil
		}}
	var wg sync.WaitGroup
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := r.Keys(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	time.Sleep(50 * time.Millisecond) // let them pile up on the flight
	close(release)
	wg.Wait()
	if n := fetches.Load(); n != 1 {
		t.Fatalf("%d fetches for 50 concurrent callers, want 1", n)
	}
	step := func(d time.Duration) { t1 := clock().Add(d); now.Store(&t1) }
	step(69 * time.Second) // 31 s left of 100: not yet
	if k, _ := r.Keys(context.Background()); k.AK != "AK1" || fetches.Load() != 1 {
		t.Fatalf("renewed too early: %s, %d fetches", k.AK, fetches.Load())
	}
	step(2 * time.Second) // 29 s left: renew in the background
	if k, _ := r.Keys(context.Background()); k.AK != "AK1" {
		t.Fatalf("the old keys were not served during the renewal: %s", k.AK)
	}
	step(14 * time.Second) // 15 s left: wait for the renewal
	if k, _ := r.Keys(context.Background()); k.AK != "AK2" || fetches.Load() != 2 {
		t.Fatalf("not renewed: %s, %d fetches", k.AK, fetches.Load())
	}
	if len(events) != 2 {
		t.Fatalf("%d refresh events, want 2", len(events))
	}
}

// TestRefreshFailureKeepsGoodKeys: a failed renewal while the keys are
// still good keeps them and is not repeated at once; once they expired the
// error comes through.
func TestRefreshFailureKeepsGoodKeys(t *testing.T) {
	t0 := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	cur := t0
	var fetches int
	fail := false
	r := &refreshing{profile: "p", describe: "process x", now: func() time.Time { return cur },
		fetch: func(context.Context) (api.Keys, error) {
			fetches++
			if fail {
				return api.Keys{}, errors.New(`profile "p": credential process x failed`)
			}
			return api.Keys{AK: "AK", SK: api.Secret("sk"), Expires: cur.Add(100 * time.Second)}, nil
		}}
	if _, err := r.Keys(context.Background()); err != nil {
		t.Fatal(err)
	}
	fail, cur = true, t0.Add(90*time.Second)
	for range 5 {
		if k, err := r.Keys(context.Background()); err != nil || k.AK != "AK" {
			t.Fatalf("good keys lost on a failed renewal: %v", err)
		}
	}
	if fetches != 2 {
		t.Fatalf("%d fetches, want 2 (no retry storm)", fetches)
	}
	cur = t0.Add(101 * time.Second)
	if _, err := r.Keys(context.Background()); err == nil {
		t.Fatal("expired keys served")
	}
}

// TestRefreshAfterRefusal: keys the cloud refused as expired are fetched
// again once; the same keys again are an error naming the fix, and a
// failing source is not run again for every call.
func TestRefreshAfterRefusal(t *testing.T) {
	cur := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
	fetches := 0
	same := api.Keys{AK: "AK", SK: api.Secret("sk"), Expires: cur.Add(time.Hour)}
	r := &refreshing{profile: "p", describe: "process x", now: func() time.Time { return cur },
		fetch: func(context.Context) (api.Keys, error) { fetches++; return same, nil }}
	k, err := r.Keys(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r.Invalidate(k)
	for range 3 {
		_, err = r.Keys(context.Background())
		if err == nil || !strings.Contains(err.Error(), "refused as expired") {
			t.Fatalf("the refused keys again: %v", err)
		}
	}
	if fetches != 2 {
		t.Fatalf("%d fetches, want 2 (one after the refusal, none for the calls that followed)", fetches)
	}
	cur = cur.Add(retryFailed + time.Second)
	same = api.Keys{AK: "AK2", SK: api.Secret("sk2")}
	if k, err := r.Keys(context.Background()); err != nil || k.AK != "AK2" {
		t.Fatalf("new keys after the pause: %v", err)
	}
}
