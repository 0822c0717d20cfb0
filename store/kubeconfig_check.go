package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
)

// kubeChecks remembers which kubeconfig contents this process found well
// formed, by size and modification time, so that N fetches into one file
// (a bulk renew) parse it once per version instead of N times: parsing a
// large kubeconfig costs far more than the rest of a fetch's local work.
// It serves only the early check before any request; every merge still
// re-reads and re-validates the file under its lock.
type kubeChecks struct {
	mu    sync.Mutex
	files map[string]*kubeCheck // by resolved path
	// last is the latest check's parse, handed to the merge that follows
	// it (a get checks, asks the cloud, then merges) when the file still
	// has the same bytes under the merge's lock: the same bytes parse to
	// the same Config, so the merge need not parse them again.
	last *checkedDoc
}

// checkedDoc is a file's content as a check read it, and its parse.
type checkedDoc struct {
	path string
	data []byte
	doc  kubeDoc
}

// keep remembers a check's parse for the next merge (one file at most).
func (k *kubeChecks) keep(path string, data []byte, doc kubeDoc) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.last = &checkedDoc{path: path, data: data, doc: doc}
}

// take hands over the parse a check kept if the file at path still holds
// data, and forgets it either way: a Config is mutated by one merge only.
func (k *kubeChecks) take(path string, data []byte) (kubeDoc, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	last := k.last
	k.last = nil
	if last == nil || last.path != path || !bytes.Equal(last.data, data) {
		return kubeDoc{}, false
	}
	return last.doc, true
}

// kubeCheck is one file's last successful check; mu makes concurrent
// checks of the file wait for one parse instead of each doing its own.
type kubeCheck struct {
	mu    sync.Mutex
	stamp fileStamp
	ok    bool
}

// fileStamp identifies a version of a file's content.
type fileStamp struct {
	size  int64
	mtime int64
}

func stampOf(fi os.FileInfo) fileStamp {
	return fileStamp{size: fi.Size(), mtime: fi.ModTime().UnixNano()}
}

// CheckKubeconfig reports, without changing anything, why path could not
// take a merge: no path, malformed content, or a file or directory that
// cannot be written (ErrNotWritable). A version of the file this Store
// already found well formed is not parsed again.
func (s *Store) CheckKubeconfig(path string) error { return s.checks.check(path) }

// check is checkKubeconfig, skipping the parse when the file is unchanged
// since it last parsed.
func (k *kubeChecks) check(path string) error {
	if path == "" {
		return checkKubeconfig(path)
	}
	path = resolveLink(path)
	k.mu.Lock()
	if k.files == nil {
		k.files = map[string]*kubeCheck{}
	}
	c := k.files[path]
	if c == nil {
		c = &kubeCheck{}
		k.files[path] = c
	}
	k.mu.Unlock()

	c.mu.Lock()
	defer c.mu.Unlock()
	fi, statErr := os.Stat(path)
	if statErr == nil && c.ok && c.stamp == stampOf(fi) {
		if err := checkWritable(path); err != nil {
			return err
		}
		return checkDirWritable(filepath.Dir(path))
	}
	c.ok = false
	data, doc, err := checkKubeconfigFile(path)
	if err != nil {
		return err
	}
	if doc.cfg != nil {
		k.keep(path, data, doc)
	}
	// Stamped before the parse: a change during it is seen next time.
	if statErr == nil {
		c.stamp, c.ok = stampOf(fi), true
	}
	return nil
}

// checkKubeconfig is Store.CheckKubeconfig without the memory of earlier
// checks.
func checkKubeconfig(path string) error {
	_, _, err := checkKubeconfigFile(path)
	return err
}

// checkKubeconfigFile is checkKubeconfig, returning the content it read
// and its parse (none when the file does not exist).
func checkKubeconfigFile(path string) ([]byte, kubeDoc, error) {
	if path == "" {
		return nil, kubeDoc{}, errors.New("no kubeconfig path: set $KUBECONFIG, HOME or kubeconfig in the config file")
	}
	path = resolveLink(path)
	data, err := ReadLocalFile(path, MaxKubeconfigSize)
	switch {
	case errIsNotExist(err) || errors.Is(err, syscall.ENOTDIR):
		return nil, kubeDoc{}, checkDirWritable(filepath.Dir(path))
	case errors.Is(err, ErrNotRegular):
		return nil, kubeDoc{}, notWritable(fmt.Errorf("kubeconfig %s is not a regular file; choose another path", path))
	case err != nil:
		return nil, kubeDoc{}, fmt.Errorf("read kubeconfig %s: %w", path, err)
	}
	doc, err := parseKubeconfig(data)
	if err != nil {
		return nil, kubeDoc{}, fmt.Errorf("kubeconfig %s is malformed (%w): fix or move it; nothing was written", path, err)
	}
	if err := checkWritable(path); err != nil {
		return nil, kubeDoc{}, err
	}
	return data, doc, checkDirWritable(filepath.Dir(path))
}

// checkDirWritable checks the closest existing ancestor of dir can take the
// temp file and the rename.
func checkDirWritable(dir string) error {
	for d := dir; ; d = filepath.Dir(d) {
		if fi, err := os.Stat(d); err == nil {
			if !fi.IsDir() {
				return notWritable(fmt.Errorf("%s is a file, not a directory, so no kubeconfig can be written under it: choose another kubeconfig path; nothing was written", d))
			}
			if !dirWritable(d) {
				return notWritable(fmt.Errorf("directory %s is not writable: choose another kubeconfig path; nothing was written", d))
			}
			return nil
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}

// ErrNotWritable marks a kubeconfig path that cannot be written as it is: a
// read-only or irregular file, or a directory that cannot take the file.
// Writing to another kubeconfig is always a way out.
var ErrNotWritable = errors.New("kubeconfig path not writable")

// notWritableError is an error that is also ErrNotWritable, keeping its
// own text.
type notWritableError struct{ err error }

func notWritable(err error) error { return &notWritableError{err: err} }

func (e *notWritableError) Error() string   { return e.err.Error() }
func (e *notWritableError) Unwrap() []error { return []error{e.err, ErrNotWritable} }
