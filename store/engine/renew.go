package engine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"time"

	"ccecert/api"
	"ccecert/store"
)

// Renew fetches a new certificate for a credential with its original
// validity, contexts, mode and kubeconfig, updates those kubeconfig entries
// in place, and marks the old credential replaced.
func (e *Engine) Renew(ctx context.Context, old store.Credential) (FetchResult, error) {
	if err := e.CanRenew(old); err != nil {
		return FetchResult{}, err
	}
	old, err := e.absoluteRecord(ctx, old)
	if err != nil {
		return FetchResult{}, err
	}
	t := e.latestTarget(ctx, old.Target)
	res, err := e.Fetch(ctx, FetchRequest{
		Target: t, Validity: renewValidity(old), Roles: old.Roles, Mode: old.Mode, Kubeconfig: old.Kubeconfig,
	})
	if err != nil {
		return res, fmt.Errorf("renew %s: %w", old.ID, err)
	}
	if err := e.retire(ctx, old, res.Credential); err != nil {
		return res, err
	}
	e.event(ctx, "renew", t.Key(), old.ID+" -> "+res.Credential.ID, nil)
	if w := e.dueAtOnce(res.Credential); w != "" {
		res.Warnings = append(res.Warnings, w)
	}
	return res, nil
}

// CanRenew says why a credential cannot be renewed, or nil: a revoked or
// replaced one is history, and a scanned one has no known cluster behind it.
func (e *Engine) CanRenew(c store.Credential) error {
	if c.Damage != "" {
		return errors.New(c.Damage)
	}
	if err := e.ownProfile(c); err != nil {
		return err
	}
	if !c.Active() {
		return fmt.Errorf("credential %s is %s: fetch a new one with `ccecert get %s`", c.ID, c.Health(e.now(), e.Config.Thresholds), c.Target.Name)
	}
	if c.Source == store.SourceScanned || (c.Target.ID == "" || isUnmatched(c.Target)) {
		return fmt.Errorf("credential %s was %s from a kubeconfig and has no known cluster behind it: fetch one with `ccecert get`", c.ID, c.Source)
	}
	return nil
}

// retire marks old replaced by its renewal, unless the fetch already did
// (supersede); when a later renewal already replaced nu (renewals racing in
// two processes), old points at the live end of that chain.
func (e *Engine) retire(ctx context.Context, old, nu store.Credential) error {
	cur, err := e.Store.Find(ctx, old.ID)
	if err != nil || !cur.Active() || nu.ID == old.ID {
		return err
	}
	if cur, err := e.Store.Find(ctx, nu.ID); err == nil {
		nu = e.latest(ctx, cur)
	}
	if nu.ID == old.ID || !nu.Active() {
		return nil
	}
	if err := e.Store.MarkReplaced(ctx, old.ID, nu.ID); err != nil && !errors.Is(err, store.ErrSuperseded) {
		return err
	}
	return nil
}

// isUnmatched reports an imported target no inventory entry matched.
func isUnmatched(t api.Target) bool { return strings.HasPrefix(t.ID, "unmatched:") }

// latestTarget is the cached version of t (a fresher phase or endpoint), or t.
func (e *Engine) latestTarget(ctx context.Context, t api.Target) api.Target {
	r, found, err := e.Store.Target(ctx, t.Key())
	if err != nil || !found {
		return t
	}
	return r.Target
}

// renewValidity is the validity of a renewal: the one asked for at first;
// an exact date long past becomes the same lifetime in days.
func renewValidity(c store.Credential) api.Validity {
	v := c.Validity
	if v.ExpireAt.IsZero() && v.Days != 0 {
		return v
	}
	days := int(math.Round(c.Lifetime().Hours() / 24))
	if days < 1 {
		days = 1
	}
	return api.Days(days)
}

// RenewOutcome is one credential's renewal in a bulk renew.
type RenewOutcome struct {
	Old    store.Credential
	Result FetchResult
	Err    error
}

// RenewAll renews creds concurrently (bounded by the configured
// concurrency) and returns one outcome per credential, in order. progress,
// if set, is called after each one, from one goroutine at a time.
func (e *Engine) RenewAll(ctx context.Context, creds []store.Credential, progress func(done, total int)) []RenewOutcome {
	creds = RenewSet(creds)
	out := make([]RenewOutcome, len(creds))
	limit := e.Config.Concurrency
	if limit <= 0 {
		limit = 8
	}
	sem := make(chan struct{}, limit)
	var mu sync.Mutex
	var wg sync.WaitGroup
	done := 0
	for i, c := range creds {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			res, err := e.Renew(ctx, c)
			mu.Lock()
			defer mu.Unlock()
			out[i] = RenewOutcome{Old: c, Result: res, Err: err}
			done++
			if progress != nil {
				progress(done, len(creds))
			}
		}()
	}
	wg.Wait()
	return out
}

// RenewSet keeps one credential per target and kubeconfig, the newest: a
// target has one user entry per kubeconfig, so renewing it once replaces
// every older live credential there (a crash can leave more than one), and
// two renewals of one target never race for its entry.
func RenewSet(creds []store.Credential) []store.Credential {
	newest := map[string]int{}
	var out []store.Credential
	for _, c := range creds {
		k := c.Target.Key() + "\x00" + c.Kubeconfig
		if i, ok := newest[k]; ok {
			if older(out[i], c) {
				out[i] = c
			}
			continue
		}
		newest[k] = len(out)
		out = append(out, c)
	}
	return out
}

// NeedsAttention reports whether a live credential should be renewed: with
// within 0, when its health is warning or worse; else when it has expired or
// expires within that window. Revoked, replaced and token-only ones never do.
func (e *Engine) NeedsAttention(c store.Credential, within time.Duration) bool {
	if !c.Active() || c.TokenOnly {
		return false
	}
	now := e.now()
	if within > 0 {
		return c.Remaining(now) <= within
	}
	return c.Health(now, e.Config.Thresholds).Rank() <= store.HealthWarning.Rank()
}
