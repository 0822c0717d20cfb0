package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"filippo.io/age"
)

// Options tune Open.
type Options struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Keyring keeps the age identity in the OS keyring when one answers;
	// off, or without one, it lives in a 0600 file in the data dir.
	Keyring bool
	// Getenv reads the environment (nil = os.Getenv); on Linux the keyring
	// is only tried when it shows a D-Bus session, so ccecert never starts
	// a bus of its own on a server.
	Getenv func(string) string
	// SkipCheck skips the whole-database integrity check (PRAGMA
	// quick_check, which reads every page: tens of ms for 10,000
	// credentials) for a short-lived reader such as the exec plugin, which
	// kubectl runs on every call and which reads one row: damage in what it
	// reads still fails the read. Commands that write keep the check.
	SkipCheck bool
	// CheckInBackground runs the integrity check in the background from
	// StartCheck (or the first write) instead of before Open returns (the
	// TUI: after its first frame's read). Until it has passed every write
	// waits for it; if it fails, every write, and Checked, returns the
	// error Open would have. A database that needs migrating is checked
	// first, as ever.
	CheckInBackground bool
}

// Store is the operator's local state in one data dir: an SQLite database
// (WAL; safe with several ccecert processes at once) and the age identity
// that encrypts private keys. Its methods are safe for concurrent use.
type Store struct {
	db       *sql.DB
	paths    storePaths
	now      func() time.Time
	identity *age.X25519Identity
	idInfo   IdentityInfo
	kube     kubeWriter // batches this process's kubeconfig merges
	checks   kubeChecks // kubeconfig versions already found well formed
	writeMu  sync.Mutex // this process's database writers, one at a time
	check    *integrity // the integrity check: writes wait for it
}

type storePaths struct {
	dataDir string
	db      string
}

func (p storePaths) identityFile() string { return filepath.Join(p.dataDir, identityFileName) }

// Open opens (creating if needed) the store in dataDir: directory 0700,
// files 0600, schema migrated. A corrupt database is refused with an error
// naming the file; it is never truncated or recreated.
func Open(ctx context.Context, dataDir string, opts Options) (*Store, error) {
	if dataDir == "" {
		return nil, errors.New("open store: no data dir given")
	}
	if err := EnsureDir(dataDir); err != nil {
		return nil, err
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	s := &Store{paths: storePaths{dataDir: dataDir, db: filepath.Join(dataDir, "ccecert.db")}, now: now}
	later := !opts.SkipCheck && opts.CheckInBackground
	db, err := openDB(ctx, s.paths.db, !opts.SkipCheck && !later)
	if err != nil {
		return nil, err
	}
	s.db = db
	s.check = passedCheck()
	if later && !schemaCurrent(ctx, db) { // a migration writes: check first
		if err := checkDB(ctx, db, true); err != nil {
			_ = db.Close()
			return nil, corruptError(s.paths.db, err)
		}
		later = false
	}
	if err := migrate(ctx, db, s.paths.db); err != nil {
		_ = db.Close()
		return nil, err
	}
	if later {
		s.check = deferredCheck(db, s.paths.db)
	}
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	offReason := ""
	switch {
	case !opts.Keyring:
		offReason = "keyring off in config"
	case !keyringPlausible(getenv):
		offReason = "no OS keyring: no D-Bus session"
	}
	if err := s.loadIdentity(ctx, offReason); err != nil {
		_ = db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.check.settle() // a background check may be reading
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close database %s: %w", s.paths.db, err)
	}
	return nil
}

// Path is the database file.
func (s *Store) Path() string { return s.paths.db }

// DataDir is the store's directory.
func (s *Store) DataDir() string { return s.paths.dataDir }

// Identity says where the encryption identity lives and whether this Open
// created it (so the caller tells the operator once).
func (s *Store) Identity() IdentityInfo { return s.idInfo }

// IdentitySource is IdentityKeyring or IdentityFile.
func (s *Store) IdentitySource() string { return s.idInfo.Source }

// IdentityCreated reports whether this Open created the identity.
func (s *Store) IdentityCreated() bool { return s.idInfo.Created }

// keyringPlausible reports whether an OS keyring may answer. On Linux and
// the BSDs that needs a D-Bus session; without one, go-keyring would try to
// autolaunch a bus.
func keyringPlausible(getenv func(string) string) bool {
	switch runtime.GOOS {
	case "darwin", "windows":
		return true
	}
	if a := getenv("DBUS_SESSION_BUS_ADDRESS"); a != "" && a != "autolaunch:" {
		return true
	}
	if dir := getenv("XDG_RUNTIME_DIR"); dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "bus")); err == nil {
			return true
		}
	}
	return false
}
