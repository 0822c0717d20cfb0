package store

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"ccecert/api"
)

// A database from before profiles (schema 3) keeps its rows, each now the
// default profile's, with its project id in the column of migration 7.
func TestMigrate0005KeepsRowsAsDefault(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(hermetic(t), "data")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "ccecert.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range migrations() {
		if m.version <= 3 {
			if err := m.up(ctx, tx); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, s := range []string{
		`INSERT INTO targets(key, kind, region, id, name, data, fetched_at) VALUES('cce/cn-north-4/c1', 'cce', 'cn-north-4', 'c1', 'prod', '{"kind":"cce","id":"c1","name":"prod","region":"cn-north-4","project_id":"p1"}', 1)`,
		`INSERT INTO events(at, action, target) VALUES(1, 'list', '')`,
		`PRAGMA user_version = 3`,
	} {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}

	s, err := Open(ctx, dir, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// Migration 7 took the project id out of the JSON into its column.
	if g, err := s.ProfileTargetGroups(ctx, ""); err != nil || len(g) != 1 || g[0].ProjectID != "p1" {
		t.Fatalf("groups after migration 7: %+v %v", g, err)
	}
	recs, err := s.ProfileTargets(ctx, DefaultProfile)
	if err != nil || len(recs) != 1 || recs[0].Name != "prod" || recs[0].Profile != DefaultProfile {
		t.Fatalf("targets after the migration: %+v %v", recs, err)
	}
	evs, err := s.Events(ctx, 0)
	if err != nil || len(evs) != 1 || evs[0].Profile != DefaultProfile {
		t.Fatalf("events after the migration: %+v %v", evs, err)
	}
}

// Two profiles that reach the same cluster each keep their listing; a
// listing of one never drops the other's targets.
func TestSaveTargetsPerProfile(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	shared, own := cceTarget("prod", "cn-north-4", "c1"), cceTarget("web", "cn-north-4", "c2")
	if err := s.SaveTargets(ctx, []api.Target{shared, own}, Scope{Profile: "cn"}, fixedNow()); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveTargets(ctx, []api.Target{shared}, Scope{Profile: "ops"}, fixedNow()); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveTargets(ctx, nil, Scope{Profile: "ops", Regions: []string{"cn-north-4"}}, fixedNow()); err != nil {
		t.Fatal(err)
	}
	cn, _ := s.ProfileTargets(ctx, "cn")
	ops, _ := s.ProfileTargets(ctx, "ops")
	all, _ := s.Targets(ctx)
	if len(cn) != 2 || len(ops) != 0 || len(all) != 2 || all[0].Profile != "cn" {
		t.Fatalf("cn %d, ops %d, all %+v", len(cn), len(ops), all)
	}
	if _, found, err := s.Target(ctx, shared.Key()); !found || err != nil {
		t.Fatalf("Target(%s): %v %v", shared.Key(), found, err)
	}
}
