package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"time"
)

// DefaultClaimWait is how long ClaimRenewal waits for another holder.
const DefaultClaimWait = 2 * time.Minute

// claimStale is the age after which a claim is taken over even if its
// process lives (a renewal is bounded by the request timeouts, far less).
const claimStale = 10 * time.Minute

// ErrClaimBusy is ClaimRenewal giving up: another process still renews.
var ErrClaimBusy = errors.New("another ccecert process is renewing it")

// ClaimRenewal takes the store's claim on renewing key (a target and a
// kubeconfig: the one user entry a renewal rewrites), across processes:
// a lock file in the data dir, taken over when its process died. It waits
// up to wait (0 = DefaultClaimWait) for another holder, then reports
// ErrClaimBusy; the context's end ends the wait. Release it with the
// returned func, after the renewal is recorded.
func (s *Store) ClaimRenewal(ctx context.Context, key string, wait time.Duration) (release func(), err error) {
	if wait <= 0 {
		wait = DefaultClaimWait
	}
	dir := filepath.Join(s.paths.dataDir, "claims")
	if err := EnsureDir(dir); err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(key))
	target := filepath.Join(dir, "renew-"+hex.EncodeToString(sum[:8]))
	l, err := acquireLock(target, lockOptions{ctx: ctx, timeout: wait, stale: claimStale, now: time.Now})
	var le *LockError
	if errors.As(err, &le) {
		return nil, fmt.Errorf("%w (waited %s; lock file %s)", ErrClaimBusy, le.Waited, le.LockFile)
	}
	if err != nil {
		return nil, err
	}
	return func() { l.release() }, nil
}
