//go:build bench

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"ccecert/api"
	"ccecert/api/emulator"
	"ccecert/store"
	"ccecert/store/engine"
)

// benchRenew renews 100 credentials (one per cluster, all in one
// kubeconfig) at 100 ms a request: Engine.RenewAll over a real client,
// store and kubeconfig, the median of runs at the default concurrency, and
// once one after another — on the base URL, then again on the network
// model (benchNetwork: through the proxy, each region's host its own
// connections, each new one paying connect and TLS).
func benchRenew(ctx context.Context, dir string, runs int) ([]benchFigure, error) {
	figs, err := benchRenewOn(ctx, filepath.Join(dir, "renew-base"), runs, false)
	if err != nil {
		return nil, err
	}
	net, err := benchRenewOn(ctx, filepath.Join(dir, "renew-net"), runs, true)
	if err != nil {
		net = []benchFigure{notMeasured("renew 100 credentials per host", "≤ 2 s", err)}
	}
	return append(figs, net...), nil
}

// benchRenewOn is benchRenew on the base URL or, perHost, on the network
// model through the proxy.
func benchRenewOn(ctx context.Context, dir string, runs int, perHost bool) ([]benchFigure, error) {
	var (
		srv *emulator.Server
		cfg api.Config
		err error
	)
	if perHost {
		srv, _, cfg, err = benchProxyCloud(ctx, dir, 100, 10)
	} else if err = os.MkdirAll(dir, 0o700); err == nil {
		srv, cfg, err = benchCloud(ctx, dir, 100, 10)
	}
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
	eng := &engine.Engine{Store: st, Config: conf, Kubeconfig: filepath.Join(dir, "renew-kube", "config"),
		Cloud: func() (engine.Cloud, error) { return client, nil }}
	creds, err := benchFetchAll(ctx, eng)
	if err != nil {
		return nil, err
	}
	srv.SetFaults(emulator.Faults{Latency: benchLatency})
	label := ""
	if perHost {
		srv.SetNetwork(benchNetwork)
		label = fmt.Sprintf(", per host at %v RTT", benchNetwork.RTT)
		// The first renewals would otherwise reuse the fetches'
		// connections, set up for free.
		client.Close()
	}
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
	before, reqs := srv.Connections(), srv.Requests()
	for range runs {
		d, err := renew(0)
		if err != nil {
			return nil, err
		}
		fan = append(fan, d)
	}
	conns, most := connectionsSince(srv, before)
	reqs = (srv.Requests() - reqs) / int64(runs)
	seq, err := renew(1)
	if err != nil {
		return nil, err
	}
	f := median(fan)
	return []benchFigure{
		info(fmt.Sprintf("renew 100%s: requests, and connections (≤ %d a host) a run", label, (most+runs-1)/runs), float64(reqs), fmt.Sprintf("requests, %d connections", conns/runs)),
		figure(fmt.Sprintf("renew 100 credentials (concurrency %d%s)", conf.Concurrency, label), f.Seconds(), "s", "≤ 2 s", f <= 2*time.Second),
		info("renew 100, one after another"+label, seq.Seconds(), "s"),
		info("renew speed-up (sequential / bulk)"+label, seq.Seconds()/f.Seconds(), "x"),
	}, nil
}

// benchFetchAll lists the emulator's clusters and fetches a 30-day
// credential for each (before any latency is injected).
func benchFetchAll(ctx context.Context, eng *engine.Engine) ([]store.Credential, error) {
	inv, err := eng.Refresh(ctx, engine.RefreshOptions{})
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
			res, err := eng.Fetch(ctx, engine.FetchRequest{Target: t, Validity: api.Days(30)})
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
