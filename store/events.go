package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Event is one line of the append-only log: what was done to which target
// or credential, when, and how it went. Never a secret.
type Event struct {
	Seq        int64 // assigned by the store
	At         time.Time
	Action     string // fetch, renew, revoke, import, scan, export, write…
	Target     string // target key or name
	Credential string // credential id, if any
	Result     string // "ok" or the error text
	Who        string // the IAM user id the certificates were issued to (their CN), if known
	RequestID  string // the cloud's request id of the call, if any
	Profile    string // the profile it was done under (empty: DefaultProfile)
}

// AppendEvent adds e to the log; a zero At is the store's now. Text that
// looks like key material is refused.
func (s *Store) AppendEvent(ctx context.Context, e Event) error {
	if strings.TrimSpace(e.Action) == "" {
		return errors.New("append event: action is empty")
	}
	for _, f := range []string{e.Action, e.Target, e.Credential, e.Result, e.Who, e.RequestID} {
		if strings.Contains(f, "-----BEGIN") || strings.Contains(f, "PRIVATE KEY") {
			return errors.New("append event: refusing text that looks like key material")
		}
	}
	if e.At.IsZero() {
		e.At = s.now()
	}
	unlock, err := s.lockWrites(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	err = withRetry(ctx, func() error {
		_, err := s.db.ExecContext(ctx, "INSERT INTO events(at, action, target, credential, result, who, request_id, profile) VALUES(?, ?, ?, ?, ?, ?, ?, ?)",
			e.At.UnixNano(), e.Action, e.Target, e.Credential, e.Result, e.Who, e.RequestID, profileOr(e.Profile))
		return err
	})
	if err != nil {
		return fmt.Errorf("append event to %s: %w", s.paths.db, err)
	}
	return nil
}

// Events returns the newest limit events, newest first (limit ≤ 0: all).
func (s *Store) Events(ctx context.Context, limit int) ([]Event, error) {
	if limit <= 0 {
		limit = -1
	}
	var out []Event
	err := withRetry(ctx, func() error {
		out = out[:0]
		rows, err := s.db.QueryContext(ctx, "SELECT seq, at, action, target, credential, result, profile FROM events ORDER BY seq DESC LIMIT ?", limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e Event
			var at int64
			if err := rows.Scan(&e.Seq, &at, &e.Action, &e.Target, &e.Credential, &e.Result, &e.Profile); err != nil {
				return err
			}
			e.At = time.Unix(0, at).UTC()
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read events from %s: %w", s.paths.db, err)
	}
	return out, nil
}
