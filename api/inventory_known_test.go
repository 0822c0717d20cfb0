package api

import (
	"slices"
	"strings"
	"testing"
	"time"

	"ccecert/api/emulator"
)

// knownOf is what an engine knows of an earlier inventory: the projects
// of its clusters, ID and region only.
func knownOf(inv *Inventory) []Project {
	var out []Project
	for _, t := range inv.Targets {
		if t.ProjectID != "" && !slices.ContainsFunc(out, func(p Project) bool { return p.ID == t.ProjectID }) {
			out = append(out, Project{ID: t.ProjectID, Region: t.Region})
		}
	}
	return out
}

// targetKeys are the inventory's target keys, sorted.
func targetKeys(inv *Inventory) []string {
	var keys []string
	for _, t := range inv.Targets {
		keys = append(keys, t.Key())
	}
	slices.Sort(keys)
	return keys
}

// connectionsSince are the hosts connected to since before, with counts.
func connectionsSince(srv *emulator.Server, before map[string]int) map[string]int {
	out := map[string]int{}
	for h, n := range srv.Connections() {
		if d := n - before[h]; d > 0 {
			out[h] = d
		}
	}
	return out
}

// With the projects of an earlier refresh, the regions' listings go out
// beside the IAM call instead of after its answer: they reach the cloud
// before IAM can have answered (its request plus the latency), which the
// IAM-first order cannot do. The result is the same, and every host
// connected to is one the earlier refresh used.
func TestInventoryKnownOverlapsIAM(t *testing.T) {
	const latency = 300 * time.Millisecond
	pc := startProxyCloud(t, emulator.Options{Clusters: 24, Regions: 4})
	srv := pc.account(t, "huaweicloud", false)
	kinds := InventoryOptions{Kinds: []Kind{KindCCE}}
	before := srv.Connections()
	cold, err := pc.client(t, srv, nil).Inventory(t.Context(), kinds)
	if err != nil || len(cold.Targets) != 24 {
		t.Fatalf("cold inventory: %v, %d targets", err, len(cold.Targets))
	}
	coldHosts := connectionsSince(srv, before)

	srv.SetFaults(emulator.Faults{Latency: latency})
	before, logged := srv.Connections(), len(srv.Log())
	warm := kinds
	warm.Known = knownOf(cold)
	inv, err := pc.client(t, srv, nil).Inventory(t.Context(), warm)
	if err != nil || !slices.Equal(targetKeys(inv), targetKeys(cold)) || len(inv.Errors) != 0 {
		t.Fatalf("warm inventory: %v, targets %v, errors %v; want %v", err, targetKeys(inv), inv.Errors, targetKeys(cold))
	}
	for h := range connectionsSince(srv, before) {
		if coldHosts[h] == 0 {
			t.Errorf("connected to %s, which the earlier refresh did not use (%v)", h, coldHosts)
		}
	}
	var iamAt time.Time
	var listed []emulator.RequestRecord
	for _, r := range srv.Log()[logged:] {
		switch {
		case strings.HasPrefix(r.Host, "iam."):
			iamAt = r.Time
		case strings.HasPrefix(r.Host, "cce."):
			listed = append(listed, r)
		}
	}
	if iamAt.IsZero() || len(listed) != 4 {
		t.Fatalf("want the IAM call and 4 CCE listings, logged %v", srv.Log()[logged:])
	}
	for _, r := range listed {
		if !r.Time.Before(iamAt.Add(latency)) {
			t.Errorf("%s %s reached the cloud %v after the IAM call: it waited for IAM's answer", r.Host, r.Path, r.Time.Sub(iamAt))
		}
	}
}

// IAM has the last word: a known project it no longer lists is dropped
// (its refusal unused), and a project it lists that the cache lacks is
// listed once it has answered.
func TestInventoryKnownReconciles(t *testing.T) {
	pc := startProxyCloud(t, emulator.Options{Clusters: 12, Regions: 3})
	srv := pc.account(t, "huaweicloud", false)
	c := pc.client(t, srv, nil)
	full, err := c.Inventory(t.Context(), InventoryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	known := knownOf(full)
	missing := known[0]
	known = append(known[1:], Project{ID: "0123456789abcdef0123456789abcdef", Region: missing.Region})
	var progress [][2]int
	inv, err := pc.client(t, srv, nil).Inventory(t.Context(), InventoryOptions{Known: known,
		Progress: func(done, total int) { progress = append(progress, [2]int{done, total}) }})
	if err != nil || len(inv.Errors) != 0 || !slices.Equal(targetKeys(inv), targetKeys(full)) {
		t.Fatalf("inventory with a gone and a missing project: %v, errors %v, targets %v; want %v", err, inv.Errors, targetKeys(inv), targetKeys(full))
	}
	last := progress[len(progress)-1]
	if last[0] != last[1] {
		t.Errorf("progress ended at %v", last)
	}
	for _, p := range progress {
		if p[0] > p[1] {
			t.Errorf("progress %v: done beyond the total", p)
		}
	}
}

// Every SDK client of a Client sends through one transport, so the CCE and
// the Autopilot client of a project (two SDK clients, one host) share the
// host's connection: one after another (Concurrency 1), each regional host
// gets one connection, and a second inventory opens none.
func TestInventorySDKClientsShareConnections(t *testing.T) {
	pc := startProxyCloud(t, emulator.Options{Clusters: 6, Regions: 3})
	srv := pc.account(t, "huaweicloud", false)
	c := pc.client(t, srv, func(cfg *Config) { cfg.Concurrency = 1 })
	opts := InventoryOptions{Kinds: []Kind{KindCCE, KindAutopilot}}
	before := srv.Connections()
	if _, err := c.Inventory(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	got := connectionsSince(srv, before)
	cce := 0
	for h, n := range got {
		if n != 1 {
			t.Errorf("%d connections to %s, want 1 (all: %v)", n, h, got)
		}
		if strings.HasPrefix(h, "cce.") {
			cce++
		}
	}
	if cce != 3 {
		t.Errorf("connections to %d CCE hosts, want 3: %v", cce, got)
	}
	before = srv.Connections()
	if _, err := c.Inventory(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	if again := connectionsSince(srv, before); len(again) != 0 {
		t.Errorf("a second inventory opened %v", again)
	}
}
