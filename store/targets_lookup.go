package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Target is the cached target with key (api.Target.Key), and whether there
// is one (listed by several profiles: the latest listing): one row read, where Targets reads the whole inventory (a renewal
// of 100 credentials with 1,000 clusters cached would decode 100,000).
func (s *Store) Target(ctx context.Context, key string) (TargetRecord, bool, error) {
	var r TargetRecord
	found := false
	err := withRetry(ctx, func() error {
		var data string
		var at int64
		err := s.db.QueryRowContext(ctx, "SELECT profile, data, seen_at FROM "+targetsFetched+" WHERE key = ? ORDER BY seen_at DESC LIMIT 1", key).Scan(&r.Profile, &data, &at)
		if errors.Is(err, sql.ErrNoRows) {
			found = false
			return nil
		}
		if err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(data), &r.Target); err != nil {
			return fmt.Errorf("cached target does not decode: %w", err)
		}
		r.FetchedAt = time.Unix(0, at).UTC()
		found = true
		return nil
	})
	if err != nil {
		return TargetRecord{}, false, fmt.Errorf("read target %s from %s: %w", key, s.paths.db, err)
	}
	return r, found, nil
}
