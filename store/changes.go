package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// Changes tells a long-lived reader (the TUI) that another connection, in
// this process or another (a CLI get, a cron renew, the exec plugin's
// auto-renewal), committed to the database since it last asked. It holds
// one connection of its own and asks SQLite's PRAGMA data_version
// (https://www.sqlite.org/pragma.html#pragma_data_version: "will be
// different if changes were committed to the database by any other
// connection in the interim"), which reads no table: a few microseconds.
type Changes struct {
	mu      sync.Mutex
	conn    *sql.Conn
	version int64
	started bool
}

// Changes opens a change watcher on its own connection; Close it.
func (s *Store) Changes(ctx context.Context) (*Changes, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("watch database %s for changes: %w", s.paths.db, err)
	}
	c := &Changes{conn: conn}
	if _, err := c.Changed(ctx); err != nil {
		_ = conn.Close()
		return nil, err
	}
	return c, nil
}

// Changed reports whether another connection committed since the last
// call (the first call, from Store.Changes, sets the baseline).
func (c *Changes) Changed(ctx context.Context) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var v int64
	if err := c.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
		return false, fmt.Errorf("check the database for changes: %w", err)
	}
	changed := c.started && v != c.version
	c.version, c.started = v, true
	return changed, nil
}

// Close gives the connection back.
func (c *Changes) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conn.Close()
}
