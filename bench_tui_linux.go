//go:build linux

package main

import (
	"regexp"
	"time"
)

// TUI screen size for the bench: a common terminal.
const benchRows, benchCols = 40, 120

// What the screen shows once the cache is read: a cached cluster (the
// first frame), then the credentials' countdowns ("N due" in the expiry
// timeline, 0 until credentials are loaded).
var (
	clustersShown    = regexp.MustCompile(regexp.QuoteMeta(benchPrefix))
	credentialsShown = regexp.MustCompile(`[1-9][0-9]* due`)
	// A countdown in seconds ("CRIT 5m 25s"): the idle TUI must redraw
	// every second, the case the idle figure is about.
	secondsShown = regexp.MustCompile(`CRIT [0-9]+m [0-9]{2}s`)
)

// benchFirstFrame starts the TUI (ccecert with no arguments and no cloud
// key: the cache only) runs times and returns the medians of the time from
// process start to the first frame showing cached clusters, and to the
// frame showing their credentials.
func benchFirstFrame(exe string, h benchHome, runs int) (first, creds time.Duration, err error) {
	var firsts, all []time.Duration
	for range runs {
		p, err := startPTY(exe, nil, h.environ(), benchRows, benchCols, clustersShown, credentialsShown)
		if err != nil {
			return 0, 0, err
		}
		f, err := p.waitMarker(0, 10*time.Second)
		var c time.Duration
		if err == nil {
			c, err = p.waitMarker(1, 10*time.Second)
		}
		if qerr := p.quit(); err == nil {
			err = qerr
		}
		if err != nil {
			return 0, 0, err
		}
		firsts, all = append(firsts, f), append(all, c)
	}
	return median(firsts), median(all), nil
}

// benchIdle opens the TUI, lets it settle, then returns the share of one
// core it used over idle (utime+stime from /proc), with a countdown in
// seconds on screen (so a frame is drawn every second).
func benchIdle(exe string, h benchHome, idle time.Duration) (float64, error) {
	p, err := startPTY(exe, nil, h.environ(), benchRows, benchCols, credentialsShown, secondsShown)
	if err != nil {
		return 0, err
	}
	for i := range 2 {
		if _, err := p.waitMarker(i, 10*time.Second); err != nil {
			_ = p.quit()
			return 0, err
		}
	}
	time.Sleep(2 * time.Second) // the start-up refresh (no key: fails at once) and first ticks
	before, err := p.cpuTime()
	if err != nil {
		_ = p.quit()
		return 0, err
	}
	wall := time.Now()
	time.Sleep(idle)
	after, err := p.cpuTime()
	elapsed := time.Since(wall)
	if qerr := p.quit(); err == nil {
		err = qerr
	}
	if err != nil {
		return 0, err
	}
	return 100 * (after - before).Seconds() / elapsed.Seconds(), nil
}
