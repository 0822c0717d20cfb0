package main

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"ccecert/api"
	"ccecert/api/emulator"
	"ccecert/store"
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

// benchRenew renews 100 credentials (one per cluster, all in one
// kubeconfig) at 100 ms a request: Engine.RenewAll over a real client,
// store and kubeconfig, the median of runs at the default concurrency, and
// once one after another.
func benchRenew(ctx context.Context, dir string, runs int) ([]benchFigure, error) {
	srv, cfg, err := benchCloud(ctx, dir, 100, 10)
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	client, err := api.New(cfg)
	if err != nil {
		return nil, err
	}
	defer client.Close()
	st, err := store.Open(ctx, filepath.Join(dir, "renew-data"), store.Options{})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	conf, err := store.DefaultConfig()
	if err != nil {
		return nil, err
	}
	eng := &store.Engine{Store: st, Config: conf, Kubeconfig: filepath.Join(dir, "renew-kube", "config"),
		Cloud: func() (store.Cloud, error) { return client, nil }}
	creds, err := benchFetchAll(ctx, eng)
	if err != nil {
		return nil, err
	}
	srv.SetFaults(emulator.Faults{Latency: benchLatency})
	renew := func(concurrency int) (time.Duration, error) {
		e := *eng
		if concurrency > 0 {
			e.Config.Concurrency = concurrency
		}
		start := time.Now()
		outs := e.RenewAll(ctx, creds, nil)
		d := time.Since(start)
		for i, o := range outs {
			if o.Err != nil {
				return 0, fmt.Errorf("renew %s: %w", o.Old.ID, o.Err)
			}
			creds[i] = o.Result.Credential
		}
		return d, nil
	}
	var fan []time.Duration
	for range runs {
		d, err := renew(0)
		if err != nil {
			return nil, err
		}
		fan = append(fan, d)
	}
	seq, err := renew(1)
	if err != nil {
		return nil, err
	}
	f := median(fan)
	return []benchFigure{
		figure(fmt.Sprintf("renew 100 credentials (concurrency %d)", conf.Concurrency), f.Seconds(), "s", "≤ 2 s", f <= 2*time.Second),
		info("renew 100, one after another", seq.Seconds(), "s"),
		info("renew speed-up (sequential / bulk)", seq.Seconds()/f.Seconds(), "x"),
	}, nil
}

// benchFetchAll lists the emulator's clusters and fetches a 30-day
// credential for each (before any latency is injected).
func benchFetchAll(ctx context.Context, eng *store.Engine) ([]store.Credential, error) {
	inv, err := eng.Refresh(ctx, store.RefreshOptions{})
	if err != nil {
		return nil, err
	}
	out := make([]store.Credential, len(inv.Targets))
	errs := make([]error, len(inv.Targets))
	sem := make(chan struct{}, 16)
	var wg sync.WaitGroup
	for i, t := range inv.Targets {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			res, err := eng.Fetch(ctx, store.FetchRequest{Target: t, Validity: api.Days(30)})
			out[i], errs[i] = res.Credential, err
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("fetch the credentials to renew: %w", err)
		}
	}
	return out, nil
}
