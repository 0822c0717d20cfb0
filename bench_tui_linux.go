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
	secondsShown     = regexp.MustCompile(`CRIT [0-9]+m [0-9]{2}s`)
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

// idleView is what the idle TUI shows while its CPU is measured: keys
// typed once the credentials are shown, and the text that says the view
// is there.
type idleView struct {
	keys  string
	shown *regexp.Regexp
}

var (
	// Seconds: the most urgent rows count down in seconds ("CRIT 5m 25s"),
	// so a frame is drawn every second — the case the target is about.
	idleSeconds = idleView{shown: secondsShown}
	// Minutes: sorted by name, at the bottom (bench-0970…0999), whose
	// credentials expire 234 to 263 days out (seedOne): nothing under an
	// hour on screen, so a frame a minute.
	idleMinutes = idleView{keys: "sG", shown: regexp.MustCompile(`> ` + benchPrefix + `0999`)}
)

// benchIdle opens the TUI on view, lets it settle, then returns the share
// of one core it used over idle (utime+stime from /proc).
func benchIdle(exe string, h benchHome, idle time.Duration, view idleView) (float64, error) {
	p, err := startPTY(exe, nil, h.environ(), benchRows, benchCols, credentialsShown, view.shown)
	if err != nil {
		return 0, err
	}
	_, err = p.waitMarker(0, 10*time.Second)
	for _, k := range view.keys { // a key at a time: a burst reads as one key
		if err == nil {
			_, err = p.master.Write([]byte(string(k)))
			time.Sleep(20 * time.Millisecond)
		}
	}
	if err == nil {
		_, err = p.waitMarker(1, 10*time.Second)
	}
	if err != nil {
		_ = p.quit()
		return 0, err
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
