package store

import (
	"context"
	"database/sql"
)

// migrate0007 gives targets a project_id column (issue 18): a warm
// refresh reads the projects of the cached clusters before its first
// request, and reading them from the column costs a few ms for 1,000
// targets where SQLite's json_extract over data cost about 10. Existing
// rows get theirs from the JSON.
func migrate0007(ctx context.Context, tx *sql.Tx) error {
	for _, s := range []string{
		`ALTER TABLE targets ADD COLUMN project_id TEXT NOT NULL DEFAULT ''`,
		`UPDATE targets SET project_id = COALESCE(json_extract(data, '$.project_id'), '')`,
	} {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return nil
}
