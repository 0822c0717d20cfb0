package engine

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"ccecert/api"
	"ccecert/api/emulator"
	"ccecert/store"
)

// benchRenewLatency is the per-request latency of the renew benchmark.
const benchRenewLatency = 100 * time.Millisecond

// benchRenewEnv is an engine over a real api.Client, an emulator of 100
// clusters in 10 regions, a store and a kubeconfig in temp dirs, holding
// one live credential per cluster.
type benchRenewEnv struct {
	srv   *emulator.Server
	eng   *Engine
	creds []store.Credential
}

func newBenchRenewEnv(b *testing.B, clusters int) *benchRenewEnv {
	b.Helper()
	dir := b.TempDir()
	for _, v := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"} {
		b.Setenv(v, filepath.Join(dir, v))
	}
	b.Setenv("KUBECONFIG", filepath.Join(dir, "kubeconfig"))
	srv, err := emulator.Start(b.Context(), emulator.Options{Clusters: clusters, Regions: 10})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = srv.Close() })
	caFile, err := srv.WriteCAFile(dir)
	if err != nil {
		b.Fatal(err)
	}
	client, err := api.New(api.Config{AK: srv.AK, SK: api.Secret(srv.SK), Endpoint: srv.URL, CAFile: caFile, UserAgent: "ccecert/bench"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(client.Close)
	st, err := store.Open(context.Background(), filepath.Join(dir, "data"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = st.Close() })
	cfg, err := store.DefaultConfig()
	if err != nil {
		b.Fatal(err)
	}
	eng := &Engine{Store: st, Config: cfg, Kubeconfig: filepath.Join(dir, "kube", "config"),
		Cloud: func() (Cloud, error) { return client, nil }}
	env := &benchRenewEnv{srv: srv, eng: eng}
	env.creds = env.fetchAll(b)
	return env
}

// fetchAll lists the clusters and fetches a 30-day credential for each, as
// fast as the emulator answers (no latency yet).
func (e *benchRenewEnv) fetchAll(b *testing.B) []store.Credential {
	b.Helper()
	ctx := context.Background()
	inv, err := e.eng.Refresh(ctx, RefreshOptions{})
	if err != nil {
		b.Fatal(err)
	}
	out := make([]store.Credential, len(inv.Targets))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for i, t := range inv.Targets {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			res, err := e.eng.Fetch(ctx, FetchRequest{Target: t, Validity: api.Days(30)})
			if err != nil {
				b.Error(err)
			}
			out[i] = res.Credential
		})
	}
	wg.Wait()
	if b.Failed() {
		b.FailNow()
	}
	return out
}

// renewAll renews every credential with at most concurrency renewals in
// flight (0 = the configured default), checks each one worked, and moves
// on to the new credentials.
func (e *benchRenewEnv) renewAll(b *testing.B, concurrency int) time.Duration {
	b.Helper()
	eng := *e.eng
	if concurrency > 0 {
		eng.Config.Concurrency = concurrency
	}
	start := time.Now()
	outs := eng.RenewAll(context.Background(), e.creds, nil)
	elapsed := time.Since(start)
	for i, o := range outs {
		if o.Err != nil {
			b.Fatalf("renew %s: %v", o.Old.ID, o.Err)
		}
		if o.Result.Credential.ID == o.Old.ID {
			b.Fatalf("renew %s returned the same credential", o.Old.ID)
		}
		e.creds[i] = o.Result.Credential
	}
	return elapsed
}

// BenchmarkRenewAll100 is `ccecert renew` of 100 credentials at 100 ms per
// request: Engine.RenewAll over a real api.Client and emulator, a store and
// one kubeconfig (every renewal a locked, atomic merge into it). ns/op and
// renew_s are the default concurrency; sequential_s is one renewal after
// another (concurrency 1), measured once; speedup_x is their ratio; local_s
// is the default run with no latency at all (the local work: SQLite, age,
// X.509 checks, kubeconfig merges). Target (DESIGN §8): renew_s ≤ 2.
func BenchmarkRenewAll100(b *testing.B) {
	e := newBenchRenewEnv(b, 100)
	local := e.renewAll(b, 0)
	e.srv.SetFaults(emulator.Faults{Latency: benchRenewLatency})
	sequential := e.renewAll(b, 1)
	var total time.Duration
	n := 0
	for b.Loop() {
		total += e.renewAll(b, 0)
		n++
	}
	mean := total / time.Duration(n)
	b.ReportMetric(mean.Seconds(), "renew_s")
	b.ReportMetric(sequential.Seconds(), "sequential_s")
	b.ReportMetric(sequential.Seconds()/mean.Seconds(), "speedup_x")
	b.ReportMetric(local.Seconds(), "local_s")
}
