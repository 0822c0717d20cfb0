package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	mrand "math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"
)

// LockError is a kubeconfig held by another live writer for longer than
// the wait.
type LockError struct {
	File     string
	LockFile string
	PID      int
	Waited   time.Duration
}

// Error says who holds the lock and what to do.
func (e *LockError) Error() string {
	holder := "another process"
	if e.PID > 0 {
		holder = "process " + strconv.Itoa(e.PID)
	}
	return fmt.Sprintf("kubeconfig %s is locked by %s (lock file %s); waited %s: let it finish and try again, or remove the lock file if that process is gone",
		e.File, holder, e.LockFile, e.Waited)
}

// lockOptions tune acquireLock.
type lockOptions struct {
	ctx     context.Context  // gives up the wait
	timeout time.Duration    // wait for a live holder this long
	stale   time.Duration    // take over a lock this old even if its holder lives
	now     func() time.Time // to judge a lock's age
}

// fileLock is a held <file>.lock.
type fileLock struct {
	path  string
	token []byte
}

// acquireLock takes <target>.lock with O_EXCL, writing "pid nonce unix-time".
// A lock whose process is dead, or older than o.stale, is taken over; a
// live one is waited for up to o.timeout, then a *LockError.
func acquireLock(target string, o lockOptions) (*fileLock, error) {
	lp := target + ".lock"
	token := []byte(fmt.Sprintf("%d %s %d\n", os.Getpid(), randomHex(8), o.now().Unix()))
	timer := time.NewTimer(o.timeout)
	defer timer.Stop()
	for {
		f, err := os.OpenFile(lp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err == nil {
			_, werr := f.Write(token)
			if cerr := f.Close(); werr == nil {
				werr = cerr
			}
			if werr != nil {
				_ = os.Remove(lp)
				return nil, fmt.Errorf("write lock file %s: %w", lp, werr)
			}
			return &fileLock{path: lp, token: token}, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("create lock file %s: %w; check that the directory is writable", lp, err)
		}
		if err := waitTurn(lp, target, o, timer.C); err != nil {
			return nil, err
		}
	}
}

// waitTurn judges a held lock: a stale one is broken at once, a live one
// waited for a few milliseconds; nil means try again. The timer's end is a
// *LockError, the context's end its error.
func waitTurn(lp, target string, o lockOptions, deadline <-chan time.Time) error {
	content, pid, stale := inspectLock(lp, o)
	if stale {
		breakLock(lp, content)
		return nil
	}
	select {
	case <-deadline:
		return &LockError{File: target, LockFile: lp, PID: pid, Waited: o.timeout}
	case <-o.ctx.Done():
		return fmt.Errorf("wait for the lock on %s: %w; nothing was written", target, o.ctx.Err())
	case <-time.After(time.Duration(2+mrand.IntN(18)) * time.Millisecond):
	}
	return nil
}

// waitLockFree waits until no live writer holds <target>.lock, breaking a
// stale one, without taking it: a check before a slow step (a certificate
// issued by the cloud) that would otherwise be wasted on a hung writer.
func waitLockFree(target string, o lockOptions) error {
	lp := target + ".lock"
	timer := time.NewTimer(o.timeout)
	defer timer.Stop()
	for {
		if _, err := os.Lstat(lp); errIsNotExist(err) {
			return nil
		}
		if err := o.ctx.Err(); err != nil {
			return fmt.Errorf("wait for the lock on %s: %w", target, err)
		}
		if _, pid, _ := inspectLock(lp, o); pid == os.Getpid() {
			return nil // this process's own writer, busy with a batch: it will let go
		}
		if err := waitTurn(lp, target, o, timer.C); err != nil {
			return err
		}
	}
}

// inspectLock reads a lock and judges whether it may be taken over.
func inspectLock(lp string, o lockOptions) (content []byte, pid int, stale bool) {
	content, err := ReadLocalFile(lp, maxLockSize)
	if err != nil {
		return nil, 0, false // gone or unreadable: just try again
	}
	fi, err := os.Stat(lp)
	if err != nil {
		return nil, 0, false
	}
	age := o.now().Sub(fi.ModTime())
	fields := strings.Fields(string(content))
	if len(fields) > 0 {
		pid, _ = strconv.Atoi(fields[0])
	}
	switch {
	case age > o.stale:
		return content, pid, true
	case pid <= 0:
		// Being written right now, or its writer died between create and
		// write: give it a moment.
		return content, pid, age > 5*time.Second
	case pid != os.Getpid() && !processAlive(pid):
		return content, pid, true
	}
	return content, pid, false
}

// breakLock removes a stale lock only if it still holds what was judged
// stale: it is renamed aside first, and put back if it turns out to be a
// fresh lock another process took in between.
func breakLock(lp string, content []byte) {
	aside := lp + ".stale-" + randomHex(6)
	if err := os.Rename(lp, aside); err != nil {
		return
	}
	got, err := os.ReadFile(aside)
	if err == nil && !bytes.Equal(got, content) {
		_ = os.Link(aside, lp) // fails if yet another writer holds it now
	}
	_ = os.Remove(aside)
}

// release removes the lock if it is still ours.
func (l *fileLock) release() {
	if got, err := os.ReadFile(l.path); err == nil && bytes.Equal(got, l.token) {
		_ = os.Remove(l.path)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// WaitKubeconfigLock waits (up to timeout; 0 = DefaultLockTimeout) until no
// live writer holds the kubeconfig's lock, without taking it, and returns a
// *LockError if one still does: checked before a certificate is issued, so
// a hung writer costs nothing at the cloud. A stale lock is broken.
func WaitKubeconfigLock(ctx context.Context, path string, timeout time.Duration) error {
	if path == "" {
		return nil
	}
	o := fileOptions{ctx: ctx, lockTimeout: timeout}.lock()
	return waitLockFree(resolveLink(path), o)
}
