package store

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ccecert/api"
)

// TestStoredKeysEncrypted: SaveKeys keeps the SK only age-encrypted (no
// plaintext, base64 or hex of it in the DB or its WAL); StoredKeys gives
// it back; a profile without keys says to run configure; after the identity
// is gone, opening the store says to restore it and the keys survive it.
func TestStoredKeysEncrypted(t *testing.T) {
	s, dir := openStore(t)
	ctx := context.Background()
	const sk = "stored-Secret-Key-0123456789abcdefXYZ"
	if err := s.SaveKeys(ctx, "work", "AKSTORED0001", api.Secret(sk)); err != nil {
		t.Fatal(err)
	}
	assertSecretNowhere(t, dir, sk)
	k, err := s.StoredKeys("work").Keys(ctx)
	if err != nil || k.AK != "AKSTORED0001" || string(k.SK) != sk || k.Temporary() {
		t.Fatalf("stored keys: %v", err)
	}
	if _, err := s.StoredKeys("other").Keys(ctx); err == nil || !strings.Contains(err.Error(), "ccecert configure --profile other") {
		t.Fatalf("no keys stored: %v", err)
	}
	if err := s.SaveKeys(ctx, "work", "AKSTORED0002", api.Secret(sk+"2")); err != nil {
		t.Fatal(err)
	}
	if k, _ := s.StoredKeys("work").Keys(ctx); k.AK != "AKSTORED0002" {
		t.Fatal("configure again did not replace the keys")
	}
	_ = s.Close()
	assertSecretNowhere(t, dir, sk)

	id := filepath.Join(dir, identityFileName)
	aside := id + ".aside"
	if err := os.Rename(id, aside); err != nil {
		t.Fatal(err)
	}
	_, err = Open(ctx, dir, Options{Now: fixedNow})
	if err == nil || !strings.Contains(err.Error(), "restore it") {
		t.Fatalf("without the identity: %v", err)
	}
	if err := os.Rename(aside, id); err != nil {
		t.Fatal(err)
	}
	s2, err := Open(ctx, dir, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if k, err := s2.StoredKeys("work").Keys(ctx); err != nil || string(k.SK) != sk+"2" {
		t.Fatalf("keys lost after the identity came back: %v", err)
	}
}

// assertSecretNowhere fails when secret, its base64 or its hex appears in
// any file under dir.
func assertSecretNowhere(t *testing.T, dir, secret string) {
	t.Helper()
	needles := []string{secret, base64.StdEncoding.EncodeToString([]byte(secret)), base64.RawURLEncoding.EncodeToString([]byte(secret)),
		hex.EncodeToString([]byte(secret)), strings.ToUpper(hex.EncodeToString([]byte(secret)))}
	files := 0
	_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		data, _ := os.ReadFile(p)
		for _, n := range needles {
			if strings.Contains(string(data), n) {
				t.Errorf("%s holds the secret (%d bytes of it)", p, len(n))
			}
		}
		return nil
	})
	if files < 2 {
		t.Fatalf("only %d files scanned under %s", files, dir)
	}
}
