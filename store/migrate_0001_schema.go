package store

import (
	"context"
	"database/sql"
)

// migrate0001 creates the first schema: the inventory cache, credentials,
// the events log and a small key/value meta table. Times are Unix
// nanoseconds (UTC).
func migrate0001(ctx context.Context, tx *sql.Tx) error {
	stmts := []string{
		`CREATE TABLE meta (
			key   TEXT PRIMARY KEY,
			value TEXT NOT NULL
		)`,
		`CREATE TABLE targets (
			key        TEXT PRIMARY KEY,      -- kind/region/id
			kind       TEXT NOT NULL,
			region     TEXT NOT NULL,
			id         TEXT NOT NULL,
			name       TEXT NOT NULL,
			data       TEXT NOT NULL,         -- api.Target as JSON
			fetched_at INTEGER NOT NULL
		)`,
		`CREATE INDEX targets_scope ON targets(kind, region)`,
		`CREATE TABLE credentials (
			id          TEXT PRIMARY KEY,
			target_key  TEXT NOT NULL,
			target      TEXT NOT NULL,        -- api.Target snapshot as JSON
			contexts    TEXT NOT NULL,        -- JSON []string
			clusters    TEXT NOT NULL,        -- JSON []ClusterRef
			user_entry  TEXT NOT NULL DEFAULT '',
			subject     TEXT NOT NULL DEFAULT '',
			serial      TEXT NOT NULL DEFAULT '',
			fingerprint TEXT NOT NULL DEFAULT '',
			issuer      TEXT NOT NULL DEFAULT '',
			not_before  INTEGER NOT NULL DEFAULT 0,
			not_after   INTEGER NOT NULL DEFAULT 0,
			validity    TEXT NOT NULL,        -- JSON api.Validity as requested
			legacy      INTEGER NOT NULL DEFAULT 0,
			source      TEXT NOT NULL,
			kubeconfig  TEXT NOT NULL DEFAULT '',
			mode        TEXT NOT NULL DEFAULT '',
			created_at  INTEGER NOT NULL,
			revoked_at  INTEGER NOT NULL DEFAULT 0,
			replaced_by TEXT NOT NULL DEFAULT '',
			cert_pem    BLOB,
			token_only  INTEGER NOT NULL DEFAULT 0,
			secret_enc  BLOB                  -- age-encrypted key (or token); NULL when none is kept
		)`,
		`CREATE INDEX credentials_target ON credentials(target_key, subject)`,
		`CREATE TABLE events (
			seq        INTEGER PRIMARY KEY AUTOINCREMENT,
			at         INTEGER NOT NULL,
			action     TEXT NOT NULL,
			target     TEXT NOT NULL DEFAULT '',
			credential TEXT NOT NULL DEFAULT '',
			result     TEXT NOT NULL DEFAULT ''
		)`,
	}
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return nil
}
