package api

import (
	"context"
	"errors"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"ccecert/api/emulator"
)

// expectedTargets is what the emulator serves, as api.Targets should show
// it (endpoints aside), keyed by Target.Key().
func expectedTargets(t *testing.T, srv *emulator.Server, regions ...string) map[string]Target {
	t.Helper()
	inv := srv.Inventory()
	projects := map[string]emulator.Project{}
	for _, p := range inv.Projects {
		projects[p.Name] = p
	}
	out := map[string]Target{}
	for _, c := range inv.Clusters {
		p := projects[c.Project]
		if len(regions) > 0 && !slices.Contains(regions, p.Region()) {
			continue
		}
		tg := Target{Kind: Kind(c.Kind), ID: c.ID, Name: c.Name, Region: p.Region(), ProjectID: p.ID, Version: c.Version, Phase: c.Phase}
		if c.EIP {
			tg.Endpoints.External = "eip"
		}
		out[tg.Key()] = tg
	}
	for _, f := range inv.Fleets {
		// Members come from UCS's cluster listing, sorted by name.
		members := slices.Sorted(slices.Values(f.Members))
		tg := Target{Kind: KindFleet, ID: f.ID, Name: f.Name, Region: "global", Federation: f.Federation, Members: members}
		out[tg.Key()] = tg
	}
	return out
}

func checkTargets(t *testing.T, got []Target, want map[string]Target) {
	t.Helper()
	seen := map[string]bool{}
	for _, g := range got {
		w, ok := want[g.Key()]
		if !ok {
			t.Errorf("unexpected target %s (%s)", g.Key(), g.Name)
			continue
		}
		seen[g.Key()] = true
		if g.Name != w.Name || g.ProjectID != w.ProjectID || g.Version != w.Version || g.Federation != w.Federation ||
			!slices.Equal(g.Members, w.Members) || (g.Kind != KindFleet && g.Phase != w.Phase) {
			t.Errorf("target %s:\n got %+v\nwant %+v", g.Name, g, w)
		}
		if g.Kind != KindFleet {
			if g.Endpoints.Internal == "" || g.HasEIP() != (w.Endpoints.External != "") {
				t.Errorf("target %s endpoints %+v, EIP want %v", g.Name, g.Endpoints, w.Endpoints.External != "")
			}
		}
	}
	for k, w := range want {
		if !seen[k] {
			t.Errorf("target %s (%s) not listed", k, w.Name)
		}
	}
}

