//go:build !windows

package ui

import "os"

// enableANSI does nothing: terminals here read ANSI sequences as they are.
func enableANSI(*os.File) (restore func(), err error) { return func() {}, nil }
