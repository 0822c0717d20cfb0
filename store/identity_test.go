package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

func TestIdentityInKeyring(t *testing.T) {
	keyring.MockInit()
	dir := filepath.Join(hermetic(t), "data")
	ctx := context.Background()
	bus := func(k string) string {
		return map[string]string{"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/bus"}[k]
	}
	s, err := Open(ctx, dir, Options{Now: fixedNow, Keyring: true, Getenv: bus})
	if err != nil {
		t.Fatal(err)
	}
	if s.IdentitySource() != IdentityKeyring || !s.IdentityCreated() {
		t.Fatalf("identity %+v", s.Identity())
	}
	tgt := cceTarget("prod", "r", "c1")
	iss := issuedFor(t, newCA(t), tgt, t0, t0.Add(Day))
	c, _ := s.AddCredential(ctx, tgt, iss, Meta{})
	_ = s.Close()
	if _, err := os.Stat(filepath.Join(dir, identityFileName)); err == nil {
		t.Fatal("identity file written although the keyring took it")
	}
	s, err = Open(ctx, dir, Options{Now: fixedNow, Keyring: true, Getenv: bus})
	if err != nil {
		t.Fatal(err)
	}
	if k, err := s.Key(ctx, c.ID); err != nil || !bytes.Equal(k.Reveal(), iss.Key.Reveal()) {
		t.Fatalf("key after reopen: %v", err)
	}
	_ = s.Close()
	// The keyring forgot it: refuse rather than start a new identity.
	keyring.MockInit()
	if _, err := Open(ctx, dir, Options{Now: fixedNow, Keyring: true, Getenv: bus}); err == nil || !strings.Contains(err.Error(), "keyring") {
		t.Fatalf("lost identity: %v", err)
	}
	// Without the keyring option the same store cannot find it either.
	if _, err := Open(ctx, dir, Options{Now: fixedNow}); err == nil {
		t.Fatal("opened without its identity")
	}
}

func TestIdentityFallsBackWhenNoKeyring(t *testing.T) {
	keyring.MockInitWithError(errors.New("org.freedesktop.secrets was not provided by any .service files"))
	defer keyring.MockInit()
	dir := filepath.Join(hermetic(t), "data")
	bus := func(k string) string {
		return map[string]string{"DBUS_SESSION_BUS_ADDRESS": "unix:path=/nonexistent/bus"}[k]
	}
	s, err := Open(context.Background(), dir, Options{Now: fixedNow, Keyring: true, Getenv: bus})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	info := s.Identity()
	if info.Source != IdentityFile || !info.Created || info.Reason != "no OS keyring available" {
		t.Fatalf("identity %+v", info)
	}
	fi, err := os.Stat(filepath.Join(dir, identityFileName))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("identity file: %v", err)
	}
}

func TestIdentityMismatchRefused(t *testing.T) {
	s, dir := openStore(t)
	_ = s.Close()
	other := filepath.Join(t.TempDir(), "other")
	s2, err := Open(context.Background(), other, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	_ = s2.Close()
	foreign, _ := os.ReadFile(filepath.Join(other, identityFileName))
	_ = os.WriteFile(filepath.Join(dir, identityFileName), foreign, 0o600)
	if _, err := Open(context.Background(), dir, Options{Now: fixedNow}); err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Fatalf("foreign identity: %v", err)
	}
}

func TestNoDBusSessionMeansNoKeyring(t *testing.T) {
	// A keyring that would answer, but no session bus in the environment:
	// the keyring is not even asked (go-keyring would autolaunch a bus).
	keyring.MockInit()
	dir := filepath.Join(hermetic(t), "data")
	s, err := Open(context.Background(), dir, Options{Now: fixedNow, Keyring: true, Getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if runtime.GOOS == "linux" && (s.IdentitySource() != IdentityFile || !strings.Contains(s.Identity().Reason, "D-Bus")) {
		t.Fatalf("identity %+v", s.Identity())
	}
	if _, err := keyring.Get(AppName, keyringUser); runtime.GOOS == "linux" && !errors.Is(err, keyring.ErrNotFound) {
		t.Fatalf("keyring was written: %v", err)
	}
}
