package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dbBusyTimeoutMS is how long SQLite itself waits for another writer before
// a statement reports SQLITE_BUSY; withRetry waits longer on top.
const dbBusyTimeoutMS = 5000

// openDB opens (creating with mode 0600) the SQLite database at path in WAL
// mode. A file that is not a healthy SQLite database is refused, untouched:
// with check, every page is checked; without, only that it is SQLite.
func openDB(ctx context.Context, path string, check bool) (*sql.DB, error) {
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("database path %s holds '?' or '#'; choose a data dir without them", path)
	}
	created, err := createPrivate(path)
	if err != nil {
		return nil, err
	}
	if !created {
		if err := checkOurs(path); err != nil {
			return nil, err
		}
	}
	dsn := path + "?_pragma=busy_timeout(" + fmt.Sprint(dbBusyTimeoutMS) + ")" +
		"&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db.SetMaxIdleConns(2)
	if err := checkDB(ctx, db, check); err != nil {
		_ = db.Close()
		return nil, corruptError(path, err)
	}
	return db, nil
}

// checkOurs refuses, before SQLite opens it (which would switch it to WAL
// mode), an existing SQLite file that is not ccecert's: one with no schema
// version (header offset 60) and yet a schema (a non-zero schema cookie,
// offset 40) is another program's, which migrating would change. Files
// that are not SQLite at all are left to checkDB.
func checkOurs(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("check database %s: %w", path, err)
	}
	defer f.Close()
	var h [100]byte
	if _, err := io.ReadFull(f, h[:]); err != nil || !bytes.HasPrefix(h[:], []byte("SQLite format 3\x00")) {
		return nil
	}
	cookie, version := binary.BigEndian.Uint32(h[40:]), binary.BigEndian.Uint32(h[60:])
	if version == 0 && cookie != 0 {
		return fmt.Errorf("database %s is an SQLite file of another program (it has tables but no ccecert schema); ccecert leaves it untouched: move it aside to start afresh, or point XDG_DATA_HOME elsewhere", path)
	}
	return nil
}

// createPrivate creates an empty 0600 file at path unless one exists, so
// SQLite never creates it with the umask's mode, and says whether it did.
// An existing file is never truncated, and an existing empty one is
// refused: SQLite would quietly start a new database in it, and every
// credential an exec-mode kubeconfig names would be "not found".
func createPrivate(path string) (bool, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err == nil {
		return true, f.Close()
	}
	if !errors.Is(err, os.ErrExist) {
		return false, fmt.Errorf("create database %s: %w", path, err)
	}
	fi, err := settledDB(path)
	if err != nil {
		return false, fmt.Errorf("check database %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return false, fmt.Errorf("database %s is not a regular file; move it aside", path)
	}
	if fi.Size() == 0 {
		return false, fmt.Errorf("database %s is empty (0 bytes), so it is not a ccecert database; ccecert will not start a new one over it: restore it from a backup, or, if you mean to start afresh (every stored credential is lost), remove it and run again", path)
	}
	return false, nil
}

// freshDBWait is how long an empty database file is taken to be one that
// another ccecert process has just created and is about to initialise.
const freshDBWait = 5 * time.Second

// settledDB stats path, waiting while it is an empty file younger than
// freshDBWait: two first runs at once create it in one and initialise it
// a moment later.
func settledDB(path string) (os.FileInfo, error) {
	for {
		fi, err := os.Stat(path)
		if err != nil || fi.Size() > 0 || !fi.Mode().IsRegular() || time.Since(fi.ModTime()) > freshDBWait {
			return fi, err
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// checkDB runs SQLite's quick integrity check (full), or only reads the
// schema, which refuses a file that is not a SQLite database.
func checkDB(ctx context.Context, db *sql.DB, full bool) error {
	query := "PRAGMA quick_check"
	if !full {
		query = "SELECT 'ok' FROM sqlite_schema LIMIT 1" // reads the header and schema page
	}
	return withRetry(ctx, func() error {
		rows, err := db.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		var problems []string
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				return err
			}
			if s != "ok" {
				problems = append(problems, s)
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(problems) > 0 {
			return errors.New(strings.Join(problems, "; "))
		}
		return nil
	})
}

// corruptError explains a database that cannot be used.
func corruptError(path string, err error) error {
	if isBusy(err) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("open database %s: %w", path, err)
	}
	return fmt.Errorf("database %s is corrupt or not a ccecert database (%w); ccecert leaves it untouched: move it aside to start afresh, or restore it from a backup", path, err)
}

// isBusy reports SQLite's "database is locked" family (BUSY, LOCKED and
// their extended codes).
func isBusy(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return true
		}
	}
	return false
}

// retryBudget is how long withRetry keeps trying a busy database.
const retryBudget = 60 * time.Second

// withRetry runs fn again while SQLite reports the database busy (another
// ccecert holds the write lock), with jittered backoff, so "database is
// locked" never reaches a user unless the other writer holds on for a minute.
func withRetry(ctx context.Context, fn func() error) error {
	deadline := time.Now().Add(retryBudget)
	backoff := 5 * time.Millisecond
	for {
		err := fn()
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			if isBusy(err) {
				return fmt.Errorf("%w; another ccecert process has held the database for over a minute: let it finish and run again", err)
			}
			return err
		}
		sleep := backoff/2 + rand.N(backoff/2+1)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(sleep):
		}
		if backoff < 200*time.Millisecond {
			backoff *= 2
		}
	}
}

// inTx runs fn in one short BEGIN IMMEDIATE transaction, retried while
// busy. This process's writers queue on s.writeMu first: left to SQLite,
// they would wait in its busy handler, which sleeps up to 100 ms a time,
// so a bulk renew's concurrent writes would spend most of their time asleep.
func (s *Store) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	unlock, err := s.lockWrites(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	return withRetry(ctx, func() error {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			_ = tx.Rollback()
			return err
		}
		return tx.Commit()
	})
}
