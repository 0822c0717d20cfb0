package api

import (
	"context"
	"fmt"
	"testing"
	"time"

	"ccecert/api/emulator"
)

// benchLatency is the per-request latency of the inventory benchmarks: a
// round trip to a far region.
const benchLatency = 100 * time.Millisecond

// benchRequests is what one inventory of the benchmark costs: the IAM
// project listing, CCE and Autopilot listings in 30 regions, the UCS fleets
// and the UCS member clusters (one page each).
const benchRequests = 1 + 30 + 30 + 1 + 1

// benchInventoryEnv is an emulator serving 1,000 synthetic CCE clusters in
// 30 regions with benchLatency on every API request, and the config of a
// client for it.
type benchInventoryEnv struct {
	srv *emulator.Server
	cfg Config
}

func newBenchInventoryEnv(b *testing.B) *benchInventoryEnv {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := emulator.Start(ctx, emulator.Options{Clusters: 1000, Regions: 30, Faults: emulator.Faults{Latency: benchLatency}})
	if err != nil {
		cancel()
		b.Fatalf("start emulator: %v", err)
	}
	b.Cleanup(func() {
		cancel()
		_ = srv.Close()
	})
	caFile, err := srv.WriteCAFile(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	cfg := Config{AK: srv.AK, SK: Secret(srv.SK), Endpoint: srv.URL, CAFile: caFile, UserAgent: "ccecert/bench"}
	return &benchInventoryEnv{srv: srv, cfg: cfg}
}

// inventory lists every kind with a fresh client (cold connections, as a
// `ccecert list` process has) at the given concurrency (0 = the default)
// and returns how long it took and how many API requests it made.
func (e *benchInventoryEnv) inventory(b *testing.B, concurrency int) (time.Duration, int64) {
	b.Helper()
	cfg := e.cfg
	cfg.Concurrency = concurrency
	c, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	before := e.srv.Requests()
	start := time.Now()
	inv, err := c.Inventory(context.Background(), InventoryOptions{})
	elapsed := time.Since(start)
	if err != nil {
		b.Fatalf("Inventory: %v", err)
	}
	if len(inv.Errors) != 0 || len(inv.Targets) != 1000 {
		b.Fatalf("listed %d targets with errors %v, want 1000 and none", len(inv.Targets), inv.Errors)
	}
	return elapsed, e.srv.Requests() - before
}

// BenchmarkInventory is the discovery of 1,000 CCE clusters in 30 regions
// at 100 ms per request, every kind: one IAM KeystoneListAuthProjects, then
// at once 30 CCE ListClusters, 30 ListAutopilotClusters, one UCS
// ListClusterGroup and one UCS ShowClusterList for the fleets' members
// (63 requests, two round trips). ns/op and fanout_s are
// Inventory at the default concurrency with a fresh client per op;
// sequential_s is the same SDK calls one after another (Concurrency 1, the
// same code path), measured once; speedup_x is their ratio. Targets
// (DESIGN §8): fanout_s ≤ 2 × the two-round-trip limit (0.2 s), speedup_x ≥ 7.
func BenchmarkInventory(b *testing.B) {
	e := newBenchInventoryEnv(b)
	e.inventory(b, 0) // warm the emulator's lazily built state
	sequential, _ := e.inventory(b, 1)
	var total time.Duration
	var reqs int64
	n := 0
	for b.Loop() {
		d, r := e.inventory(b, 0)
		if r != benchRequests {
			b.Fatalf("one inventory made %d requests, want %d", r, benchRequests)
		}
		total += d
		reqs += r
		n++
	}
	fanout := total / time.Duration(n)
	b.ReportMetric(fanout.Seconds(), "fanout_s")
	b.ReportMetric(sequential.Seconds(), "sequential_s")
	b.ReportMetric(sequential.Seconds()/fanout.Seconds(), "speedup_x")
	b.ReportMetric(float64(reqs)/float64(n), "requests/op")
	b.ReportMetric(fanout.Seconds()/benchLatency.Seconds(), "round_trips")
}

// BenchmarkInventoryConcurrency is BenchmarkInventory's fan-out at several
// pool sizes: the measurement behind DefaultConcurrency. With 62 listings
// after the IAM call, a pool of P needs 1 + ceil(62/P) round trips.
func BenchmarkInventoryConcurrency(b *testing.B) {
	e := newBenchInventoryEnv(b)
	e.inventory(b, 0)
	for _, p := range []int{8, 16, 32, 64, 128} {
		b.Run(fmt.Sprintf("pool=%d", p), func(b *testing.B) {
			var total time.Duration
			n := 0
			for b.Loop() {
				d, _ := e.inventory(b, p)
				total += d
				n++
			}
			mean := total / time.Duration(n)
			b.ReportMetric(mean.Seconds(), "fanout_s")
			b.ReportMetric(mean.Seconds()/benchLatency.Seconds(), "round_trips")
		})
	}
}
