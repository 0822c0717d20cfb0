package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"ccecert/api"
)

func TestOpenReadOnlyReadsTheCacheAndWritesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	if _, err := OpenReadOnly(t.Context(), dir, nil); !errors.Is(err, ErrNoStore) {
		t.Fatalf("no database: err = %v, want ErrNoStore", err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("OpenReadOnly created the data dir: %v", err)
	}

	st, err := Open(t.Context(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	target := api.Target{Kind: api.KindCCE, ID: "c1", Name: "prod", Region: "r1"}
	if err := st.SaveTargets(t.Context(), []api.Target{target}, Scope{}, time.Now()); err != nil {
		t.Fatal(err)
	}
	ro, err := OpenReadOnly(t.Context(), dir, nil)
	if err != nil {
		t.Fatalf("OpenReadOnly: %v", err)
	}
	defer ro.Close()
	recs, err := ro.Targets(t.Context())
	if err != nil || len(recs) != 1 || recs[0].Name != "prod" {
		t.Fatalf("Targets = %v, %v", recs, err)
	}
	if err := ro.SaveTargets(t.Context(), nil, Scope{}, time.Now()); err == nil {
		t.Error("a write through the read-only store succeeded")
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if recs, err := ro.Targets(t.Context()); err != nil || len(recs) != 1 {
		t.Errorf("after the writer closed: Targets = %v, %v", recs, err)
	}
}
