package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// Defaults for kubeconfig locking.
const (
	DefaultLockTimeout = 10 * time.Second
	DefaultStaleLock   = 2 * time.Minute
)

// fileOptions tune updateKubeconfig.
type fileOptions struct {
	ctx         context.Context // ends the wait for the lock; a write under way finishes
	lockTimeout time.Duration
	staleLock   time.Duration
	now         func() time.Time
	hooks       writeHooks
	// parsed hands over the parse of path's content data that an earlier
	// check made, if it has one; nil = parse.
	parsed func(path string, data []byte) (kubeDoc, bool)
}

// writeHooks let tests break the write path; nil in production.
type writeHooks struct {
	wrapTemp  func(io.Writer) io.Writer // e.g. a disk that fills up
	afterTemp func(tmp string)          // e.g. die between write and rename
}

func (o fileOptions) lock() lockOptions {
	l := lockOptions{ctx: o.ctx, timeout: o.lockTimeout, stale: o.staleLock, now: o.now}
	if l.ctx == nil {
		l.ctx = context.Background()
	}
	if l.timeout <= 0 {
		l.timeout = DefaultLockTimeout
	}
	if l.stale <= 0 {
		l.stale = DefaultStaleLock
	}
	if l.now == nil {
		l.now = time.Now
	}
	return l
}

// updateKubeconfig is the one way ccecert changes a kubeconfig: lock, read
// (bounded), parse (malformed → error, nothing written), mutate, then write
// a temp file in the same directory, fsync, keep the old content as
// <file>.bak (and, on the first write, as <file>.ccecert-orig, never
// overwritten), rename over, fsync the directory. Any failure leaves the
// file as it was. A symlink is written through, even a dangling one. The
// notices say once what the operator should know: the original kept, what
// the rewrite dropped, a mode tightened.
func updateKubeconfig(path string, o fileOptions, mutate func(*clientcmdapi.Config) error) ([]string, error) {
	if path == "" {
		return nil, errors.New("no kubeconfig path: set $KUBECONFIG, HOME or kubeconfig in the config file")
	}
	path = resolveLink(path)
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create directory for kubeconfig %s: %w", path, err)
	}
	if err := checkWritable(path); err != nil {
		return nil, err
	}
	lock, err := acquireLock(path, o.lock())
	if err != nil {
		return nil, err
	}
	defer lock.release()
	removeDeadTemps(path)
	old, err := ReadLocalFile(path, MaxKubeconfigSize)
	existed := err == nil
	if err != nil && !errIsNotExist(err) {
		return nil, fmt.Errorf("read kubeconfig %s: %w; nothing was written", path, err)
	}
	doc, reused := kubeDoc{}, false
	if o.parsed != nil && existed {
		doc, reused = o.parsed(path, old)
	}
	if !reused {
		doc, err = parseKubeconfig(old)
	}
	cfg := doc.cfg
	if err != nil {
		return nil, fmt.Errorf("kubeconfig %s is malformed (%w): fix or move it; nothing was written", path, err)
	}
	if err := mutate(cfg); err != nil {
		return nil, fmt.Errorf("update kubeconfig %s: %w; nothing was written", path, err)
	}
	data, err := encodeKubeconfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("encode kubeconfig %s: %w; nothing was written", path, err)
	}
	if existed && bytes.Equal(data, old) {
		return nil, nil
	}
	return replaceFile(path, data, old, existed, func() string { return doc.lost(old) }, o.hooks)
}

// replaceFile writes data to path atomically, keeping old as path.bak and,
// on the first write, as path+OrigSuffix; it returns keepOriginal's notices
// (lost says what the rewrite drops from old).
func replaceFile(path string, data, old []byte, existed bool, lost func() string, h writeHooks) ([]string, error) {
	tmp, err := writeTemp(path, data, h)
	if err != nil {
		return nil, fmt.Errorf("write kubeconfig %s: %w; the file was left unchanged", path, err)
	}
	if h.afterTemp != nil {
		h.afterTemp(tmp)
	}
	var notices []string
	if existed {
		if notices, err = keepOriginal(path, old, lost); err != nil {
			_ = os.Remove(tmp)
			return nil, err
		}
		if err := writeFileAtomic(path+".bak", old); err != nil {
			_ = os.Remove(tmp)
			return nil, fmt.Errorf("keep backup %s.bak: %w; the kubeconfig was left unchanged", path, err)
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return nil, fmt.Errorf("replace kubeconfig %s: %w; the file was left unchanged", path, err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return notices, fmt.Errorf("kubeconfig %s written, but syncing its directory failed: %w", path, err)
	}
	return notices, nil
}

// writeFileAtomic replaces path with data through a fsynced 0600 temp file.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := writeTemp(path, data, writeHooks{})
	if err == nil {
		if err = os.Rename(tmp, path); err != nil {
			_ = os.Remove(tmp)
		}
	}
	return err
}

// tempPrefix names the temp files of path; the writer's pid follows, so a
// later writer can remove the leftovers of a dead one.
func tempPrefix(path string) string {
	return filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp-")
}

// writeTemp writes data to a new 0600 temp file next to path and fsyncs it.
func writeTemp(path string, data []byte, h writeHooks) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(tempPrefix(path))+strconv.Itoa(os.Getpid())+"-*")
	if err != nil {
		return "", err
	}
	var w io.Writer = f
	if h.wrapTemp != nil {
		w = h.wrapTemp(f)
	}
	_, err = w.Write(data)
	if err == nil {
		err = f.Chmod(0o600)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// removeDeadTemps deletes temp files left by writers that died before
// renaming (their pid is in the name). Called with the lock held.
func removeDeadTemps(path string) {
	for _, prefix := range []string{tempPrefix(path), tempPrefix(path + ".bak"), tempPrefix(path + OrigSuffix)} {
		matches, _ := filepath.Glob(prefix + "*")
		for _, m := range matches {
			rest := strings.TrimPrefix(m, prefix)
			pid, err := strconv.Atoi(strings.SplitN(rest, "-", 2)[0])
			if err == nil && pid != os.Getpid() && !processAlive(pid) {
				_ = os.Remove(m)
			}
		}
	}
}

// checkWritable refuses a kubeconfig the operator made read-only (even for
// root, who could write it anyway) or cannot open for writing.
func checkWritable(path string) error {
	fi, err := os.Stat(path)
	if errIsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("check kubeconfig %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return notWritable(fmt.Errorf("kubeconfig %s is not a regular file; choose another path", path))
	}
	if fi.Mode().Perm()&0o200 == 0 {
		return notWritable(fmt.Errorf("kubeconfig %s is read-only (mode %04o): make it writable (chmod u+w) or write to another file; nothing was written", path, fi.Mode().Perm()))
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return notWritable(fmt.Errorf("kubeconfig %s is not writable (%w): fix its permissions or write to another file; nothing was written", path, err))
	}
	return f.Close()
}

// syncDir fsyncs a directory so a rename survives a crash.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return err
	}
	return nil
}
