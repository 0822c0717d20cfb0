package store

import (
	"os"
	"path/filepath"
	"sync"
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

// check is CheckKubeconfig, skipping the parse when the file is unchanged
// since it last parsed.
func (k *kubeChecks) check(path string) error {
	if path == "" {
		return CheckKubeconfig(path)
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
	if err := CheckKubeconfig(path); err != nil {
		return err
	}
	// Stamped before the parse: a change during it is seen next time.
	if statErr == nil {
		c.stamp, c.ok = stampOf(fi), true
	}
	return nil
}
