package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestPermute checks the in-place permutation against a copy, over every
// permutation shape a shuffle gives (fixed points, long cycles).
func TestPermute(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 50 {
		order := r.Perm(n)
		s := make([]string, n)
		for i := range s {
			s[i] = fmt.Sprint(i)
		}
		want := make([]string, n)
		for i, j := range order {
			want[i] = s[j]
		}
		permute(s, slices.Clone(order))
		if !slices.Equal(s, want) {
			t.Fatalf("n=%d order %v: got %v, want %v", n, order, s, want)
		}
	}
}

// TestSortUrgent: expired, critical, not yet valid, warning, token-only
// (unknown), ok, replaced, revoked; by time left within a rank; ties keep
// their order.
func TestSortUrgent(t *testing.T) {
	th := DefaultThresholds()
	at := func(id string, nb, na time.Duration) Credential {
		return Credential{ID: id, NotBefore: t0.Add(nb), NotAfter: t0.Add(na)}
	}
	revoked, replaced, token := at("revoked", -Day, -Day/2), at("replaced", -Day, Day), Credential{ID: "token", TokenOnly: true}
	revoked.RevokedAt, replaced.ReplacedBy = t0, "new"
	creds := []Credential{
		at("ok-later", -10*Day, 300*Day), revoked, at("warning", -100*Day, 20*Day), token,
		at("ok-a", -10*Day, 200*Day), at("expired", -10*Day, -time.Hour), replaced, at("ok-b", -10*Day, 200*Day),
		at("notyet", Day, 300*Day), at("critical", -100*Day, 2*Day), at("expired-long", -10*Day, -5*Day),
	}
	SortUrgent(creds, t0, th)
	var got []string
	for _, c := range creds {
		got = append(got, c.ID)
	}
	want := []string{"expired-long", "expired", "critical", "notyet", "warning", "token", "ok-a", "ok-b", "ok-later", "replaced", "revoked"}
	if !slices.Equal(got, want) {
		t.Errorf("order %v\nwant  %v", got, want)
	}
}

// TestCredentialsNewestFirst: a listing is newest first, then by id,
// whatever order the rows were stored in, and Brief leaves out only the
// certificate PEM and the clusters' CA data.
func TestCredentialsNewestFirst(t *testing.T) {
	s, _ := openStore(t)
	ca := newCA(t)
	ctx := context.Background()
	var items []pending
	// One target (so its JSON repeats), stored out of order, two at the
	// same instant.
	tgt := cceTarget("c", "cn-north-4", "id")
	for i, minutes := range []int{5, 1, 9, 1, 3} {
		iss := issuedFor(t, ca, tgt, t0.Add(-Day), t0.Add(time.Duration(i+1)*Day))
		p, err := newPending(tgt, iss, Meta{Kubeconfig: "/k/config", Contexts: []string{"a", "b"}}, t0.Add(time.Duration(minutes)*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		items = append(items, p)
	}
	if _, _, err := s.save(ctx, items); err != nil {
		t.Fatal(err)
	}
	full, err := s.Credentials(ctx, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	brief, err := s.Credentials(ctx, Filter{Brief: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(full) != 5 || len(brief) != 5 {
		t.Fatalf("%d and %d credentials, want 5", len(full), len(brief))
	}
	for i := 1; i < len(full); i++ {
		a, b := full[i-1], full[i]
		if a.CreatedAt.Before(b.CreatedAt) || (a.CreatedAt.Equal(b.CreatedAt) && a.ID > b.ID) {
			t.Errorf("%s (%v) listed before %s (%v)", a.ID, a.CreatedAt, b.ID, b.CreatedAt)
		}
	}
	for i, f := range full {
		b := brief[i]
		if len(f.CertPEM) == 0 || b.CertPEM != nil {
			t.Errorf("%s: full has %d bytes of PEM, brief %d", f.ID, len(f.CertPEM), len(b.CertPEM))
		}
		if len(f.Clusters) != 2 || len(f.Clusters[0].CAData) == 0 || b.Clusters[0].CAData != nil {
			t.Errorf("%s: full has %d bytes of CA, brief %d", f.ID, len(f.Clusters[0].CAData), len(b.Clusters[0].CAData))
		}
		f.CertPEM, f.Clusters = nil, slices.Clone(f.Clusters)
		for i := range f.Clusters {
			f.Clusters[i].CAData = nil
		}
		if fmt.Sprintf("%#v", f) != fmt.Sprintf("%#v", b) {
			t.Errorf("%s: brief differs beyond the PEM and CA:\n%#v\n%#v", f.ID, b, f)
		}
	}
	// Rows share decoded JSON, never slices: changing one leaves the others.
	brief[0].Contexts[0], brief[0].Clusters[0].Name = "changed", "changed"
	if brief[1].Contexts[0] != "a" || brief[1].Clusters[0].Name != "internal" {
		t.Errorf("a change to one credential's slices shows in another: %v %v", brief[1].Contexts, brief[1].Clusters[0].Name)
	}
}
