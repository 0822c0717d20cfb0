//go:build !unix

package store

import "os"

// dirWritable reports whether this process may create files in the
// directory d: without access(2), by creating and removing a probe file.
func dirWritable(d string) bool {
	f, err := os.CreateTemp(d, ".ccecert-probe-*")
	if err != nil {
		return false
	}
	name := f.Name()
	_ = f.Close()
	return os.Remove(name) == nil
}
