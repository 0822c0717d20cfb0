package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strings"
	"time"
)

// IntentRevoke is the action of a revoke intent.
const IntentRevoke = "revoke"

// Intent is an action recorded before it reached the cloud, cleared once
// its outcome is recorded: one still there after its process ended was
// interrupted, and the next run reconciles it.
type Intent struct {
	Seq        int64
	Action     string // IntentRevoke
	TargetKey  string
	Subject    string // the certificate CN a revoke names
	Credential string // the credential it was asked for
	PID        int
	CreatedAt  time.Time
}

// Orphaned reports whether the process that recorded the intent is gone,
// so nobody else will finish it.
func (i Intent) Orphaned() bool { return i.PID != os.Getpid() && !processAlive(i.PID) }

// RecordIntent stores an intent (this process's pid, the store's now) and
// returns its sequence number for ClearIntent.
func (s *Store) RecordIntent(ctx context.Context, in Intent) (int64, error) {
	var seq int64
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "INSERT INTO intents(action, target_key, subject, credential, pid, created_at) VALUES(?, ?, ?, ?, ?, ?)",
			in.Action, in.TargetKey, in.Subject, in.Credential, os.Getpid(), s.now().UnixNano())
		if err != nil {
			return err
		}
		seq, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("record the intent to %s in %s: %w; nothing was sent", in.Action, s.paths.db, err)
	}
	return seq, nil
}

// ClearIntent removes a settled intent, and any older one for the same
// action, target and subject (an interrupted attempt this one finished).
func (s *Store) ClearIntent(ctx context.Context, seq int64) error {
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM intents WHERE seq = ? OR seq IN (
			SELECT o.seq FROM intents o JOIN intents n ON n.seq = ?
			WHERE o.action = n.action AND o.target_key = n.target_key AND o.subject = n.subject AND o.seq < n.seq)`, seq, seq)
		return err
	})
	if err != nil {
		return fmt.Errorf("clear intent %d in %s: %w", seq, s.paths.db, err)
	}
	return nil
}

// Intents lists the recorded intents, oldest first.
func (s *Store) Intents(ctx context.Context) ([]Intent, error) {
	var out []Intent
	err := withRetry(ctx, func() error {
		out = out[:0]
		rows, err := s.db.QueryContext(ctx, "SELECT seq, action, target_key, subject, credential, pid, created_at FROM intents ORDER BY seq")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var in Intent
			var at int64
			if err := rows.Scan(&in.Seq, &in.Action, &in.TargetKey, &in.Subject, &in.Credential, &in.PID, &at); err != nil {
				return err
			}
			in.CreatedAt = unixTime(at)
			out = append(out, in)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read intents from %s: %w", s.paths.db, err)
	}
	return out, nil
}

// markPending sets RevokePending on the credentials a recorded revoke
// intent names (by target and subject). A store opened read-only on an
// older schema has no intents table: nothing is pending there.
func (s *Store) markPending(ctx context.Context, creds []Credential) error {
	if len(creds) == 0 {
		return nil
	}
	intents, err := s.Intents(ctx)
	if err != nil {
		if strings.Contains(err.Error(), "no such table") {
			return nil
		}
		return err
	}
	pending := map[string]bool{}
	for _, in := range intents {
		if in.Action == IntentRevoke {
			pending[in.TargetKey+"\x00"+in.Subject] = true
		}
	}
	for i, c := range creds {
		if c.Subject != "" && !c.Revoked() && pending[c.Target.Key()+"\x00"+c.Subject] {
			creds[i].RevokePending = true
		}
	}
	return nil
}
