package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"ccecert/api"
	"ccecert/store"
)

// RefreshOptions narrow an inventory refresh.
type RefreshOptions struct {
	Kinds    []api.Kind
	Regions  []string
	Progress func(done, total int)
}

// Refresh lists targets from the cloud and saves them in the cache. A region
// that fails keeps its cached targets (and is reported in the result's
// Errors); targets gone from a region that answered are dropped.
func (e *Engine) Refresh(ctx context.Context, opts RefreshOptions) (*api.Inventory, error) {
	return e.refresh(ctx, opts, nil)
}

// RefreshRecords is Refresh, and then the profile's cached targets of the
// kinds (and regions) it refreshed, as ProfileTargets orders them. When
// every listing answered they are what it saved, not read back (a listing
// command's last read: about 9 ms for 1,000 targets), and known before the
// save ends: ready, if set, gets them then, on the caller's goroutine, to
// prepare its output beside the save (about 4 ms for 1,000 in JSON).
// RefreshRecords returns when the save has, and its error is the save's:
// what ready prepared is for a refresh that succeeded. Else the records are
// read after the save, and ready is not called.
func (e *Engine) RefreshRecords(ctx context.Context, opts RefreshOptions, ready func([]store.TargetRecord)) (*api.Inventory, []store.TargetRecord, error) {
	var recs []store.TargetRecord
	inv, err := e.refresh(ctx, opts, func(inv *api.Inventory, at time.Time) {
		if len(inv.Errors) > 0 {
			return
		}
		recs = recordsOf(inv.Targets, e.profile(), at, opts)
		if ready != nil {
			ready(recs)
		}
	})
	if err != nil {
		return inv, nil, err
	}
	if len(inv.Errors) == 0 {
		return inv, recs, nil
	}
	cached, err := e.targets(ctx)
	if err != nil {
		return inv, nil, err
	}
	for _, r := range cached {
		if inRefresh(r.Target, opts) {
			recs = append(recs, r)
		}
	}
	return inv, recs, nil
}

// recordsOf are the records of the targets a refresh at at saved.
func recordsOf(targets []api.Target, profile string, at time.Time, opts RefreshOptions) []store.TargetRecord {
	var recs []store.TargetRecord
	for _, t := range targets { // (sorted as ProfileTargets sorts)
		if inRefresh(t, opts) {
			recs = append(recs, store.TargetRecord{Target: t, Profile: profile, FetchedAt: at.UTC()})
		}
	}
	return recs
}

// inRefresh reports whether t is of the kinds and regions opts refreshed.
func inRefresh(t api.Target, opts RefreshOptions) bool {
	return slices.Contains(kindsOf(opts.Kinds), t.Kind) && (len(opts.Regions) == 0 || slices.Contains(opts.Regions, t.Region))
}

// refresh is Refresh. beside, if set, runs on the caller's goroutine while
// the targets are saved, with the listing and the time it is saved at;
// refresh returns when both have.
func (e *Engine) refresh(ctx context.Context, opts RefreshOptions, beside func(*api.Inventory, time.Time)) (*api.Inventory, error) {
	cloud, err := e.cloud()
	if err != nil {
		return nil, err
	}
	// Only the groups: this read is on the way to the first request.
	cached, err := e.Store.ProfileTargetGroups(ctx, e.profile())
	if err != nil {
		return nil, err
	}
	inv, err := cloud.Inventory(ctx, api.InventoryOptions{Kinds: opts.Kinds, Regions: opts.Regions, Progress: opts.Progress,
		Known: knownProjects(cached, e.now(), e.Config.InventoryStale)})
	if err != nil {
		e.event(ctx, "list", "", "", err)
		return nil, err
	}
	if err := e.keepCachedMembers(ctx, inv); err != nil {
		return inv, err
	}
	at := e.now()
	if beside == nil {
		return inv, e.save(ctx, opts, cached, inv, at)
	}
	saved := make(chan error, 1)
	go func() { saved <- e.save(ctx, opts, cached, inv, at) }()
	beside(inv, at)
	return inv, <-saved
}

// save replaces the cache's targets of each kind refreshed with what the
// listing found, within the scope it covered (refreshScope).
func (e *Engine) save(ctx context.Context, opts RefreshOptions, cached []store.TargetGroup, inv *api.Inventory, at time.Time) error {
	for _, kind := range kindsOf(opts.Kinds) {
		scope := refreshScope(kind, opts.Regions, cached, inv)
		if scope == nil {
			continue
		}
		scope.Profile = e.profile()
		if err := e.Store.SaveTargets(ctx, targetsOf(inv.Targets, kind, scope.Regions), *scope, at); err != nil {
			return err
		}
	}
	return nil
}

// knownProjects are the projects with cached clusters not yet stale
// (maxAge, Config.InventoryStale), for Inventory to list beside the IAM
// call that checks them; nil when there are none, or maxAge is not set.
// Projects whose clusters all went, and the account id, are not in the
// cache: IAM's answer brings them.
func knownProjects(cached []store.TargetGroup, now time.Time, maxAge time.Duration) []api.Project {
	if maxAge <= 0 {
		return nil
	}
	seen := map[string]bool{}
	var out []api.Project
	for _, t := range cached {
		if t.Kind == api.KindFleet || t.ProjectID == "" || t.Region == "" || t.Stale(now, maxAge) || seen[t.ProjectID] {
			continue
		}
		seen[t.ProjectID] = true
		out = append(out, api.Project{ID: t.ProjectID, Region: t.Region})
	}
	return out
}

