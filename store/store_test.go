package store

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ccecert/api"
)

func TestOpenModesAndIdentityFile(t *testing.T) {
	s, dir := openStore(t)
	if s.IdentitySource() != IdentityFile || !s.IdentityCreated() {
		t.Fatalf("identity %+v", s.Identity())
	}
	if !strings.Contains(s.Identity().String(), filepath.Join(dir, identityFileName)) {
		t.Fatalf("identity string %q", s.Identity())
	}
	ctx := context.Background()
	tgt := cceTarget("prod", "cn-north-4", "c1")
	if _, err := s.AddCredential(ctx, tgt, issuedFor(t, newCA(t), tgt, t0, t0.Add(30*Day)), Meta{}); err != nil {
		t.Fatal(err)
	}
	assertPrivate(t, dir)
	_ = s.Close()

	again, err := Open(ctx, dir, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if again.IdentityCreated() || again.IdentitySource() != IdentityFile {
		t.Fatalf("second open: %+v", again.Identity())
	}
}

// assertPrivate checks dir is 0700 and every file in it 0600.
func assertPrivate(t *testing.T, dir string) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, _ := d.Info()
		want := fs.FileMode(0o600)
		if d.IsDir() {
			want = 0o700
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %04o, want %04o", p, fi.Mode().Perm(), want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestKeyEncryptedAtRestRoundTrip(t *testing.T) {
	s, dir := openStore(t)
	ctx := context.Background()
	tgt := cceTarget("prod", "cn-north-4", "c1")
	iss := issuedFor(t, newCA(t), tgt, t0, t0.Add(30*Day))
	c, err := s.AddCredential(ctx, tgt, iss, Meta{Validity: api.Days(30)})
	if err != nil {
		t.Fatal(err)
	}
	// While open (WAL and shm hold the writes) and after close.
	assertNotOnDisk(t, dir, iss.Key.Reveal())
	key, err := s.Key(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(key.Reveal(), iss.Key.Reveal()) {
		t.Fatal("decrypted key differs")
	}
	_ = s.Close()
	assertNotOnDisk(t, dir, iss.Key.Reveal())
}

// assertNotOnDisk fails when the key's PEM, its base64 body or its base64
// PEM appears in any file under dir.
func assertNotOnDisk(t *testing.T, dir string, keyPEM []byte) {
	t.Helper()
	body := strings.Join(strings.Split(string(keyPEM), "\n")[1:3], "") // inside the PEM armour
	needles := [][]byte{keyPEM, []byte(body[:40]), []byte(base64.StdEncoding.EncodeToString(keyPEM)[:40])}
	files := 0
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		data, _ := os.ReadFile(p)
		for _, n := range needles {
			if bytes.Contains(data, n) {
				t.Errorf("%s holds key material", p)
			}
		}
		return nil
	})
	if files < 2 {
		t.Fatalf("only %d files scanned under %s", files, dir)
	}
}

