package store

import (
	"context"
	"testing"
)

// Changes sees a commit by another process's connection (another Store on
// the same data dir stands in for it) and nothing when nothing changed.
func TestChangesSeesAnotherConnectionsCommit(t *testing.T) {
	s, dir := openStore(t)
	ctx := context.Background()
	ch, err := s.Changes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	if changed, err := ch.Changed(ctx); err != nil || changed {
		t.Fatalf("nothing written: changed %v, %v", changed, err)
	}
	other, err := Open(ctx, dir, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ca := newCA(t)
	tgt := cceTarget("prod", "r", "c1")
	if _, err := other.AddCredential(ctx, tgt, issuedFor(t, ca, tgt, t0, t0.Add(Day)), Meta{}); err != nil {
		t.Fatal(err)
	}
	if changed, err := ch.Changed(ctx); err != nil || !changed {
		t.Fatalf("another connection committed: changed %v, %v", changed, err)
	}
	if changed, _ := ch.Changed(ctx); changed {
		t.Fatal("changed twice for one commit")
	}
	if _, err := s.Credentials(ctx, Filter{}); err != nil {
		t.Fatal(err)
	}
	if changed, _ := ch.Changed(ctx); changed {
		t.Fatal("a read counted as a change")
	}
}
