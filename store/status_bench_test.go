package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"ccecert/api"
)

// benchCredentialStore opens a store holding n live credentials over
// n/perTarget targets (each with an internal context carrying the CA and
// an external one, as CCE issues them), expiring from a day ago to a year
// ahead (every health state), recorded a minute apart, all stored in one
// transaction.
func benchCredentialStore(b *testing.B, n, perTarget int) *Store {
	b.Helper()
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "data"), Options{Now: fixedNow})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	ca := newCA(b)
	items := make([]pending, n)
	for i := range items {
		tgt := cceTarget(fmt.Sprintf("cluster-%05d", i/perTarget), "cn-north-4", fmt.Sprintf("id-%05d", i/perTarget))
		na := t0.Add(time.Duration(i%400-1) * Day)
		iss := issuedFor(b, ca, tgt, na.AddDate(0, 0, -400), na)
		created := t0.Add(-time.Duration(n-i) * time.Minute)
		p, err := newPending(tgt, iss, Meta{Validity: api.Days(400), Kubeconfig: "/k/config",
			Contexts: []string{tgt.Name + "-internal", tgt.Name + "-external"}}, created)
		if err != nil {
			b.Fatal(err)
		}
		items[i] = p
	}
	if _, _, err := s.save(context.Background(), items); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkStatus is the status path: Store.Credentials as status and the
// TUI read it (Brief), the health of each, and the most-urgent-first
// order. 1,000 and 10,000 credentials, ten per target, show that it grows
// linearly; "distinct" gives every credential a target of its own, so no
// JSON text repeats (the decoder's worst case). cpu-ms/op is the CPU the
// process spent (GC included), steadier than ns/op on a shared machine.
func BenchmarkStatus(b *testing.B) {
	for _, tc := range []struct {
		name         string
		n, perTarget int
	}{{"1k", 1_000, 10}, {"10k", 10_000, 10}, {"10k-distinct", 10_000, 1}} {
		b.Run(tc.name, func(b *testing.B) {
			s := benchCredentialStore(b, tc.n, tc.perTarget)
			th := DefaultThresholds()
			ctx := context.Background()
			cpu := startCPU()
			for b.Loop() {
				creds, err := s.Credentials(ctx, Filter{Brief: true})
				if err != nil || len(creds) != tc.n {
					b.Fatalf("%d credentials, %v", len(creds), err)
				}
				SortUrgent(creds, t0, th)
			}
			cpu.report(b)
		})
	}
}

// BenchmarkCredentialsFull is Store.Credentials without Brief, for
// comparison: every column, the certificate PEM too.
func BenchmarkCredentialsFull(b *testing.B) {
	s := benchCredentialStore(b, 10_000, 10)
	ctx := context.Background()
	cpu := startCPU()
	for b.Loop() {
		if creds, err := s.Credentials(ctx, Filter{}); err != nil || len(creds) != 10_000 {
			b.Fatalf("%d credentials, %v", len(creds), err)
		}
	}
	cpu.report(b)
}
