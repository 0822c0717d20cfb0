//go:build unix

package emulator

import (
	"errors"
	"os"
	"syscall"
)

// lockServe takes DIR/emulator/serve.lock for as long as this process
// serves the kept emulator; held is false when another process does. The
// file is opened close-on-exec, so a child (the demo shell) never holds it.
func lockServe(path string) (release func(), held bool, err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, false, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, false, nil
		}
		return nil, false, err
	}
	return func() { _ = f.Close() }, true, nil // closing drops the lock
}

// processAlive reports whether a process with that pid exists.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
