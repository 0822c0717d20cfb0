//go:build !unix

package store

import "os"

// openNoBlock opens path for reading; this platform has no FIFOs that block
// an open.
func openNoBlock(path string) (*os.File, error) { return os.Open(path) }
