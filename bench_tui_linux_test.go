//go:build bench && linux

package main

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
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

// clockShown is the floor's line (benchClock).
var clockShown = regexp.MustCompile(`clock [0-9]{2}:[0-9]{2}:[0-9]{2}`)

// idleTerm is a terminal the idle TUI runs on: a private tmux server, as
// an operator runs it, or where tmux is not installed, a pty of the
// bench's own.
type idleTerm interface {
	waitFor(re *regexp.Regexp, d time.Duration) error
	keys(keys string) error
	cpuTime() (time.Duration, error)
	quit() error
}

// idleStarter starts exe with exactly env on a fresh terminal of one kind
// (its tmux socket under h).
type idleStarter struct {
	name  string // "tmux" or "a pty"
	start func(exe string, env []string, h benchHome) (idleTerm, error)
}

// idleTerminal is tmux when it is installed, else the bench's own pty.
func idleTerminal() idleStarter {
	if _, err := exec.LookPath("tmux"); err == nil {
		return idleStarter{name: "tmux", start: func(exe string, env []string, h benchHome) (idleTerm, error) {
			t, err := startTmux(tmuxSocketDir(h), exe, nil, env, benchRows, benchCols)
			if err != nil {
				return nil, err
			}
			return t, nil
		}}
	}
	return idleStarter{name: "a pty", start: func(exe string, env []string, _ benchHome) (idleTerm, error) {
		p, err := startPTY(exe, nil, env, benchRows, benchCols)
		if err != nil {
			return nil, err
		}
		return p, nil
	}}
}

// benchIdle opens the TUI on view on term and lets it settle, then returns
// the share of one core it used over idle (from /proc: procCPU). With
// floor, the clock (this test binary with clockEnv=1, clockProcess) runs on
// a terminal of its own over the same window, and its share is returned
// too: the same host noise lands on both.
func benchIdle(exe string, h benchHome, term idleStarter, idle time.Duration, view idleView, floor bool) (tui, clock float64, err error) {
	p, err := term.start(exe, h.environ(), h)
	if err != nil {
		return 0, 0, err
	}
	procs := []idleTerm{p}
	defer func() {
		for _, p := range procs {
			if qerr := p.quit(); err == nil {
				err = qerr
			}
		}
	}()
	err = p.waitFor(credentialsShown, 10*time.Second)
	if err == nil {
		err = p.keys(view.keys)
	}
	if err == nil {
		err = p.waitFor(view.shown, 10*time.Second)
	}
	if err == nil && floor {
		err = startClock(term, h, &procs)
	}
	if err != nil {
		return 0, 0, err
	}
	time.Sleep(2 * time.Second) // the start-up refresh (no key: fails at once) and first ticks
	shares, err := cpuShares(procs, idle)
	if err != nil {
		return 0, 0, err
	}
	if floor {
		clock = shares[1]
	}
	return shares[0], clock, nil
}

// startClock starts the floor on a terminal of term's kind, adds it to
// procs (so it is quit with them) and waits for its first line.
func startClock(term idleStarter, h benchHome, procs *[]idleTerm) error {
	exe, env, err := clockProcess(h.environ())
	if err != nil {
		return err
	}
	c, err := term.start(exe, env, h)
	if err != nil {
		return err
	}
	*procs = append(*procs, c)
	return c.waitFor(clockShown, 10*time.Second)
}

// cpuShares is the share of one core, in percent, each of procs used over
// the same window of length d.
func cpuShares(procs []idleTerm, d time.Duration) ([]float64, error) {
	before := make([]time.Duration, len(procs))
	for i, p := range procs {
		t, err := p.cpuTime()
		if err != nil {
			return nil, err
		}
		before[i] = t
	}
	wall := time.Now()
	time.Sleep(d)
	shares := make([]float64, len(procs))
	for i, p := range procs {
		t, err := p.cpuTime()
		if err != nil {
			return nil, err
		}
		shares[i] = 100 * (t - before[i]).Seconds() / time.Since(wall).Seconds()
	}
	return shares, nil
}

// tuiSettle is how long the RSS bench lets the TUI run once its
// credentials are shown: past the reconcile it starts a second after
// (ui/cli reconcileAfter), which reads every credential again.
const tuiSettle = 3 * time.Second

// benchPeakRSS starts the TUI over h's cache, waits for its credentials
// and tuiSettle more, and returns its peak resident set (VmHWM), in MiB.
func benchPeakRSS(exe string, h benchHome) (float64, error) {
	p, err := startPTY(exe, nil, h.environ(), benchRows, benchCols, credentialsShown)
	if err != nil {
		return 0, err
	}
	_, err = p.waitMarker(0, 10*time.Second)
	var kib int64
	if err == nil {
		time.Sleep(tuiSettle)
		kib, err = peakRSSKiB(p.cmd.Process.Pid)
	}
	if qerr := p.quit(); err == nil {
		err = qerr
	}
	return float64(kib) / 1024, err
}

// peakRSSKiB reads a process's VmHWM (peak resident set) from
// /proc/PID/status, in KiB.
func peakRSSKiB(pid int) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			f := strings.Fields(rest) // "123456 kB"
			if len(f) == 2 && f[1] == "kB" {
				return strconv.ParseInt(f[0], 10, 64)
			}
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", pid)
}
