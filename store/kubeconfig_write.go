package store

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// Defaults for kubeconfig locking.
const (
	DefaultLockTimeout = 10 * time.Second
	DefaultStaleLock   = 2 * time.Minute
)

// fileOptions tune updateKubeconfig.
type fileOptions struct {
	lockTimeout time.Duration
	staleLock   time.Duration
	now         func() time.Time
	hooks       writeHooks
}

// writeHooks let tests break the write path; nil in production.
type writeHooks struct {
	wrapTemp  func(io.Writer) io.Writer // e.g. a disk that fills up
	afterTemp func(tmp string)          // e.g. die between write and rename
}

func (o fileOptions) lock() lockOptions {
	l := lockOptions{timeout: o.lockTimeout, stale: o.staleLock, now: o.now}
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

// updateKubeconfig is the one way ccecert changes a kubeconfig: lock, read,
// parse (malformed → error, nothing written), mutate, then write a temp file
// in the same directory, fsync, keep the old content as <file>.bak, rename
// over, fsync the directory. Any failure leaves the file as it was.
func updateKubeconfig(path string, o fileOptions, mutate func(*clientcmdapi.Config) error) error {
	if path == "" {
		return errors.New("no kubeconfig path: set $KUBECONFIG, HOME or kubeconfig in the config file")
	}
	path = resolveLink(path)
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create directory for kubeconfig %s: %w", path, err)
	}
	if err := checkWritable(path); err != nil {
		return err
	}
	lock, err := acquireLock(path, o.lock())
	if err != nil {
		return err
	}
	defer lock.release()
	removeDeadTemps(path)
	old, err := os.ReadFile(path)
	existed := err == nil
	if err != nil && !errIsNotExist(err) {
		return fmt.Errorf("read kubeconfig %s: %w", path, err)
	}
	cfg, err := loadKubeconfig(old)
	if err != nil {
		return fmt.Errorf("kubeconfig %s is malformed (%w): fix or move it; nothing was written", path, err)
	}
	if err := mutate(cfg); err != nil {
		return fmt.Errorf("update kubeconfig %s: %w; nothing was written", path, err)
	}
	data, err := clientcmd.Write(*cfg)
	if err != nil {
		return fmt.Errorf("encode kubeconfig %s: %w; nothing was written", path, err)
	}
	if existed && bytes.Equal(data, old) {
		return nil
	}
	return replaceFile(path, data, old, existed, o.hooks)
}

// replaceFile writes data to path atomically, keeping old as path.bak.
func replaceFile(path string, data, old []byte, existed bool, h writeHooks) error {
	tmp, err := writeTemp(path, data, h)
	if err != nil {
		return fmt.Errorf("write kubeconfig %s: %w; the file was left unchanged", path, err)
	}
	if h.afterTemp != nil {
		h.afterTemp(tmp)
	}
	if existed {
		bak, err := writeTemp(path+".bak", old, writeHooks{})
		if err == nil {
			err = os.Rename(bak, path+".bak")
		}
		if err != nil {
			_ = os.Remove(tmp)
			_ = os.Remove(bak)
			return fmt.Errorf("keep backup %s.bak: %w; the kubeconfig was left unchanged", path, err)
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("replace kubeconfig %s: %w; the file was left unchanged", path, err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return fmt.Errorf("kubeconfig %s written, but syncing its directory failed: %w", path, err)
	}
	return nil
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
	for _, prefix := range []string{tempPrefix(path), tempPrefix(path + ".bak")} {
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

// resolveLink follows a symlinked kubeconfig so the rename replaces the
// real file, not the link.
func resolveLink(path string) string {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		return real
	}
	return path
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
