package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestNamedConfigMissingIsAnError: --config naming a file that is not
// there is an error saying so; the default path may be absent.
func TestNamedConfigMissingIsAnError(t *testing.T) {
	dir := hermetic(t)
	missing := filepath.Join(dir, "typo", "ccecert.yml")
	if _, _, err := LoadNamedConfig(missing); err == nil || !strings.Contains(err.Error(), missing) || !strings.Contains(err.Error(), "--config") {
		t.Fatalf("named, missing: %v", err)
	}
	if _, _, err := LoadConfig(missing); err != nil {
		t.Fatalf("default path, missing: %v", err)
	}
	present := filepath.Join(dir, "c.yaml")
	_ = os.WriteFile(present, []byte("mode: exec\n"), 0o600)
	c, _, err := LoadNamedConfig(present)
	if err != nil || c.Mode != ModeExec {
		t.Fatalf("named, present: %+v, %v", c.Mode, err)
	}
}

// TestEmptyOrForeignDatabaseRefused: a 0-byte ccecert.db (truncated by
// hand or a full disk) and another program's SQLite file are refused by
// name with the fix, never initialised over.
func TestEmptyOrForeignDatabaseRefused(t *testing.T) {
	dir := filepath.Join(hermetic(t), "data")
	_ = os.MkdirAll(dir, 0o700)
	db := filepath.Join(dir, "ccecert.db")
	must0 := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must0(os.WriteFile(db, nil, 0o600))
	backdate(t, db) // an empty file written just now reads as one being created
	_, err := Open(context.Background(), dir, Options{Now: fixedNow})
	if err == nil || !strings.Contains(err.Error(), db) || !strings.Contains(err.Error(), "empty") || !strings.Contains(err.Error(), "remove it") {
		t.Fatalf("empty db: %v", err)
	}
	if fi, _ := os.Stat(db); fi.Size() != 0 {
		t.Fatal("the empty database was initialised over")
	}
	if _, err := os.Stat(filepath.Join(dir, identityFileName)); err == nil {
		t.Fatal("identity created for a refused store")
	}

	must0(os.Remove(db))
	foreign, err := sql.Open("sqlite", db)
	must0(err)
	_, err = foreign.Exec("CREATE TABLE songs(title TEXT); INSERT INTO songs VALUES('x')")
	must0(err)
	_ = foreign.Close()
	before, _ := os.ReadFile(db)
	_, err = Open(context.Background(), dir, Options{Now: fixedNow})
	if err == nil || !strings.Contains(err.Error(), db) || !strings.Contains(err.Error(), "another program") {
		t.Fatalf("foreign db: %v", err)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
		t.Fatal("another program's database was changed")
	}
}

// backdate makes a file older than freshDBWait.
func backdate(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	past := fi.ModTime().Add(-2 * freshDBWait)
	if err := os.Chtimes(path, past, past); err != nil {
		t.Fatal(err)
	}
}

// TestBadRowReportedBesideTheGoodOnes: a credential row whose JSON does
// not decode, and one with a value of the wrong type, are listed with
// their id and Damage, beside the sound ones, which keep working.
func TestBadRowReportedBesideTheGoodOnes(t *testing.T) {
	s, dir := openStore(t)
	ctx := context.Background()
	ca := newCA(t)
	var ids []string
	for _, id := range []string{"g1", "g2", "g3", "g4"} {
		tgt := cceTarget("svc-"+id, "la-south-2", id)
		c, err := s.AddCredential(ctx, tgt, issuedFor(t, ca, tgt, t0, t0.Add(30*Day)), Meta{})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	raw, err := sql.Open("sqlite", filepath.Join(dir, "ccecert.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("UPDATE credentials SET clusters = '[{broken' WHERE id = ?", ids[1]); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("UPDATE credentials SET not_after = 'soon' WHERE id = ?", ids[2]); err != nil {
		t.Fatal(err)
	}
	list, err := s.Credentials(ctx, Filter{All: true})
	if err != nil {
		t.Fatalf("one bad row fails the listing: %v", err)
	}
	byID := map[string]Credential{}
	for _, c := range list {
		byID[c.ID] = c
	}
	if len(byID) != 4 {
		t.Fatalf("listed %d credentials, want 4 (the two bad ones too)", len(byID))
	}
	for i, id := range ids {
		c := byID[id]
		bad := i == 1 || i == 2
		if (c.Damage != "") != bad {
			t.Errorf("%s: damage %q, bad %v", id, c.Damage, bad)
		}
		if bad && (c.Health(t0, DefaultThresholds()) != HealthUnknown || c.Active() || !strings.Contains(c.Attention(), id)) {
			t.Errorf("%s: a damaged row reads as usable: %v, active %v, %q", id, c.Health(t0, DefaultThresholds()), c.Active(), c.Attention())
		}
		if !bad && c.Health(t0, DefaultThresholds()) != HealthOK {
			t.Errorf("%s: a sound row is %v", id, c.Health(t0, DefaultThresholds()))
		}
	}
	var de *DamagedError
	if _, err := s.Find(ctx, ids[1]); !errors.As(err, &de) || de.ID != ids[1] {
		t.Errorf("Find of the damaged row: %v", err)
	}
	if _, err := s.Find(ctx, ids[3]); err != nil {
		t.Errorf("Find of a sound row: %v", err)
	}
}

// TestIdentityFileModeTightened: an identity file opened up to 0644 (or
// 0640) by hand is set back to 0600, with a notice saying so, once.
func TestIdentityFileModeTightened(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no permission bits to tighten on Windows")
	}
	for _, mode := range []os.FileMode{0o644, 0o640} {
		s, dir := openStore(t)
		_ = s.Close()
		file := filepath.Join(dir, identityFileName)
		_ = os.Chmod(file, mode)
		again, err := Open(context.Background(), dir, Options{Now: fixedNow})
		if err != nil {
			t.Fatal(err)
		}
		n := again.Identity().Notice
		_ = again.Close()
		if fi, _ := os.Stat(file); fi.Mode().Perm() != 0o600 {
			t.Errorf("identity file left mode %04o", fi.Mode().Perm())
		}
		if !strings.Contains(n, file) || !strings.Contains(n, "0600") || !strings.Contains(n, fmt.Sprintf("mode %04o", mode)) {
			t.Errorf("notice %q does not say what was done to %s", n, file)
		}
		third, err := Open(context.Background(), dir, Options{Now: fixedNow})
		if err != nil {
			t.Fatal(err)
		}
		if third.Identity().Notice != "" {
			t.Errorf("notice repeated: %q", third.Identity().Notice)
		}
		_ = third.Close()
	}
}
