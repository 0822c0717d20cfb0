package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"ccecert/api"
)

// Scope is the part of the inventory one listing covered: SaveTargets
// replaces exactly the targets inside it. Empty Kinds or Regions mean all.
type Scope struct {
	Kinds   []api.Kind
	Regions []string
}

// TargetRecord is a cached target and when it was listed.
type TargetRecord struct {
	api.Target
	FetchedAt time.Time
}

// Stale reports whether the record is older than maxAge at now.
func (r TargetRecord) Stale(now time.Time, maxAge time.Duration) bool {
	return now.Sub(r.FetchedAt) > maxAge
}

// SaveTargets replaces the cached targets inside scope with targets, in one
// transaction: targets gone from the cloud disappear, others stay.
func (s *Store) SaveTargets(ctx context.Context, targets []api.Target, scope Scope, fetchedAt time.Time) error {
	rows := make([][]any, 0, len(targets))
	for _, t := range targets {
		data, err := json.Marshal(t)
		if err != nil {
			return fmt.Errorf("save target %s: %w", t.Key(), err)
		}
		rows = append(rows, []any{t.Key(), string(t.Kind), t.Region, t.ID, t.Name, string(data), fetchedAt.UnixNano()})
	}
	del, args := scopeDelete(scope)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, del, args...); err != nil {
			return err
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO targets(key, kind, region, id, name, data, fetched_at)
			VALUES(?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(key) DO UPDATE SET kind=excluded.kind, region=excluded.region, id=excluded.id,
				name=excluded.name, data=excluded.data, fetched_at=excluded.fetched_at`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, r := range rows {
			if _, err := stmt.ExecContext(ctx, r...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save inventory in %s: %w", s.paths.db, err)
	}
	return nil
}

// scopeDelete builds the DELETE for a scope.
func scopeDelete(scope Scope) (string, []any) {
	var where []string
	var args []any
	if len(scope.Kinds) > 0 {
		where = append(where, "kind IN ("+placeholders(len(scope.Kinds))+")")
		for _, k := range scope.Kinds {
			args = append(args, string(k))
		}
	}
	if len(scope.Regions) > 0 {
		where = append(where, "region IN ("+placeholders(len(scope.Regions))+")")
		for _, r := range scope.Regions {
			args = append(args, r)
		}
	}
	q := "DELETE FROM targets"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	return q, args
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

// Targets is the cached inventory, ordered by kind, region and name.
func (s *Store) Targets(ctx context.Context) ([]TargetRecord, error) {
	var out []TargetRecord
	err := withRetry(ctx, func() error {
		out = out[:0]
		rows, err := s.db.QueryContext(ctx, "SELECT data, fetched_at FROM targets ORDER BY kind, region, name, id")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var data string
			var at int64
			if err := rows.Scan(&data, &at); err != nil {
				return err
			}
			var r TargetRecord
			if err := json.Unmarshal([]byte(data), &r.Target); err != nil {
				return fmt.Errorf("cached target does not decode: %w", err)
			}
			r.FetchedAt = time.Unix(0, at).UTC()
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read inventory from %s: %w", s.paths.db, err)
	}
	return out, nil
}