func TestAddCredentialValidatesFirst(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	ca := newCA(t)
	tgt := cceTarget("prod", "cn-north-4", "c1")
	good := issuedFor(t, ca, tgt, t0, t0.Add(Day))
	_, otherKey := ca.issue(t, "x", t0, t0.Add(Day))
	bad := map[string]*api.Issued{
		"nil":        nil,
		"wrong key":  {Contexts: good.Contexts, CertPEM: good.CertPEM, Key: api.Secret(otherKey)},
		"no key":     {Contexts: good.Contexts, CertPEM: good.CertPEM},
		"not a cert": {Contexts: good.Contexts, CertPEM: []byte("bm90IGEgY2VydA=="), Key: good.Key},
		"masked":     {Contexts: good.Contexts, CertPEM: []byte("LS0tLS1CRUdJTiBDR******QVRFLS0tLS0K"), Key: good.Key},
		"nothing":    {Contexts: good.Contexts},
	}
	for name, iss := range bad {
		if _, err := s.AddCredential(ctx, tgt, iss, Meta{}); err == nil {
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(err.Error(), "PRIVATE KEY") {
			t.Errorf("%s: error leaks key: %v", name, err)
		}
	}
	if all, _ := s.Credentials(ctx, Filter{All: true}); len(all) != 0 {
		t.Fatalf("bad input stored %d credentials", len(all))
	}
	c, err := s.AddCredential(ctx, tgt, good, Meta{Validity: api.Days(1), Kubeconfig: "/k", Contexts: []string{"prod-internal"}})
	if err != nil {
		t.Fatal(err)
	}
	info, _ := ParseCert(good.CertPEM)
	if c.ID != info.ID() || c.Subject != "user-c1" || c.Source != SourceFetched || c.Mode != ModeInline || !c.HasKey || c.Validity.Days != 1 {
		t.Fatalf("stored %+v", c)
	}
	again, err := s.AddCredential(ctx, tgt, good, Meta{})
	if err != nil || again.ID != c.ID {
		t.Fatalf("same certificate again: %v %v", again.ID, err)
	}
	if all, _ := s.Credentials(ctx, Filter{All: true}); len(all) != 1 {
		t.Fatalf("same certificate stored %d times", len(all))
	}
}

func TestTokenOnlyCredential(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	fleet := api.Target{Kind: api.KindFleet, ID: "f1", Name: "fleet", Region: "global", Endpoints: api.Endpoints{Internal: "https://10.0.0.9:443"}}
	iss := &api.Issued{Contexts: []api.IssuedContext{{Name: "demo", Role: api.RoleFederation, Server: "https://10.0.0.9:443"}}, Token: api.Secret("tok-123")}
	c, err := s.AddCredential(ctx, fleet, iss, Meta{})
	if err != nil {
		t.Fatal(err)
	}
	if !c.TokenOnly || c.Health(t0, DefaultThresholds()) != HealthUnknown || len(c.ID) != 8 {
		t.Fatalf("token credential %+v", c)
	}
	tok, err := s.Token(ctx, c.ID)
	if err != nil || string(tok.Reveal()) != "tok-123" {
		t.Fatalf("token: %v", err)
	}
	if _, err := s.Key(ctx, c.ID); err == nil {
		t.Fatal("Key of a token-only credential")
	}
}

func TestFindReplaceRevoke(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	ca := newCA(t)
	tgt := cceTarget("prod", "cn-north-4", "c1")
	first, _ := s.AddCredential(ctx, tgt, issuedFor(t, ca, tgt, t0, t0.Add(Day)), Meta{Contexts: []string{"prod-internal"}})
	second, _ := s.AddCredential(ctx, tgt, issuedFor(t, ca, tgt, t0, t0.Add(2*Day)), Meta{Contexts: []string{"prod-internal"}})
	if _, err := s.Find(ctx, "prod-internal"); err == nil {
		t.Fatal("two active credentials for one context: not ambiguous")
	} else {
		var amb *AmbiguousError
		if !errors.As(err, &amb) || len(amb.Candidates) != 2 {
			t.Fatalf("want AmbiguousError, got %v", err)
		}
	}
	if err := s.MarkReplaced(ctx, first.ID, second.ID); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Find(ctx, "prod-internal"); err != nil || got.ID != second.ID {
		t.Fatalf("context after replace: %v %v", got.ID, err)
	}
	if got, err := s.Find(ctx, first.ID[:5]); err != nil || got.ID != first.ID || got.Health(t0, DefaultThresholds()) != HealthReplaced {
		t.Fatalf("prefix: %+v %v", got, err)
	}
	if _, err := s.Find(ctx, "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown: %v", err)
	}
	if err := s.MarkReplaced(ctx, first.ID, "ffffffff"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("replace by unknown: %v", err)
	}
	active, _ := s.Credentials(ctx, Filter{})
	if len(active) != 1 || active[0].ID != second.ID {
		t.Fatalf("active after replace: %d", len(active))
	}
	// Revoke: every credential of that user on that cluster, kept in history.
	ids, err := s.MarkRevoked(ctx, tgt.Key(), "user-c1", t0)
	if err != nil || len(ids) != 2 {
		t.Fatalf("revoked %v %v", ids, err)
	}
	all, _ := s.Credentials(ctx, Filter{All: true})
	if len(all) != 2 || !all[0].Revoked() || !all[0].RevokedAt.Equal(t0) {
		t.Fatalf("history after revoke: %+v", all)
	}
	if active, _ := s.Credentials(ctx, Filter{}); len(active) != 0 {
		t.Fatalf("%d active after revoke", len(active))
	}
	if again, _ := s.MarkRevoked(ctx, tgt.Key(), "user-c1", t0); len(again) != 0 {
		t.Fatalf("revoked twice: %v", again)
	}
}

