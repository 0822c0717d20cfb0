//go:build bench

package main

import (
	"context"
	"fmt"
	"time"

	"ccecert/api"
	"ccecert/api/emulator"
)

// benchLatency is the per-request latency of the cloud scenarios.
const benchLatency = 100 * time.Millisecond

// benchCloud starts an emulator of clusters in regions and returns it with
// the config of a client for it (CA file in dir).
func benchCloud(ctx context.Context, dir string, clusters, regions int) (*emulator.Server, api.Config, error) {
	srv, err := emulator.Start(ctx, emulator.Options{Clusters: clusters, Regions: regions})
	if err != nil {
		return nil, api.Config{}, err
	}
	caFile, err := srv.WriteCAFile(dir)
	if err != nil {
		_ = srv.Close()
		return nil, api.Config{}, err
	}
	return srv, api.Config{AK: srv.AK, SK: api.Secret(srv.SK), Endpoint: srv.URL, CAFile: caFile, UserAgent: "ccecert/bench"}, nil
}

// benchInventory lists 1,000 clusters in 30 regions at 100 ms a request,
// every kind: one IAM call, then 30 CCE and 30 Autopilot listings and two
// UCS ones, the fleets and their member clusters (63 requests). Fan-out is
// Inventory at the default concurrency with a fresh client (as `ccecert
// list` runs), the median of runs; sequential is the same calls one after
// another (Concurrency 1), once.
func benchInventory(ctx context.Context, dir string, runs int) ([]benchFigure, error) {
	srv, cfg, err := benchCloud(ctx, dir, 1000, 30)
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	srv.SetFaults(emulator.Faults{Latency: benchLatency})
	list := func(concurrency int) (time.Duration, error) {
		c := cfg
		c.Concurrency = concurrency
		client, err := api.New(c)
		if err != nil {
			return 0, err
		}
		defer client.Close()
		start := time.Now()
		inv, err := client.Inventory(ctx, api.InventoryOptions{})
		d := time.Since(start)
		if err == nil && (len(inv.Targets) != 1000 || len(inv.Errors) != 0) {
			err = fmt.Errorf("listed %d targets with %d region errors, want 1000 and none", len(inv.Targets), len(inv.Errors))
		}
		return d, err
	}
	if _, err := list(0); err != nil { // warm the emulator's lazily built state
		return nil, err
	}
	before := srv.Requests()
	var fan []time.Duration
	for range runs {
		d, err := list(0)
		if err != nil {
			return nil, err
		}
		fan = append(fan, d)
	}
	perRun := (srv.Requests() - before) / int64(runs)
	seq, err := list(1)
	if err != nil {
		return nil, err
	}
	f := median(fan)
	limit := 2 * benchLatency
	return []benchFigure{
		figure(fmt.Sprintf("inventory 1,000 clusters/30 regions, fan-out (%d requests)", perRun), f.Seconds(), "s",
			fmt.Sprintf("≤ %.2f s (2× the 2-round-trip limit)", 2*limit.Seconds()), f <= 2*limit),
		info("inventory, same calls one after another", seq.Seconds(), "s"),
		figure("inventory speed-up (sequential / fan-out)", seq.Seconds()/f.Seconds(), "x", "≥ 7×", seq >= 7*f),
	}, nil
}

// benchNetwork is the network model of the per-host scenarios: every new
// connection pays its TCP connect and a TLS 1.3 handshake at benchLatency
// round trip, besides benchLatency a request.
var benchNetwork = emulator.NetModel{RTT: benchLatency}

// benchProxyCloud starts an emulator of clusters in regions in proxy mode
// (each region's real host name a host of its own) and returns it with the
// CA file (in dir) and the config of a client calling the real host names
// through it.
func benchProxyCloud(ctx context.Context, dir string, clusters, regions int) (*emulator.Server, string, api.Config, error) {
	srv, err := emulator.Start(ctx, emulator.Options{Clusters: clusters, Regions: regions, Proxy: true})
	if err != nil {
		return nil, "", api.Config{}, err
	}
	caFile, err := srv.WriteCAFile(dir)
	if err != nil {
		_ = srv.Close()
		return nil, "", api.Config{}, err
	}
	site, err := api.ParseSite(srv.Site())
	if err != nil {
		_ = srv.Close()
		return nil, "", api.Config{}, err
	}
	proxy := srv.ProxyURL
	cfg := api.Config{AK: srv.AK, SK: api.Secret(srv.SK), CAFile: caFile, UserAgent: "ccecert/bench", Site: site,
		Getenv: func(k string) string {
			if k == "HTTPS_PROXY" {
				return proxy
			}
			return ""
		}}
	return srv, caFile, cfg, nil
}

// connectionsSince is how many connections the emulator opened since
// before, in all and to the busiest host.
func connectionsSince(srv *emulator.Server, before map[string]int) (total, most int) {
	for h, n := range srv.Connections() {
		d := n - before[h]
		total += d
		most = max(most, d)
	}
	return total, most
}
