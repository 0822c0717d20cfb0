package keysource

import (
	"context"
	"fmt"
	"sync"
	"time"

	"ccecert/api"
)

// Refresh timing of temporary keys.
const (
	// DefaultMargin is how long before their expiry keys are renewed.
	// Shorter-lived keys are renewed with a fifth of their life left, but
	// not later than minMargin (or half their life) before it: calls
	// signed just before a renewal still land in time.
	DefaultMargin = 5 * time.Minute
	minMargin     = 30 * time.Second
	// retryFailed is how long a failed run is not repeated: the old keys
	// stay in use while good, else the failure is returned again (no
	// process storm).
	retryFailed = 10 * time.Second
)

// RefreshEvent is one renewal of a source's keys, for the caller's log:
// never a secret.
type RefreshEvent struct {
	Profile string
	Source  string    // Describe() of the source
	Expires time.Time // of the new keys; zero when they do not expire
	Err     error     // the renewal failed (the old keys, if still good, stay in use)
}

// fetchFunc fetches a fresh key set (one run of the process).
type fetchFunc func(ctx context.Context) (api.Keys, error)

// refreshing caches a source's keys until shortly before they expire and
// renews them then: one fetch at a time however many callers ask (the
// others wait for it), one renewal per expiry.
type refreshing struct {
	profile  string
	describe string
	fetch    fetchFunc
	now      func() time.Time
	event    func(RefreshEvent)

	mu       sync.Mutex
	cur      api.Keys
	have     bool
	renewAt  time.Time // when cur is to be renewed; zero: never
	notUntil time.Time // no new attempt before (after a failure)
	lastErr  error     // the last failure, repeated until notUntil
	refused  api.Keys  // keys the cloud refused as expired (Invalidate)
	flight   *flight
}

// flight is one fetch in progress.
type flight struct {
	done chan struct{}
	keys api.Keys
	err  error
}

func (r *refreshing) Describe() string { return r.describe }

// Keys returns the cached keys while they are good. When they are due, it
// starts the renewal (or joins the one running): callers keep the old keys
// during the first half of the margin left, and wait for the new ones
// after that.
func (r *refreshing) Keys(ctx context.Context) (api.Keys, error) {
	r.mu.Lock()
	now := r.now()
	fresh := r.have && (r.renewAt.IsZero() || now.Before(r.renewAt))
	usable := r.have && now.Before(r.renewAt.Add(r.cur.Expires.Sub(r.renewAt)/2))
	valid := r.have && now.Before(r.cur.Expires)
	if fresh || (valid && now.Before(r.notUntil)) { // (after a failed renewal)
		k := r.cur
		r.mu.Unlock()
		return k, nil
	}
	if !valid && r.lastErr != nil && now.Before(r.notUntil) {
		err := r.lastErr // a failing source is not run for every call
		r.mu.Unlock()
		return api.Keys{}, err
	}
	f := r.flight
	if f == nil {
		f = &flight{done: make(chan struct{})}
		r.flight = f
		// The fetch outlives a caller that gives up: others may wait for
		// it, and the process has its own timeout.
		go r.run(context.WithoutCancel(ctx), f)
	}
	k := r.cur
	r.mu.Unlock()
	if usable {
		return k, nil
	}
	select {
	case <-f.done:
		return f.keys, f.err
	case <-ctx.Done():
		return api.Keys{}, fmt.Errorf("profile %q: waiting for credential source %s: %w", r.profile, r.describe, ctx.Err())
	}
}

// run fetches, stores the result and wakes the waiters.
func (r *refreshing) run(ctx context.Context, f *flight) {
	k, err := r.fetch(ctx)
	now := r.now()
	if err == nil && !k.Expires.IsZero() && !now.Before(k.Expires) {
		err = fmt.Errorf("profile %q: credential source %s gave keys that expired at %s: fix the source so it prints fresh keys",
			r.profile, r.describe, k.Expires.UTC().Format(time.RFC3339))
	}
	r.mu.Lock()
	if err == nil && r.refused.AK != "" && k.Same(r.refused) {
		err = fmt.Errorf("profile %q: credential source %s gave again the keys the cloud refused as expired: renew them at the source (and check the system clock)",
			r.profile, r.describe)
	}
	r.flight = nil
	switch {
	case err == nil:
		r.cur, r.have, r.notUntil, r.lastErr = k, true, time.Time{}, nil
		r.renewAt = renewAt(k.Expires, now)
		f.keys = k
	case r.have && now.Before(r.cur.Expires):
		// The old keys are still good: keep them, try again later.
		r.notUntil = now.Add(retryFailed)
		f.keys = r.cur
	default:
		r.have, r.lastErr, r.notUntil = false, err, now.Add(retryFailed)
		f.err = err
	}
	r.mu.Unlock()
	if r.event != nil { // before the waiters wake: their log follows it
		r.event(RefreshEvent{Profile: r.profile, Source: r.describe, Expires: k.Expires, Err: err})
	}
	close(f.done)
}

// renewAt is when keys expiring at exp, fetched at now, are renewed:
// DefaultMargin before (15-minute keys and longer); a fifth of their life
// before, but at least minMargin or half their life, when they live
// shorter (seconds-long keys in tests are renewed at half-life).
func renewAt(exp, now time.Time) time.Time {
	if exp.IsZero() {
		return time.Time{}
	}
	life := exp.Sub(now)
	margin := min(DefaultMargin, max(life/5, min(life/2, minMargin)))
	return exp.Add(-margin)
}

// Invalidate drops the cached keys when they are the ones the cloud
// refused (api.KeyInvalidator): the next Keys call fetches new ones.
func (r *refreshing) Invalidate(refused api.Keys) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.have && r.cur.Same(refused) {
		r.have, r.notUntil, r.refused = false, time.Time{}, refused
	}
}
