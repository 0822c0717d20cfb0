package engine

import (
	"context"
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"ccecert/api"
	"ccecert/api/emulator"
	"ccecert/store"
)

// cachedByName is the cache keyed by target name (names are unique in the
// demo inventory).
func cachedByName(t *testing.T, e *engineEnv) map[string]store.TargetRecord {
	t.Helper()
	recs, err := e.store.Targets(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]store.TargetRecord{}
	for _, r := range recs {
		out[r.Name] = r
	}
	return out
}

// ghost is a cached target the cloud does not have.
func ghost(kind api.Kind, region, name string) api.Target {
	return api.Target{Kind: kind, ID: "ghost-" + name, Name: name, Region: region, Phase: api.PhaseAvailable,
		Endpoints: api.Endpoints{Internal: "https://127.0.0.1:1"}}
}

func TestRefreshSavesEveryTarget(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	var calls, lastTotal int
	inv, err := e.eng.Refresh(t.Context(), RefreshOptions{Progress: func(done, total int) { calls++; lastTotal = total }})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) != 0 || calls == 0 || calls != lastTotal {
		t.Fatalf("errors %v, progress called %d times of %d", inv.Errors, calls, lastTotal)
	}
	cached := cachedByName(t, e)
	want := e.srv.Targets()
	if len(cached) != len(want) {
		t.Fatalf("cached %d targets, the emulator serves %d", len(cached), len(want))
	}
	for _, w := range want {
		c, ok := cached[w.Name]
		if !ok || string(c.Kind) != w.Kind || c.ID != w.ID || c.Region != w.Region {
			t.Errorf("%s: cached %+v, want kind %s id %s region %s", w.Name, c.Target, w.Kind, w.ID, w.Region)
		}
		if d := e.clock.Now().Sub(c.FetchedAt); d < 0 || d > time.Minute {
			t.Errorf("%s fetched at %v, not now", w.Name, c.FetchedAt)
		}
	}
	if p := cached["prod-payments"]; !p.HasEIP() || p.ProjectID == "" || cached["prod-web"].HasEIP() {
		t.Errorf("endpoints not kept: prod-payments %+v, prod-web %+v", p.Endpoints, cached["prod-web"].Endpoints)
	}
}

