//go:build !linux

package main

import (
	"errors"
	"time"
)

var errNoPTY = errors.New("needs Linux (a pty and /proc)")

func benchFirstFrame(string, benchHome, int) (time.Duration, time.Duration, error) {
	return 0, 0, errNoPTY
}

type idleView struct{}

var idleSeconds, idleMinutes idleView

func benchIdle(string, benchHome, time.Duration, idleView, bool) (float64, float64, error) {
	return 0, 0, errNoPTY
}
