package store

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// Size limits of the local files ccecert reads. Real ones are kilobytes; a
// limit stops a mistaken path (/dev/zero, a disk image) from filling memory.
const (
	MaxKubeconfigSize = 16 << 20 // a kubeconfig, read to merge, scan or import
	MaxConfigSize     = 1 << 20  // ccecert's config file
	MaxInventorySize  = 64 << 20 // an emulator inventory file
	maxRefFileSize    = 1 << 20  // a certificate or key file a kubeconfig names
	maxIdentitySize   = 64 << 10 // the age identity file
	maxLockSize       = 4 << 10  // a lock file
)

// ErrTooLarge marks input over its size limit.
var ErrTooLarge = errors.New("too large")

// ErrNotRegular marks a path that is not a regular file (a device, FIFO,
// socket or directory), which ccecert refuses to read.
var ErrNotRegular = errors.New("not a regular file")

// ReadLocalFile is the one way ccecert reads a local file of outside input
// (kubeconfig, config, import, scan, inventory): a regular file only, never
// blocking on a FIFO, and at most limit bytes, else an error naming the
// file. A missing file is an error that errors.Is os.ErrNotExist.
func ReadLocalFile(path string, limit int64) ([]byte, error) {
	f, err := openNoBlock(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("read %s: %w (%s): give a file", path, ErrNotRegular, fileKind(fi.Mode()))
	}
	if fi.Size() > limit {
		return nil, tooLarge(path, fi.Size(), limit)
	}
	return ReadLimited(f, path, limit)
}

// ReadLimited reads r to the end, at most limit bytes (standard input for
// `import -`, say); name is what errors call it.
func ReadLimited(r io.Reader, name string, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(name, -1, limit)
	}
	return data, nil
}

func tooLarge(name string, size, limit int64) error {
	if size >= 0 {
		return fmt.Errorf("read %s: %w: %d bytes, over the %s limit; is it the right file?", name, ErrTooLarge, size, sizeText(limit))
	}
	return fmt.Errorf("read %s: %w: over the %s limit; is it the right file?", name, ErrTooLarge, sizeText(limit))
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d-byte", n)
}

// fileKind names a non-regular file's type for a message.
func fileKind(m os.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&os.ModeNamedPipe != 0:
		return "a FIFO"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeCharDevice != 0:
		return "a character device"
	case m&os.ModeDevice != 0:
		return "a device"
	}
	return "not a plain file"
}
