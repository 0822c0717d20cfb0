package store

import (
	"context"
	"fmt"
	"regexp"
	"time"
)

// EventRecord is one event as `ccecert log` shows it.
type EventRecord struct {
	Event // its Who falls back to the subject (CN) of the credential it names; its RequestID to the one its Result quotes
	// TargetName is the target's name where the cache or a credential
	// knows it.
	TargetName string
}

// EventQuery selects events; the zero value selects all.
type EventQuery struct {
	Since  time.Time // at or after; zero: from the first
	Target string    // a target's name, id or key
	Limit  int       // the newest Limit; 0: no limit
}

// eventLogSQL reads events oldest first with who and the target's name
// filled in from the credential (a renewal names "old -> new": the new
// one) and the cache.
const eventLogSQL = `
SELECT e.seq, e.at, e.action, e.target, e.credential, e.result, e.request_id, e.profile,
	COALESCE(NULLIF(e.who, ''), c.subject, ''),
	COALESCE(t.name, json_extract(c.target, '$.name'), '')
FROM events e
LEFT JOIN credentials c ON c.id = CASE WHEN instr(e.credential, ' -> ') > 0
	THEN substr(e.credential, instr(e.credential, ' -> ') + 4) ELSE e.credential END
LEFT JOIN targets t ON t.key = e.target AND t.profile = e.profile
WHERE e.at >= ?1 AND (?2 = '' OR e.target = ?2 OR t.name = ?2 OR t.id = ?2
	OR json_extract(c.target, '$.name') = ?2 OR json_extract(c.target, '$.id') = ?2)
ORDER BY e.seq DESC LIMIT ?3`

// requestInError is how an api error quotes the request id.
var requestInError = regexp.MustCompile(`\(request ([0-9A-Za-z._-]{1,80})\)`)

// EventLog returns the events q selects, oldest first.
func (s *Store) EventLog(ctx context.Context, q EventQuery) ([]EventRecord, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = -1
	}
	since := int64(0)
	if !q.Since.IsZero() {
		since = q.Since.UnixNano()
	}
	var out []EventRecord
	err := withRetry(ctx, func() error {
		out = out[:0]
		rows, err := s.db.QueryContext(ctx, eventLogSQL, since, q.Target, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r EventRecord
			var at int64
			if err := rows.Scan(&r.Seq, &at, &r.Action, &r.Target, &r.Credential, &r.Result, &r.RequestID, &r.Profile, &r.Who, &r.TargetName); err != nil {
				return err
			}
			r.At = time.Unix(0, at).UTC()
			if m := requestInError.FindStringSubmatch(r.Result); r.RequestID == "" && m != nil {
				r.RequestID = m[1]
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("read events from %s: %w", s.paths.db, err)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out, nil
}
