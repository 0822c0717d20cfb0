package store

import (
	"context"
	"database/sql"
)

// migrate0008 adds listings (issue 18): when each profile last listed
// each kind in each region. A refresh that finds a target unchanged
// stamps its listing, one row, instead of every target's fetched_at: the
// UPDATE rewrote every page of targets (about 170 for 1,000 targets, 1,700
// for 10,000) into the WAL, and the checkpoint wrote them all again. A
// target was fetched at the later of its row's fetched_at (when it was
// written) and its listing's. Existing rows keep their fetched_at; there is
// nothing to fill in.
func migrate0008(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `CREATE TABLE listings (
		profile TEXT NOT NULL,
		kind TEXT NOT NULL,
		region TEXT NOT NULL,
		fetched_at INTEGER NOT NULL,
		PRIMARY KEY (profile, kind, region)
	) WITHOUT ROWID`)
	return err
}
