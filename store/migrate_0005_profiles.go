package store

import (
	"context"
	"database/sql"
)

// migrate0005 records each target, credential and event's profile (issue
// 13); rows from before profiles are the default profile's. A target is
// keyed by (profile, key): two profiles that reach the same cluster each
// keep their own listing of it.
func migrate0005(ctx context.Context, tx *sql.Tx) error {
	for _, s := range []string{
		`CREATE TABLE targets_p (
			profile    TEXT NOT NULL DEFAULT 'default',
			key        TEXT NOT NULL,         -- kind/region/id
			kind       TEXT NOT NULL,
			region     TEXT NOT NULL,
			id         TEXT NOT NULL,
			name       TEXT NOT NULL,
			data       TEXT NOT NULL,         -- api.Target as JSON
			fetched_at INTEGER NOT NULL,
			PRIMARY KEY (profile, key)
		)`,
		`INSERT INTO targets_p(profile, key, kind, region, id, name, data, fetched_at)
			SELECT 'default', key, kind, region, id, name, data, fetched_at FROM targets`,
		`DROP TABLE targets`,
		`ALTER TABLE targets_p RENAME TO targets`,
		`CREATE INDEX targets_scope ON targets(profile, kind, region)`,
		`CREATE INDEX targets_key ON targets(key)`,
		`ALTER TABLE credentials ADD COLUMN profile TEXT NOT NULL DEFAULT 'default'`,
		`ALTER TABLE events ADD COLUMN profile TEXT NOT NULL DEFAULT 'default'`,
	} {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return nil
}
