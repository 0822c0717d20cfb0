//go:build bench && !linux

package main

import "time"

func benchFirstFrame(string, benchHome, int) (time.Duration, time.Duration, error) {
	return 0, 0, errNoPTY
}

func benchPeakRSS(string, benchHome) (float64, error) { return 0, errNoPTY }

type idleView struct{}

var idleSeconds, idleMinutes idleView

type idleStarter struct{ name string }

func idleTerminal() idleStarter { return idleStarter{name: "a terminal"} }

func benchIdle(string, benchHome, idleStarter, time.Duration, idleView, bool) (float64, float64, error) {
	return 0, 0, errNoPTY
}
