package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"ccecert/api"
)

// SaveKeys stores a profile's access keys (`ccecert configure`): the AK as
// is, the SK encrypted to the store's age identity. It replaces the
// profile's earlier keys.
func (s *Store) SaveKeys(ctx context.Context, profile, ak string, sk api.Secret) error {
	ak = strings.TrimSpace(ak)
	if profile == "" || ak == "" || sk.Empty() {
		return errors.New("store keys: a profile, an AK and an SK are needed")
	}
	enc, err := s.encrypt(sk.Reveal())
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO stored_keys(profile, ak, sk_age, updated_at) VALUES(?, ?, ?, ?)
			ON CONFLICT(profile) DO UPDATE SET ak = excluded.ak, sk_age = excluded.sk_age, updated_at = excluded.updated_at`,
			profile, ak, enc, s.now().UnixNano())
		return err
	})
}

// StoredKeys is the `stored` credential source of a profile: the keys
// SaveKeys stored, decrypted when asked for.
func (s *Store) StoredKeys(profile string) api.KeySource { return storedSource{s: s, profile: profile} }

// OpenStored is StoredKeys in the form keysource.Opener.Stored takes.
func (s *Store) OpenStored(profile string) (api.KeySource, error) { return s.StoredKeys(profile), nil }

// storedSource reads a profile's stored keys.
type storedSource struct {
	s       *Store
	profile string
}

func (storedSource) Describe() string { return "stored" }

func (src storedSource) Keys(ctx context.Context) (api.Keys, error) {
	var ak string
	var enc []byte
	err := withRetry(ctx, func() error {
		return src.s.db.QueryRowContext(ctx, "SELECT ak, sk_age FROM stored_keys WHERE profile = ?", src.profile).Scan(&ak, &enc)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return api.Keys{}, fmt.Errorf("profile %q (source stored): no keys stored: run `ccecert configure --profile %s`", src.profile, src.profile)
	}
	if err != nil {
		return api.Keys{}, fmt.Errorf("profile %q (source stored): read the stored keys: %w", src.profile, err)
	}
	sk, err := src.s.decrypt(enc)
	if err != nil {
		return api.Keys{}, fmt.Errorf("profile %q (source stored): %w: restore the store's identity (%s) or run `ccecert configure --profile %s` again", src.profile, err, src.s.idInfo, src.profile)
	}
	return api.Keys{AK: ak, SK: api.Secret(sk)}, nil
}
