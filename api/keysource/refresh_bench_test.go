package keysource

import (
	"context"
	"testing"
	"time"

	"ccecert/api"
)

// BenchmarkRefreshingKeysCached is the cost the client pays before each
// SDK client use while a process source's keys are fresh.
func BenchmarkRefreshingKeysCached(b *testing.B) {
	r := &refreshing{profile: "p", describe: "process x", now: time.Now,
		fetch: func(context.Context) (api.Keys, error) {
			return api.Keys{AK: "AK", SK: api.Secret("sk"), Expires: time.Now().Add(time.Hour)}, nil
		}}
	ctx := context.Background()
	if _, err := r.Keys(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := r.Keys(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkProcessRun is one run of a credential process (this test
// binary printing keys): what a renewal costs.
func BenchmarkProcessRun(b *testing.B) {
	exe := helperExe(b)
	p := &processSource{profile: "p", argv: []string{exe, "-test.run=^$"}, timeout: 10 * time.Second,
		environ: helperEnviron("env", "KEYSOURCE_TEST_PLAIN=sk")()}
	for b.Loop() {
		if _, err := p.fetch(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
