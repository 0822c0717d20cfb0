package store

import (
	"context"
	"database/sql"
)

// migrate0003 adds intents: an action recorded before it reaches the
// cloud (a revoke), so a run killed halfway is reconciled by the next.
func migrate0003(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `CREATE TABLE intents (
		seq        INTEGER PRIMARY KEY AUTOINCREMENT,
		action     TEXT NOT NULL,
		target_key TEXT NOT NULL,
		subject    TEXT NOT NULL DEFAULT '',
		credential TEXT NOT NULL DEFAULT '',
		pid        INTEGER NOT NULL,
		created_at INTEGER NOT NULL
	)`)
	return err
}