func TestInventoryDemo(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	var (
		mu    sync.Mutex
		dones []int
		total int
	)
	inv, err := e.client.Inventory(context.Background(), InventoryOptions{Progress: func(done, tot int) {
		mu.Lock()
		defer mu.Unlock()
		dones, total = append(dones, done), tot
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Errors) != 0 {
		t.Fatalf("errors: %v", inv.Errors)
	}
	checkTargets(t, inv.Targets, expectedTargets(t, e.srv))
	// 5 region projects (MOS skipped) × 2 kinds + fleets + their members.
	if total != 12 || len(dones) != total || !sort.IntsAreSorted(dones) || dones[len(dones)-1] != total {
		t.Fatalf("progress %v of %d", dones, total)
	}
	for _, tg := range inv.Targets {
		if tg.Name == "ops-tools" && tg.Region != "cn-north-4" {
			t.Errorf("subproject cluster region %q", tg.Region)
		}
	}
	if !sort.SliceIsSorted(inv.Targets, func(a, b int) bool {
		x, y := inv.Targets[a], inv.Targets[b]
		return x.Kind < y.Kind || (x.Kind == y.Kind && (x.Region < y.Region || (x.Region == y.Region && x.Name < y.Name)))
	}) {
		t.Error("targets not sorted by kind, region, name")
	}
}

func TestInventoryEndpointsMatchIssuedServers(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	tg := e.target(t, "prod-payments")
	is, err := e.client.Issue(context.Background(), tg, CertRequest{Validity: Days(1)})
	if err != nil {
		t.Fatal(err)
	}
	in, _ := is.Context(RoleInternal)
	ex, _ := is.Context(RoleExternal)
	if in.Server != tg.Endpoints.Internal || ex.Server != tg.Endpoints.External {
		t.Fatalf("servers %s/%s, endpoints %+v", in.Server, ex.Server, tg.Endpoints)
	}
}

func TestInventoryFilters(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, func(c *Config) { c.Regions = []string{"cn-east-3", "cn-north-4"} })
	inv, err := e.client.Inventory(context.Background(), InventoryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checkTargets(t, inv.Targets, expectedTargets(t, e.srv, "cn-east-3", "cn-north-4"))

	inv, err = e.client.Inventory(context.Background(), InventoryOptions{Regions: []string{"cn-east-3"}, Kinds: []Kind{KindAutopilot}})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Targets) != 1 || inv.Targets[0].Name != "serverless-api" || inv.Targets[0].Kind != KindAutopilot {
		t.Fatalf("autopilot in cn-east-3: %+v", inv.Targets)
	}
	ps, err := e.client.Projects(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Region != "cn-east-3" && p.Region != "cn-north-4" || p.DomainID != e.srv.DomainID {
			t.Errorf("project %+v passed the filter", p)
		}
	}
	if len(ps) != 3 {
		t.Errorf("projects %+v, want cn-east-3, cn-north-4, cn-north-4_ops", ps)
	}
}

func TestInventoryHangingRegionIsReportedBesideTheRest(t *testing.T) {
	e := newTestEnv(t, emulator.Options{Faults: emulator.Faults{HangRegions: []string{"ap-southeast-1"}}},
		func(c *Config) { c.RegionTimeout = 2 * time.Second })
	inv, err := e.client.Inventory(context.Background(), InventoryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := expectedTargets(t, e.srv, "cn-north-4", "cn-east-3", "cn-south-1")
	checkTargets(t, inv.Targets, want)
	if len(inv.Errors) != 2 {
		t.Fatalf("errors %v, want ap-southeast-1 cce and autopilot", inv.Errors)
	}
	for _, re := range inv.Errors {
		var ae *Error
		if re.Region != "ap-southeast-1" || re.ProjectID == "" || !errors.As(re.Err, &ae) || !ae.Timeout() || ae.Retryable {
			t.Errorf("region error %+v", re)
		}
	}
}

func TestInventoryThrottledThenSucceeds(t *testing.T) {
	e := newTestEnv(t, emulator.Options{Faults: emulator.Faults{TooMany: 2, RetryAfter: time.Second}}, nil)
	inv, err := e.client.Inventory(context.Background(), InventoryOptions{})
	if err != nil || len(inv.Errors) != 0 {
		t.Fatalf("err %v, region errors %v", err, inv.Errors)
	}
	checkTargets(t, inv.Targets, expectedTargets(t, e.srv))
	if w := e.sleeps.all(); len(w) != 2 || w[0] != time.Second || w[1] != time.Second {
		t.Fatalf("waits %v, want Retry-After 1s twice", w)
	}
}

func TestInventoryBadSignatureFailsWithoutRetry(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, func(c *Config) { c.SK = Secret("wrong-secret-key-0000") })
	before := e.srv.Requests()
	inv, err := e.client.Inventory(context.Background(), InventoryOptions{})
	ae, ok := asError(err)
	if inv != nil || !ok || ae.Status != 401 || ae.Code != "APIGW.0301" {
		t.Fatalf("inventory with a wrong SK: %v", err)
	}
	if n := e.srv.Requests() - before; n != 1 {
		t.Fatalf("%d requests, want exactly 1 (401 is never retried)", n)
	}
	if len(e.sleeps.all()) != 0 {
		t.Fatal("slept before a retry of a 401")
	}
	assertClean(t, err, "wrong-secret-key-0000")
}

func TestInventoryCancelReturnsPromptly(t *testing.T) {
	e := newTestEnv(t, emulator.Options{Faults: emulator.Faults{
		HangRegions: []string{"cn-north-4", "cn-east-3", "ap-southeast-1", "cn-south-1"}}}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := e.client.Inventory(ctx, InventoryOptions{Kinds: []Kind{KindCCE}})
		done <- err
	}()
	waitForRequests(t, e.srv, 5) // projects + 4 hanging listings
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled inventory = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Inventory did not return after cancel")
	}
}

// waitForRequests waits until the emulator has received n requests.
func waitForRequests(t *testing.T, srv *emulator.Server, n int64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for srv.Requests() < n {
		if time.Now().After(deadline) {
			t.Fatalf("emulator saw %d requests, want %d", srv.Requests(), n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestRegionErrorText(t *testing.T) {
	ae := &Error{Op: "list CCE clusters in", Target: "cn-east-3", Message: "timed out", timeout: true}
	re := RegionError{Region: "cn-east-3", Kind: KindCCE, Err: ae}
	if re.Error() != ae.Error() || !errors.Is(re, ae) {
		t.Fatalf("RegionError %q", re.Error())
	}
	re.Err = errors.New("boom")
	if re.Error() != "list cce in cn-east-3: boom" {
		t.Fatalf("RegionError %q", re.Error())
	}
}
