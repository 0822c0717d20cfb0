//go:build unix

package store

import "golang.org/x/sys/unix"

// dirWritable reports whether this process may create and rename files in
// the directory d (write and search permission), without writing.
func dirWritable(d string) bool { return unix.Access(d, unix.W_OK|unix.X_OK) == nil }
