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
// replaces exactly the targets inside it. Empty Kinds or Regions mean all;
// the profile is always one (empty: DefaultProfile).
type Scope struct {
	Profile string
	Kinds   []api.Kind
	Regions []string
}

// TargetRecord is a cached target, the profile that listed it and when.
type TargetRecord struct {
	api.Target
	Profile   string
	FetchedAt time.Time
}

// profileOr is p, or DefaultProfile when empty.
func profileOr(p string) string {
	if p == "" {
		return DefaultProfile
	}
	return p
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
		rows = append(rows, []any{profileOr(scope.Profile), t.Key(), string(t.Kind), t.Region, t.ID, t.Name, string(data), fetchedAt.UnixNano()})
	}
	del, args := scopeDelete(scope)
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, del, args...); err != nil {
			return err
		}
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO targets(profile, key, kind, region, id, name, data, fetched_at)
			VALUES(?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT(profile, key) DO UPDATE SET kind=excluded.kind, region=excluded.region, id=excluded.id,
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
	where := []string{"profile = ?"}
	args := []any{profileOr(scope.Profile)}
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
	return "DELETE FROM targets WHERE " + strings.Join(where, " AND "), args
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

// Targets is the cached inventory of every profile, ordered by profile,
// kind, region and name.
func (s *Store) Targets(ctx context.Context) ([]TargetRecord, error) {
	return s.targets(ctx, "", nil)
}

// ProfileTargets is the cached inventory of one profile (empty:
// DefaultProfile), as Targets orders it.
func (s *Store) ProfileTargets(ctx context.Context, profile string) ([]TargetRecord, error) {
	return s.targets(ctx, "WHERE profile = ?", []any{profileOr(profile)})
}

func (s *Store) targets(ctx context.Context, where string, args []any) ([]TargetRecord, error) {
	var out []TargetRecord
	err := withRetry(ctx, func() error {
		out = out[:0]
		rows, err := s.db.QueryContext(ctx, "SELECT profile, data, fetched_at FROM targets "+where+" ORDER BY profile, kind, region, name, id", args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var data, profile string
			var at int64
			if err := rows.Scan(&profile, &data, &at); err != nil {
				return err
			}
			var r TargetRecord
			if err := json.Unmarshal([]byte(data), &r.Target); err != nil {
				return fmt.Errorf("cached target does not decode: %w", err)
			}
			r.Profile, r.FetchedAt = profile, time.Unix(0, at).UTC()
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read inventory from %s: %w", s.paths.db, err)
	}
	return out, nil
}
