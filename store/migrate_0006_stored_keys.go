package store

import (
	"context"
	"database/sql"
)

// migrate0006 adds stored_keys: the access keys `ccecert configure` saved
// for a profile, the SK age-encrypted to the store's identity (never in
// plaintext). IF NOT EXISTS: the branches that add steps 4 and 5 merge
// beside this one.
func migrate0006(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS stored_keys (
		profile    TEXT PRIMARY KEY,
		ak         TEXT NOT NULL,
		sk_age     BLOB NOT NULL,
		updated_at INTEGER NOT NULL
	)`)
	return err
}
