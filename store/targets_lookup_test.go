package store

import (
	"context"
	"testing"

	"ccecert/api"
)

func TestTargetLookup(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	a, b := cceTarget("a", "cn-north-4", "id-a"), cceTarget("b", "cn-east-3", "id-b")
	b.Phase = "Hibernation"
	if err := s.SaveTargets(ctx, []api.Target{a, b}, Scope{}, t0); err != nil {
		t.Fatal(err)
	}
	got, found, err := s.Target(ctx, b.Key())
	if err != nil || !found || got.Name != "b" || got.Phase != "Hibernation" || !got.FetchedAt.Equal(t0) {
		t.Fatalf("Target(b) = %+v %v %v", got, found, err)
	}
	if _, found, err := s.Target(ctx, "cce/cn-north-4/nope"); err != nil || found {
		t.Fatalf("Target(unknown) found %v, err %v", found, err)
	}
}
