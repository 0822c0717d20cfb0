//go:build bench

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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
	figs := []benchFigure{
		figure(fmt.Sprintf("inventory 1,000 clusters/30 regions, fan-out (%d requests)", perRun), f.Seconds(), "s",
			fmt.Sprintf("≤ %.2f s (2× the 2-round-trip limit)", 2*limit.Seconds()), f <= 2*limit),
		info("inventory, same calls one after another", seq.Seconds(), "s"),
		figure("inventory speed-up (sequential / fan-out)", seq.Seconds()/f.Seconds(), "x", "≥ 7×", seq >= 7*f),
	}
	net, err := benchInventoryNetwork(ctx, dir, runs)
	if err != nil {
		net = []benchFigure{notMeasured("inventory per host", "-", err)}
	}
	return append(figs, net...), nil
}

// benchInventoryNetwork is Inventory in the process (no start-up, no
// store) on the network model through the proxy, in round trips: the CCE
// listings and every kind, cold (a fresh client, nothing known) and with
// the projects of an earlier refresh known (InventoryOptions.Known, as
// Refresh passes them), a fresh client each run, the median of runs.
func benchInventoryNetwork(ctx context.Context, dir string, runs int) ([]benchFigure, error) {
	srv, _, cfg, err := benchProxyCloud(ctx, filepath.Join(dir, "inventory-net"), 1000, 30)
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	first, err := api.New(cfg)
	if err != nil {
		return nil, err
	}
	all, err := first.Inventory(ctx, api.InventoryOptions{}) // and the emulator's lazily built state
	first.Close()
	if err != nil {
		return nil, err
	}
	var known []api.Project
	seen := map[string]bool{}
	for _, t := range all.Targets {
		if t.ProjectID != "" && !seen[t.ProjectID] {
			seen[t.ProjectID] = true
			known = append(known, api.Project{ID: t.ProjectID, Region: t.Region})
		}
	}
	srv.SetFaults(emulator.Faults{Latency: benchLatency})
	srv.SetNetwork(benchNetwork)
	rtt := benchNetwork.RTT.Seconds()
	var figs []benchFigure
	for _, sc := range []struct {
		name  string
		kinds []api.Kind
		known []api.Project
	}{
		{"CCE, cold", []api.Kind{api.KindCCE}, nil},
		{"CCE, projects known", []api.Kind{api.KindCCE}, known},
		{"every kind, cold", nil, nil},
		{"every kind, projects known (fleets wait for IAM's account id)", nil, known},
	} {
		var ds []time.Duration
		for range runs {
			client, err := api.New(cfg)
			if err != nil {
				return nil, err
			}
			start := time.Now()
			_, err = client.Inventory(ctx, api.InventoryOptions{Kinds: sc.kinds, Known: sc.known})
			ds = append(ds, time.Since(start))
			client.Close()
			if err != nil {
				return nil, err
			}
		}
		figs = append(figs, info("inventory in process per host at "+benchNetwork.RTT.String()+" RTT, "+sc.name, median(ds).Seconds()/rtt, "RTT"))
	}
	return figs, nil
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
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", api.Config{}, err
	}
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
