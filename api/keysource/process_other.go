//go:build !unix

package keysource

import "os/exec"

// killGroup: without process groups, the context kills the command itself.
func killGroup(*exec.Cmd) {}
