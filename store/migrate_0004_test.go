package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"ccecert/api"
)

// TestMigrate0004FillsCertFacts: a database whose rows lack
// their certificate facts (or hold wrong ones) gets them from the stored
// X.509 in migration 4; a row whose certificate does not parse stays as it
// was, and the database still opens.
func TestMigrate0004FillsCertFacts(t *testing.T) {
	s, dir := openStore(t)
	ctx := context.Background()
	ca := newCA(t)
	tgt := cceTarget("prod", "cn-north-4", "c1")
	var ids []string
	for range 3 {
		iss := issuedFor(t, ca, tgt, t0.Add(-Day), t0.Add(30*Day))
		c, err := s.AddCredential(ctx, tgt, iss, Meta{Validity: api.Days(30), Kubeconfig: "/k/config"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	want, err := s.Find(ctx, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	db, err := sql.Open("sqlite", filepath.Join(dir, "ccecert.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`UPDATE credentials SET subject='', serial='', fingerprint='', issuer='', not_before=0, not_after=0 WHERE id='` + ids[0] + `'`,
		`UPDATE credentials SET not_after=not_after+86400000000000 WHERE id='` + ids[1] + `'`,
		`UPDATE credentials SET cert_pem=x'3082', subject='kept', not_after=7 WHERE id='` + ids[2] + `'`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	// The later migrations' columns are already here, so migration 4 runs
	// by itself, as Open runs it on a version-3 database.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrate0004(ctx, tx); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s, err = Open(ctx, dir, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	list, err := s.Credentials(ctx, Filter{Brief: true})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Credential{}
	for _, c := range list {
		got[c.ID] = c
	}
	for _, id := range ids[:2] {
		c := got[id]
		if c.Subject != want.Subject || c.Issuer != want.Issuer || !c.NotBefore.Equal(want.NotBefore) || !c.NotAfter.Equal(want.NotAfter) ||
			c.Serial == "" || c.Fingerprint == "" || c.Fingerprint[:8] != id[:8] {
			t.Errorf("%s after migration: %q %q %q %q %v %v, want the X.509's (%q, %v)", id, c.Subject, c.Serial, c.Fingerprint, c.Issuer,
				c.NotBefore, c.NotAfter, want.Subject, want.NotAfter)
		}
	}
	if c := got[ids[2]]; c.Subject != "kept" || c.NotAfter != unixTime(7) {
		t.Errorf("unparseable row changed: %q %v", c.Subject, c.NotAfter)
	}
	steps := migrations()
	var version int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil || version != steps[len(steps)-1].version {
		t.Errorf("version %d, %v", version, err)
	}
}
