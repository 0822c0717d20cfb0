package store

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"ccecert/api"
)

// benchCredentialStore opens a store holding n live credentials over n/10
// targets, expiring from a day ago to a year ahead (every health state),
// all stored in one transaction.
func benchCredentialStore(b *testing.B, n int) *Store {
	b.Helper()
	s, err := Open(context.Background(), filepath.Join(b.TempDir(), "data"), Options{Now: fixedNow})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	ca := newCA(b)
	items := make([]pending, n)
	for i := range items {
		tgt := cceTarget(fmt.Sprintf("cluster-%04d", i/10), "cn-north-4", fmt.Sprintf("id-%04d", i/10))
		na := t0.Add(time.Duration(i%400-1) * Day)
		iss := issuedFor(b, ca, tgt, na.AddDate(0, 0, -400), na)
		iss.Contexts = iss.Contexts[1:]
		p, err := newPending(tgt, iss, Meta{Validity: api.Days(400), Kubeconfig: "/k/config", Contexts: []string{tgt.Name + "-external"}}, t0)
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

// BenchmarkCredentials10k is the status path over 10,000 credentials:
// Store.Credentials, the health of each, and the most-urgent-first sort of
// `ccecert status` (and the TUI's Credentials page).
func BenchmarkCredentials10k(b *testing.B) {
	s := benchCredentialStore(b, 10_000)
	th := DefaultThresholds()
	ctx := context.Background()
	for b.Loop() {
		creds, err := s.Credentials(ctx, Filter{})
		if err != nil || len(creds) != 10_000 {
			b.Fatalf("%d credentials, %v", len(creds), err)
		}
		ranks := make([]int, len(creds))
		for i, c := range creds {
			ranks[i] = c.Health(t0, th).Rank()
		}
		sort.Sort(byUrgency{creds, ranks})
	}
}

// byUrgency sorts credentials by health rank, then by time left.
type byUrgency struct {
	c []Credential
	r []int
}

func (u byUrgency) Len() int { return len(u.c) }
func (u byUrgency) Less(i, j int) bool {
	if u.r[i] != u.r[j] {
		return u.r[i] < u.r[j]
	}
	return u.c[i].NotAfter.Before(u.c[j].NotAfter)
}
func (u byUrgency) Swap(i, j int) {
	u.c[i], u.c[j] = u.c[j], u.c[i]
	u.r[i], u.r[j] = u.r[j], u.r[i]
}
