package store

import (
	"context"
	"database/sql"
)

// migrate0002 gives each event who did it (the IAM user id, a
// certificate's CN) and the cloud's request id, for `ccecert log`, and an
// index for reading the log by time. Events written before it have both
// empty.
func migrate0002(ctx context.Context, tx *sql.Tx) error {
	for _, s := range []string{
		`ALTER TABLE events ADD COLUMN who TEXT NOT NULL DEFAULT ''`,
		`ALTER TABLE events ADD COLUMN request_id TEXT NOT NULL DEFAULT ''`,
		`CREATE INDEX events_at ON events(at)`,
	} {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return nil
}
