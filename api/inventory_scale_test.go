package api

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"ccecert/api/emulator"
)

// TestInventoryRoundTrips checks the fan-out shape on a larger inventory:
// one IAM request, one CCE and one Autopilot listing per project, the
// fleets paged by 100 and their member clusters (one UCS listing for the
// whole account) paged by 100 — nothing per cluster or per fleet.
func TestInventoryRoundTrips(t *testing.T) {
	inv := emulator.Synthetic(120, 7)
	for i := range 230 {
		inv.Fleets = append(inv.Fleets, emulator.Fleet{
			Name: fmt.Sprintf("fleet-%03d", i), Federation: i%3 == 0,
			Members: []string{fmt.Sprintf("cluster-%04d", i%120+1)},
		})
	}
	e := newTestEnv(t, emulator.Options{Inventory: inv}, func(c *Config) { c.Concurrency = 4 })
	before := len(e.srv.Log())
	got, err := e.client.Inventory(context.Background(), InventoryOptions{})
	if err != nil || len(got.Errors) != 0 {
		t.Fatalf("err %v, region errors %v", err, got.Errors)
	}
	checkTargets(t, got.Targets, expectedTargets(t, e.srv))
	counts := map[string]int{}
	for _, r := range e.srv.Log()[before:] {
		switch {
		case r.Path == "/v3/auth/projects":
			counts["iam"]++
		case strings.HasPrefix(r.Path, "/api/v3/"):
			counts["cce"]++
		case strings.HasPrefix(r.Path, "/autopilot/v3/"):
			counts["autopilot"]++
		case r.Path == "/v1/clustergroups":
			counts["ucs"]++
		case r.Path == "/v1/clusters":
			counts["ucs members"]++
		default:
			counts["other "+r.Path]++
		}
	}
	// 230 fleets of one member each: 3 pages of fleets, 3 pages of members.
	want := map[string]int{"iam": 1, "cce": 7, "autopilot": 7, "ucs": 3, "ucs members": 3}
	if fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Fatalf("requests %v, want %v", counts, want)
	}
}