func kindsOf(kinds []api.Kind) []api.Kind {
	if len(kinds) > 0 {
		return kinds
	}
	return []api.Kind{api.KindCCE, api.KindAutopilot, api.KindFleet}
}

// refreshScope is the part of the cache a listing of kind replaces: the
// regions asked for (or all known ones) minus those that failed. Nil when
// nothing answered for this kind.
func refreshScope(kind api.Kind, asked []string, cached []store.TargetGroup, inv *api.Inventory) *store.Scope {
	failed := map[string]bool{}
	for _, re := range inv.Errors {
		if !re.Partial && (re.Kind == kind || re.Kind == "") {
			failed[re.Region] = true
		}
	}
	if len(failed) == 0 && len(asked) == 0 {
		return &store.Scope{Kinds: []api.Kind{kind}} // every region answered
	}
	regions := map[string]bool{}
	if len(asked) > 0 {
		for _, r := range asked {
			regions[r] = true
		}
	} else {
		for _, t := range cached {
			if t.Kind == kind {
				regions[t.Region] = true
			}
		}
		for _, t := range inv.Targets {
			if t.Kind == kind {
				regions[t.Region] = true
			}
		}
	}
	var keep []string
	for r := range regions {
		if !failed[r] {
			keep = append(keep, r)
		}
	}
	if len(keep) == 0 {
		return nil
	}
	slices.Sort(keep)
	return &store.Scope{Kinds: []api.Kind{kind}, Regions: keep}
}

// keepCachedMembers gives the fleets listed without their members (a
// Partial error: the member listing failed) the members they had in the
// cache, so a failed detail does not blank what was known.
func (e *Engine) keepCachedMembers(ctx context.Context, inv *api.Inventory) error {
	if !slices.ContainsFunc(inv.Errors, func(re api.RegionError) bool { return re.Partial && re.Kind == api.KindFleet }) {
		return nil
	}
	cached, err := e.targets(ctx)
	if err != nil {
		return err
	}
	known := map[string][]string{}
	for _, t := range cached {
		if t.Kind == api.KindFleet {
			known[t.ID] = t.Members
		}
	}
	for i, t := range inv.Targets {
		if t.Kind == api.KindFleet && len(t.Members) == 0 {
			inv.Targets[i].Members = slices.Clone(known[t.ID])
		}
	}
	return nil
}

func targetsOf(all []api.Target, kind api.Kind, regions []string) []api.Target {
	var out []api.Target
	for _, t := range all {
		if t.Kind == kind && (len(regions) == 0 || slices.Contains(regions, t.Region)) {
			out = append(out, t)
		}
	}
	return out
}

// UnknownTargetError is a name or id that matches no cached target; Resolve
// returns it in a HintError (HintRefreshTargets).
type UnknownTargetError struct{ Ref string }

func (e *UnknownTargetError) Error() string {
	return fmt.Sprintf("no cluster or fleet your key can reach is named %q", e.Ref)
}

// AmbiguousTargetError is a name shared by targets in several regions;
// Resolve returns it in a HintError (HintNameTheRegion).
type AmbiguousTargetError struct {
	Ref        string
	Candidates []api.Target
}

func (e *AmbiguousTargetError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q names %d targets; say the region of the one you mean:", e.Ref, len(e.Candidates))
	for _, t := range e.Candidates {
		fmt.Fprintf(&b, "\n  %s  %s  %s  %s", t.Name, t.Kind, t.Region, t.ID)
	}
	return b.String()
}

// Resolve finds a target by id or name (optionally narrowed by region and
// kind) in the cache; an unknown name refreshes the cache once. A name still
// unknown, or shared by several targets, is a HintError around an
// UnknownTargetError or AmbiguousTargetError.
func (e *Engine) Resolve(ctx context.Context, ref, region string, kind api.Kind) (api.Target, error) {
	cached, err := e.targets(ctx)
	if err != nil {
		return api.Target{}, err
	}
	matches := matchTargets(cached, ref, region, kind)
	if len(matches) == 0 {
		if _, err := e.Refresh(ctx, RefreshOptions{}); err != nil {
			return api.Target{}, &HintError{Hint: HintRefreshTargets, Err: fmt.Errorf("%w (and refreshing the list failed: %v)", &UnknownTargetError{Ref: ref}, err)}
		}
		if cached, err = e.targets(ctx); err != nil {
			return api.Target{}, err
		}
		matches = matchTargets(cached, ref, region, kind)
	}
	switch len(matches) {
	case 0:
		return api.Target{}, &HintError{Hint: HintRefreshTargets, Err: &UnknownTargetError{Ref: ref}}
	case 1:
		return matches[0], nil
	}
	return api.Target{}, &HintError{Hint: HintNameTheRegion, Err: &AmbiguousTargetError{Ref: ref, Candidates: matches}}
}

func matchTargets(cached []store.TargetRecord, ref, region string, kind api.Kind) []api.Target {
	var byID, byName []api.Target
	for _, r := range cached {
		if (region != "" && r.Region != region) || (kind != "" && r.Kind != kind) {
			continue
		}
		switch ref {
		case r.ID:
			byID = append(byID, r.Target)
		case r.Name:
			byName = append(byName, r.Target)
		}
	}
	if len(byID) > 0 {
		return byID
	}
	return byName
}
