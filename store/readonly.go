package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// ErrNoStore is OpenReadOnly's answer for a data dir without a database.
var ErrNoStore = errors.New("no ccecert database yet")

// OpenReadOnly opens the existing store in dataDir for reading the cache:
// targets, credentials' metadata and events. It is for shell completion,
// which must be fast and leave no trace: it creates no file or directory,
// migrates nothing, runs no integrity check and loads no identity, so keys
// and tokens cannot be read through it, and every write fails.
func OpenReadOnly(ctx context.Context, dataDir string, now func() time.Time) (*Store, error) {
	path := filepath.Join(dataDir, "ccecert.db")
	if strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("database path %s holds '?' or '#'; choose a data dir without them", path)
	}
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, ErrNoStore
	}
	if err != nil {
		return nil, fmt.Errorf("check database %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("database %s is not a regular file; move it aside", path)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(1000)")
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := checkDB(ctx, db, false); err != nil {
		_ = db.Close()
		return nil, corruptError(path, err)
	}
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, paths: storePaths{dataDir: dataDir, db: path}, now: now, check: passedCheck()}, nil
}
