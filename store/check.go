package store

import (
	"context"
	"database/sql"
	"sync"
)

// The integrity check (PRAGMA quick_check) reads every page: about 25 ms
// for 10,000 credentials. Open runs it before it returns, unless
// Options.SkipCheck, or Options.CheckInBackground, which runs it in the
// background from StartCheck (the TUI calls it a second after its first
// frame, so the two do not share the CPU), or from the first write or
// Checked, which wait for its verdict.

// integrity is the state of the store's integrity check.
type integrity struct {
	once sync.Once     // starts the check, or (Close) settles it unrun
	run  func()        // the check (nil in passedCheck, whose once is spent)
	done chan struct{} // closed once the check has ended (or never ran)
	err  error         // set before done closes: the check failed
}

// passedCheck is an integrity with nothing to wait for: the check passed
// in Open, or was skipped.
func passedCheck() *integrity {
	in := &integrity{done: make(chan struct{})}
	in.once.Do(func() { close(in.done) })
	return in
}

// deferredCheck is the check of db (at path), to be started.
func deferredCheck(db *sql.DB, path string) *integrity {
	in := &integrity{done: make(chan struct{})}
	in.run = func() {
		defer close(in.done)
		if err := checkDB(context.Background(), db, true); err != nil {
			in.err = corruptError(path, err)
		}
	}
	return in
}

// begin starts the check unless it has started (or settled).
func (in *integrity) begin() { in.once.Do(func() { go in.run() }) }

// settle ends the check's life: it waits for a check that started, and
// marks one that never did as done, unrun.
func (in *integrity) settle() {
	in.once.Do(func() { close(in.done) })
	<-in.done
}

// StartCheck starts a deferred integrity check (Options.CheckInBackground)
// in the background; it does nothing when the check has run, started or
// was skipped.
func (s *Store) StartCheck() { s.check.begin() }

// Checked starts the integrity check if it has not started, waits for it,
// and returns what it found: nil when it passed or was skipped, the error
// Open would have returned when the database is damaged.
func (s *Store) Checked(ctx context.Context) error {
	s.check.begin()
	select {
	case <-s.check.done:
		return s.check.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// CheckFailed is the integrity check's error if it has ended and failed;
// nil before it ends, and when it passed. It neither waits nor starts it.
func (s *Store) CheckFailed() error {
	select {
	case <-s.check.done:
		return s.check.err
	default:
		return nil
	}
}

// lockWrites waits for the integrity check (starting it), then takes this
// process's write lock (see inTx); a damaged database refuses every write.
func (s *Store) lockWrites(ctx context.Context) (unlock func(), err error) {
	if err := s.Checked(ctx); err != nil {
		return nil, err
	}
	s.writeMu.Lock()
	return s.writeMu.Unlock, nil
}
