package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migration is one versioned schema step; each lives in its own
// migrate_NNNN_*.go file.
type migration struct {
	version int
	name    string
	up      func(ctx context.Context, tx *sql.Tx) error
}

// migrations lists every step in order. Append; never edit a released one.
func migrations() []migration {
	return []migration{
		{1, "initial schema", migrate0001},
		{2, "events: who and request id", migrate0002},
		{3, "intents", migrate0003},
		{4, "certificate facts in their columns", migrate0004},
		{5, "profiles", migrate0005},
		{6, "stored access keys", migrate0006},
		{7, "target project ids", migrate0007},
		{8, "listings", migrate0008},
	}
}

// schemaCurrent reports whether db's schema is the latest (false when it
// cannot tell).
func schemaCurrent(ctx context.Context, db *sql.DB) bool {
	steps := migrations()
	var current int
	err := withRetry(ctx, func() error { return db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current) })
	return err == nil && current == steps[len(steps)-1].version
}

// migrate brings the database to the latest schema in one immediate
// transaction, so two processes starting at once apply each step once.
// The version is SQLite's user_version.
func migrate(ctx context.Context, db *sql.DB, path string) error {
	steps := migrations()
	latest := steps[len(steps)-1].version
	if schemaCurrent(ctx, db) {
		return nil // up to date: no write lock needed
	}
	return withRetry(ctx, func() error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer func() { _ = tx.Rollback() }()
		var version int
		if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
			return err
		}
		if version > latest {
			return fmt.Errorf("database %s has schema version %d, newer than this ccecert knows (%d): upgrade ccecert", path, version, latest)
		}
		for _, m := range steps {
			if m.version <= version {
				continue
			}
			if err := m.up(ctx, tx); err != nil {
				return fmt.Errorf("migrate database %s to version %d (%s): %w", path, m.version, m.name, err)
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
				return err
			}
		}
		return tx.Commit()
	})
}