func TestRefreshHangingRegionKeepsItsCache(t *testing.T) {
	e := newEngineEnv(t, envOptions{regionTimeout: 4 * time.Second})
	e.refresh(t)
	// A target the cloud no longer has, in a region that will answer and
	// in one that will hang.
	ctx := t.Context()
	for _, g := range []api.Target{ghost(api.KindCCE, "cn-east-3", "gone-east"), ghost(api.KindCCE, "ap-southeast-1", "gone-hk")} {
		if err := e.store.SaveTargets(ctx, []api.Target{g}, store.Scope{Kinds: []api.Kind{g.Kind}, Regions: []string{"none"}}, e.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	before := cachedByName(t, e)
	e.clock.Advance(time.Hour)
	e.srv.SetFaults(emulator.Faults{HangRegions: []string{"ap-southeast-1"}})

	inv, err := e.eng.Refresh(ctx, RefreshOptions{})
	if err != nil {
		t.Fatalf("a hanging region failed the whole refresh: %v", err)
	}
	var failed []string
	for _, re := range inv.Errors {
		failed = append(failed, re.Region)
	}
	if len(failed) == 0 || slices.ContainsFunc(failed, func(r string) bool { return r != "ap-southeast-1" }) {
		t.Fatalf("region errors %v, want only ap-southeast-1", inv.Errors)
	}
	after := cachedByName(t, e)
	if _, ok := after["gone-east"]; ok {
		t.Error("a target gone from a region that answered is still cached")
	}
	for _, name := range []string{"gone-hk", "analytics-hk", "legacy-billing"} {
		if r, ok := after[name]; !ok || !r.FetchedAt.Equal(before[name].FetchedAt) {
			t.Errorf("%s of the hanging region: cached %v (fetched %v, was %v)", name, ok, r.FetchedAt, before[name].FetchedAt)
		}
	}
	for _, name := range []string{"staging-web", "prod-payments", "global-prod"} {
		if !after[name].FetchedAt.After(before[name].FetchedAt) {
			t.Errorf("%s of an answering region was not updated", name)
		}
	}
}

func TestRefreshByKindReplacesOnlyThatKind(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	e.refresh(t)
	ctx := t.Context()
	for _, g := range []api.Target{ghost(api.KindFleet, "global", "gone-fleet"), ghost(api.KindCCE, "cn-east-3", "kept-cce")} {
		if err := e.store.SaveTargets(ctx, []api.Target{g}, store.Scope{Kinds: []api.Kind{g.Kind}, Regions: []string{"none"}}, e.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	before := cachedByName(t, e)
	e.clock.Advance(time.Hour)
	inv, err := e.eng.Refresh(ctx, RefreshOptions{Kinds: []api.Kind{api.KindFleet}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range inv.Targets {
		if tg.Kind != api.KindFleet {
			t.Fatalf("a fleet refresh listed %s %s", tg.Kind, tg.Name)
		}
	}
	after := cachedByName(t, e)
	if _, ok := after["gone-fleet"]; ok {
		t.Error("a fleet gone from UCS is still cached")
	}
	if _, ok := after["kept-cce"]; !ok {
		t.Error("a fleet refresh dropped a cached CCE cluster")
	}
	if !after["global-prod"].FetchedAt.After(before["global-prod"].FetchedAt) {
		t.Error("the fleets were not updated")
	}
	if !after["prod-payments"].FetchedAt.Equal(before["prod-payments"].FetchedAt) {
		t.Error("a fleet refresh rewrote the CCE clusters")
	}
}

func TestRefreshByRegionReplacesOnlyThatRegion(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	e.refresh(t)
	ctx := t.Context()
	for _, g := range []api.Target{ghost(api.KindCCE, "cn-east-3", "gone-east"), ghost(api.KindCCE, "cn-north-4", "kept-north")} {
		if err := e.store.SaveTargets(ctx, []api.Target{g}, store.Scope{Kinds: []api.Kind{g.Kind}, Regions: []string{"none"}}, e.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.eng.Refresh(ctx, RefreshOptions{Regions: []string{"cn-east-3"}}); err != nil {
		t.Fatal(err)
	}
	after := cachedByName(t, e)
	_, gone := after["gone-east"]
	_, kept := after["kept-north"]
	if gone || !kept {
		t.Fatalf("region refresh: gone-east cached %v (want false), kept-north cached %v (want true)", gone, kept)
	}
	for _, name := range []string{"staging-web", "global-prod", "prod-web"} {
		if _, ok := after[name]; !ok {
			t.Errorf("%s disappeared on a cn-east-3 refresh", name)
		}
	}
}

func TestRefreshFailureLogsNoSecret(t *testing.T) {
	e := newEngineEnv(t, envOptions{sk: "WRONG-SECRET-KEY-0123456789abcdefghijklm"})
	_, err := e.eng.Refresh(t.Context(), RefreshOptions{})
	if err == nil {
		t.Fatal("a refresh with a wrong secret key succeeded")
	}
	assertNoSecret(t, "refresh error", err.Error(), "WRONG-SECRET-KEY", e.srv.SK)
	evs := e.events(t)
	if len(evs) == 0 || evs[0].Action != "list" || !strings.HasPrefix(evs[0].Result, "error: ") {
		t.Fatalf("no failed list event: %+v", evs)
	}
	assertNoSecret(t, "event", evs[0].Result, "WRONG-SECRET-KEY", e.srv.SK)
	if recs, _ := e.store.Targets(t.Context()); len(recs) != 0 {
		t.Errorf("a failed refresh cached %d targets", len(recs))
	}
}

func TestResolveByNameAndID(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	e.refresh(t)
	n := e.cloud.inventories.Load()
	info, _ := e.srv.Target("prod-web")
	for _, ref := range []string{"prod-web", info.ID} {
		tg, err := e.eng.Resolve(t.Context(), ref, "", "")
		if err != nil || tg.ID != info.ID || tg.Name != "prod-web" {
			t.Fatalf("Resolve(%q) = %s %s, %v", ref, tg.Name, tg.ID, err)
		}
	}
	if _, err := e.eng.Resolve(t.Context(), "prod-web", "", api.KindFleet); err == nil {
		t.Error("a CCE cluster was resolved as a fleet")
	}
	if got := e.cloud.inventories.Load(); got != n+1 {
		t.Errorf("cached names cost %d refreshes (want none), the wrong kind one (want 1)", got-n)
	}
}

func TestResolveRefreshesAnEmptyCacheOnce(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	tg, err := e.eng.Resolve(t.Context(), "staging-web", "", "")
	if err != nil || tg.Region != "cn-east-3" {
		t.Fatalf("Resolve on an empty cache = %+v, %v", tg, err)
	}
	if n := e.cloud.inventories.Load(); n != 1 {
		t.Fatalf("%d refreshes, want 1", n)
	}
}

func TestResolveUnknownNameRefreshesExactlyOnce(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	e.refresh(t)
	_, err := e.eng.Resolve(t.Context(), "no-such-cluster", "", "")
	var unknown *UnknownTargetError
	if !errors.As(err, &unknown) || unknown.Ref != "no-such-cluster" || hintOf(err) != HintRefreshTargets {
		t.Fatalf("err = %v, want *UnknownTargetError telling to refresh", err)
	}
	if n := e.cloud.inventories.Load(); n != 2 {
		t.Fatalf("%d inventory calls, want 2 (the setup, then exactly one refresh)", n)
	}
}

func TestResolveUnknownWhenTheRefreshFails(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	e.eng.Cloud = nil
	_, err := e.eng.Resolve(t.Context(), "prod-web", "", "")
	var unknown *UnknownTargetError
	if !errors.As(err, &unknown) || !strings.Contains(err.Error(), "refreshing the list failed") || hintOf(err) != HintRefreshTargets {
		t.Fatalf("err = %v, want *UnknownTargetError saying the refresh failed", err)
	}
}

// sharedNameInventory has a cluster and a fleet both named "web": the
// same name in two regions (cn-north-4 and global).
const sharedNameInventory = `
domain: {name: d}
user: {name: u}
projects: [{name: cn-north-4}, {name: cn-east-3}]
clusters:
  - {name: web, project: cn-north-4, version: v1.31, eip: true}
  - {name: api, project: cn-east-3, version: v1.30}
fleets:
  - {name: web, federation: true, members: [web, api]}
`

func TestResolveAmbiguousName(t *testing.T) {
	inv, err := emulator.LoadInventory([]byte(sharedNameInventory))
	if err != nil {
		t.Fatal(err)
	}
	e := newEngineEnv(t, envOptions{inventory: inv})
	e.refresh(t)
	_, err = e.eng.Resolve(t.Context(), "web", "", "")
	var amb *AmbiguousTargetError
	if !errors.As(err, &amb) || len(amb.Candidates) != 2 || hintOf(err) != HintNameTheRegion {
		t.Fatalf("err = %v, want *AmbiguousTargetError with 2 candidates, telling to name the region", err)
	}
	for _, want := range []string{"region", "cn-north-4", "global"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("ambiguity message lacks %q: %v", want, err)
		}
	}
	if n := e.cloud.inventories.Load(); n != 1 {
		t.Errorf("an ambiguous name refreshed the list (%d inventory calls)", n)
	}
	if tg, err := e.eng.Resolve(t.Context(), "web", "global", ""); err != nil || tg.Kind != api.KindFleet {
		t.Errorf("with region global: %+v, %v", tg, err)
	}
	if tg, err := e.eng.Resolve(t.Context(), "web", "", api.KindCCE); err != nil || tg.Region != "cn-north-4" {
		t.Errorf("with kind cce: %+v, %v", tg, err)
	}
}

// membersLost is the cloud as api reports a failed member listing: the
// fleets listed, without members, and a Partial error beside them.
type membersLost struct{ Cloud }

func (c membersLost) Inventory(ctx context.Context, opts api.InventoryOptions) (*api.Inventory, error) {
	inv, err := c.Cloud.Inventory(ctx, opts)
	if err != nil {
		return inv, err
	}
	for i := range inv.Targets {
		inv.Targets[i].Members = nil
	}
	inv.Errors = append(inv.Errors, api.RegionError{Region: "global", Kind: api.KindFleet, Partial: true, Err: errors.New("HTTP 403")})
	return inv, nil
}

// A failed member listing still saves the fleets (a new fleet appears, a
// gone one goes), and each keeps the members the cache knew.
func TestRefreshWithoutFleetMembersKeepsTheCachedOnes(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	e.refresh(t)
	ctx := t.Context()
	if err := e.store.SaveTargets(ctx, []api.Target{ghost(api.KindFleet, "global", "gone-fleet")}, store.Scope{Kinds: []api.Kind{api.KindFleet}, Regions: []string{"none"}}, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	before := cachedByName(t, e)
	if len(before["global-prod"].Members) == 0 {
		t.Fatal("the demo fleet global-prod has no members to keep")
	}
	e.clock.Advance(time.Hour)
	e.eng.Cloud = func() (Cloud, error) { return membersLost{e.cloud}, nil }
	inv, err := e.eng.Refresh(ctx, RefreshOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) != 1 || !inv.Errors[0].Partial {
		t.Fatalf("errors %v, want the partial one", inv.Errors)
	}
	after := cachedByName(t, e)
	if _, ok := after["gone-fleet"]; ok {
		t.Error("a fleet gone from UCS is still cached")
	}
	for _, name := range []string{"global-prod", "asia-batch"} {
		a, b := after[name], before[name]
		if !a.FetchedAt.After(b.FetchedAt) || !slices.Equal(a.Members, b.Members) {
			t.Errorf("%s: fetched %v (was %v), members %v (were %v)", name, a.FetchedAt, b.FetchedAt, a.Members, b.Members)
		}
	}
}

// knownCloud records the Known projects of each Inventory call.
type knownCloud struct {
	Cloud
	known [][]api.Project
}

func (c *knownCloud) Inventory(ctx context.Context, opts api.InventoryOptions) (*api.Inventory, error) {
	c.known = append(c.known, opts.Known)
	return c.Cloud.Inventory(ctx, opts)
}

// A refresh hands the cloud the projects of the cached clusters while the
// cache is fresh (so their listings overlap the IAM call), none when the
// cache is empty or stale; the result is the same.
func TestRefreshPassesTheCachedProjectsWhileFresh(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	kc := &knownCloud{Cloud: e.cloud}
	e.eng.Cloud = func() (Cloud, error) { return kc, nil }
	first := e.refresh(t)
	second := e.refresh(t)
	e.clock.Advance(e.eng.Config.InventoryStale + time.Minute)
	e.refresh(t)
	if len(kc.known) != 3 || kc.known[0] != nil || kc.known[2] != nil {
		t.Fatalf("known projects per refresh: %v; want none, the cache's, none (stale)", kc.known)
	}
	want := map[string]string{}
	for _, tg := range first.Targets {
		if tg.Kind != api.KindFleet {
			want[tg.ProjectID] = tg.Region
		}
	}
	got := map[string]string{}
	for _, p := range kc.known[1] {
		got[p.ID] = p.Region
	}
	if len(want) == 0 || !maps.Equal(got, want) {
		t.Errorf("known projects %v, want the cached clusters' %v", got, want)
	}
	if len(second.Targets) != len(first.Targets) || len(second.Errors) != 0 {
		t.Errorf("second refresh: %d targets, errors %v; first had %d", len(second.Targets), second.Errors, len(first.Targets))
	}
}

// RefreshRecords gives what ProfileTargets reads after the refresh (of the
// refreshed kinds): built from the listing when every region answered, and
// then handed to ready once, before the save has ended; read back when one
// failed and kept its cached targets, and then ready is not called.
func TestRefreshRecordsAreWhatTheCacheHolds(t *testing.T) {
	e := newEngineEnv(t, envOptions{regionTimeout: time.Second})
	ctx := t.Context()
	wantRecords := func(kinds []api.Kind) []store.TargetRecord {
		all, err := e.store.ProfileTargets(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		var out []store.TargetRecord
		for _, r := range all {
			if slices.Contains(kinds, r.Kind) {
				out = append(out, r)
			}
		}
		return out
	}
	check := func(name string, opts RefreshOptions, wantErrors bool) {
		var readied [][]store.TargetRecord
		inv, recs, err := e.eng.RefreshRecords(ctx, opts, func(r []store.TargetRecord) { readied = append(readied, r) })
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if (len(inv.Errors) > 0) != wantErrors {
			t.Fatalf("%s: errors %v", name, inv.Errors)
		}
		if wantReady := !wantErrors; (len(readied) == 1) != wantReady || len(readied) > 1 {
			t.Fatalf("%s: ready called %d times, want it once: %v", name, len(readied), wantReady)
		}
		if len(readied) == 1 && !slices.EqualFunc(readied[0], recs, func(a, b store.TargetRecord) bool { return a.Key() == b.Key() && a.FetchedAt.Equal(b.FetchedAt) }) {
			t.Fatalf("%s: ready got %d records, RefreshRecords returned %d others", name, len(readied[0]), len(recs))
		}
		want := wantRecords(kindsOf(opts.Kinds))
		if len(recs) == 0 || len(recs) != len(want) {
			t.Fatalf("%s: %d records, the cache holds %d", name, len(recs), len(want))
		}
		for i := range want {
			if !slices.Equal(recs[i].Members, want[i].Members) || recs[i].Key() != want[i].Key() || recs[i].Profile != want[i].Profile ||
				!recs[i].FetchedAt.Equal(want[i].FetchedAt) || recs[i].Version != want[i].Version || recs[i].Endpoints != want[i].Endpoints {
				t.Fatalf("%s: record %d %+v, the cache holds %+v", name, i, recs[i], want[i])
			}
		}
	}
	check("every kind", RefreshOptions{}, false)
	check("cce", RefreshOptions{Kinds: []api.Kind{api.KindCCE}}, false)
	e.srv.SetFaults(emulator.Faults{HangRegions: []string{"cn-north-4"}})
	check("a region hangs", RefreshOptions{Kinds: []api.Kind{api.KindCCE}}, true)
}