func TestRecordWrite(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	tgt := cceTarget("prod", "cn-north-4", "c1")
	c, _ := s.AddCredential(ctx, tgt, issuedFor(t, newCA(t), tgt, t0, t0.Add(Day)), Meta{})
	if err := s.RecordWrite(ctx, c.ID, Written{Kubeconfig: "/k", User: "ccecert-prod", Contexts: []string{"prod-internal"}, Mode: ModeExec}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Find(ctx, "prod-internal")
	if err != nil || got.Kubeconfig != "/k" || got.User != "ccecert-prod" || got.Mode != ModeExec {
		t.Fatalf("after RecordWrite: %+v %v", got, err)
	}
	if err := s.RecordWrite(ctx, "ffffffff", Written{}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown id: %v", err)
	}
}

func TestTargetsAndScope(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	a, b := cceTarget("a", "r1", "1"), cceTarget("b", "r2", "2")
	fleet := api.Target{Kind: api.KindFleet, ID: "f", Name: "f", Region: "global"}
	if err := s.SaveTargets(ctx, []api.Target{a, b, fleet}, Scope{}, t0); err != nil {
		t.Fatal(err)
	}
	// A refresh of r1's CCE clusters only: a is gone, b and the fleet stay.
	c := cceTarget("c", "r1", "3")
	if err := s.SaveTargets(ctx, []api.Target{c}, Scope{Kinds: []api.Kind{api.KindCCE}, Regions: []string{"r1"}}, t0.Add(Day)); err != nil {
		t.Fatal(err)
	}
	got, err := s.Targets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range got {
		names = append(names, r.Name)
	}
	if strings.Join(names, ",") != "c,b,f" {
		t.Fatalf("targets %v", names)
	}
	if got[0].Endpoints != c.Endpoints || !got[0].FetchedAt.Equal(t0.Add(Day)) || !got[1].Stale(t0.Add(Day), 10*time.Minute) || got[0].Stale(t0.Add(Day), 10*time.Minute) {
		t.Fatalf("records %+v", got)
	}
}

func TestEvents(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	for _, a := range []string{"fetch", "write", "revoke"} {
		if err := s.AppendEvent(ctx, Event{Action: a, Target: "cce/r/1", Result: "ok"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.AppendEvent(ctx, Event{Action: "fetch", Result: "-----BEGIN EC PRIVATE KEY-----"}); err == nil {
		t.Fatal("key material accepted in an event")
	}
	if err := s.AppendEvent(ctx, Event{}); err == nil {
		t.Fatal("empty action accepted")
	}
	ev, err := s.Events(ctx, 2)
	if err != nil || len(ev) != 2 || ev[0].Action != "revoke" || ev[1].Action != "write" || !ev[0].At.Equal(t0) {
		t.Fatalf("events %+v %v", ev, err)
	}
}

func TestCorruptDatabaseRefusedUntouched(t *testing.T) {
	dir := filepath.Join(hermetic(t), "data")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "ccecert.db")
	junk := bytes.Repeat([]byte("this is not an sqlite database. "), 200)
	if err := os.WriteFile(db, junk, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), dir, Options{Now: fixedNow})
	if err == nil || !strings.Contains(err.Error(), db) || !strings.Contains(err.Error(), "corrupt") {
		t.Fatalf("corrupt db: %v", err)
	}
	if got, _ := os.ReadFile(db); !bytes.Equal(got, junk) {
		t.Fatal("corrupt database file was modified")
	}
	if _, err := os.Stat(filepath.Join(dir, identityFileName)); err == nil {
		t.Fatal("identity created for a refused store")
	}
}

// closedStoreWithEvents is the data dir of a closed store holding 50
// events of about 500 bytes: pages to damage.
func closedStoreWithEvents(t *testing.T) string {
	t.Helper()
	s, dir := openStore(t)
	for range 50 {
		if err := s.AppendEvent(context.Background(), Event{Action: "fill", Result: strings.Repeat("x", 500)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestCorruptPagesRefused(t *testing.T) {
	dir := closedStoreWithEvents(t)
	ctx := context.Background()
	db := filepath.Join(dir, "ccecert.db")
	data, _ := os.ReadFile(db)
	for i := 4096 + 100; i < len(data) && i < 4096*4; i++ { // scribble over page 2..4, keep the header
		data[i] = 0xA5
	}
	_ = os.WriteFile(db, data, 0o600)
	_, err := Open(ctx, dir, Options{Now: fixedNow})
	if err == nil || !strings.Contains(err.Error(), db) {
		t.Fatalf("damaged pages: %v", err)
	}
	if got, _ := os.ReadFile(db); !bytes.Equal(got, data) {
		t.Fatal("damaged database was modified")
	}
}

// With CheckInBackground, Open returns before the integrity check ends,
// and the check still guards every write: on damaged pages Checked says
// what Open would have said, each write refuses with it, and the file is
// left as it was. A healthy store writes once the check has passed.
func TestBackgroundCheckGuardsEveryWrite(t *testing.T) {
	dir := closedStoreWithEvents(t)
	ctx := context.Background()
	healthy, err := Open(ctx, dir, Options{Now: fixedNow, CheckInBackground: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := healthy.AppendEvent(ctx, Event{Action: "after-check"}); err != nil {
		t.Fatalf("a healthy store's write: %v", err)
	}
	if err := healthy.Checked(ctx); err != nil {
		t.Fatalf("Checked on a healthy store: %v", err)
	}
	_ = healthy.Close()

	db := filepath.Join(dir, "ccecert.db")
	data, _ := os.ReadFile(db)
	for i := len(data) - 2*4096 + 100; i < len(data); i++ { // the last pages, the events': what Open reads stays
		data[i] = 0xA5
	}
	_ = os.WriteFile(db, data, 0o600)
	damaged, err := Open(ctx, dir, Options{Now: fixedNow, CheckInBackground: true})
	if err != nil {
		t.Fatalf("Open with the check in the background: %v", err)
	}
	defer damaged.Close()
	checked := damaged.Checked(ctx)
	if checked == nil || !strings.Contains(checked.Error(), db) || !strings.Contains(checked.Error(), "corrupt") {
		t.Fatalf("Checked = %v, want the corrupt-database error naming %s", checked, db)
	}
	if damaged.CheckFailed() == nil {
		t.Error("CheckFailed is nil after the check failed")
	}
	writes := map[string]error{
		"event":   damaged.AppendEvent(ctx, Event{Action: "write"}),
		"targets": damaged.SaveTargets(ctx, []api.Target{cceTarget("c", "cn-north-4", "c1")}, Scope{}, t0),
		"profile": damaged.SetCredentialProfile(ctx, "no-such-id", "ops"),
	}
	for name, err := range writes {
		if err == nil || !strings.Contains(err.Error(), "corrupt") {
			t.Errorf("%s write on a damaged store: %v, want the corrupt-database error", name, err)
		}
	}
	if got, _ := os.ReadFile(db); !bytes.Equal(got, data) {
		t.Fatal("damaged database was modified")
	}
}
