//go:build bench

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"ccecert/api"
	"ccecert/api/emulator"
)

// benchListCLI times `ccecert list --refresh --kind cce` as an operator
// runs it: the built binary, a process per run (start-up, the projects, 30 CCE
// listings, the cache written), the median of runs, against the same
// calls one after another through the SDK (Concurrency 1), once, at 100 ms
// a request.
func benchListCLI(ctx context.Context, exe, dir string, runs int) ([]benchFigure, error) {
	srv, cfg, err := benchCloud(ctx, dir, 1000, 30)
	if err != nil {
		return nil, err
	}
	defer srv.Close()
	srv.SetFaults(emulator.Faults{Latency: benchLatency})
	h, err := newBenchHome(dir, "home-list")
	if err != nil {
		return nil, err
	}
	want := 0
	for _, t := range srv.Targets() {
		if t.Kind == string(api.KindCCE) {
			want++
		}
	}
	env := append(h.environ(), srv.Env(cfg.CAFile)...)
	list := func() (time.Duration, error) {
		d, out, err := timeProcess(ctx, exe, env, "list", "--refresh", "--kind", "cce", "-o", "json")
		if err != nil {
			return 0, err
		}
		var listed []json.RawMessage
		if err := json.Unmarshal(out, &listed); err != nil || len(listed) != want {
			return 0, fmt.Errorf("ccecert list printed %d clusters (%v), want %d", len(listed), err, want)
		}
		return d, nil
	}
	if _, err := list(); err != nil { // warm the emulator and the page cache
		return nil, err
	}
	before := srv.Requests()
	var cli []time.Duration
	for range runs {
		d, err := list()
		if err != nil {
			return nil, err
		}
		cli = append(cli, d)
	}
	perRun := (srv.Requests() - before) / int64(runs)
	seq, err := sequentialCCE(ctx, cfg)
	if err != nil {
		return nil, err
	}
	c := median(cli)
	return []benchFigure{
		info(fmt.Sprintf("`ccecert list --refresh --kind cce`, the process (%d requests)", perRun), c.Seconds(), "s"),
		info("the same CCE listings one after another", seq.Seconds(), "s"),
		figure("list speed-up (sequential / the command)", seq.Seconds()/c.Seconds(), "x", "≥ 7×", seq >= 7*c),
	}, nil
}

// sequentialCCE is the projects and every CCE listing, one after another.
func sequentialCCE(ctx context.Context, cfg api.Config) (time.Duration, error) {
	cfg.Concurrency = 1
	client, err := api.New(cfg)
	if err != nil {
		return 0, err
	}
	defer client.Close()
	start := time.Now()
	_, err = client.Inventory(ctx, api.InventoryOptions{Kinds: []api.Kind{api.KindCCE}})
	return time.Since(start), err
}
