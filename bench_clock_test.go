//go:build bench

package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"
)

// clockEnv set to 1 makes the test binary the idle floor (see TestMain):
// the least a Go program showing a countdown in seconds can do, which the
// TUI's idle CPU is read against.
const clockEnv = "CCECERT_BENCH_CLOCK"

// benchClock shows the clock on out until q arrives on in. It puts the
// terminal in raw mode as the TUI does, redraws one line at each wall
// second and quits on q (or at the end of its input).
func benchClock(in *os.File, out io.Writer) error {
	if term.IsTerminal(int(in.Fd())) {
		state, err := term.MakeRaw(int(in.Fd()))
		if err != nil {
			return fmt.Errorf("bench clock: raw mode: %w", err)
		}
		defer term.Restore(int(in.Fd()), state)
	}
	quit := make(chan struct{})
	go func() {
		defer close(quit)
		b := make([]byte, 1)
		for {
			if n, err := in.Read(b); err != nil || (n == 1 && b[0] == 'q') {
				return
			}
		}
	}()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-quit:
			_, err := io.WriteString(out, "\r\n")
			return err
		case now := <-timer.C:
			if _, err := fmt.Fprintf(out, "\rclock %s", now.Format("15:04:05")); err != nil {
				return err
			}
			timer.Reset(now.Truncate(time.Second).Add(time.Second).Sub(time.Now()))
		}
	}
}

// clockProcess is how a test starts the clock: this test binary with
// clockEnv=1 added to env.
func clockProcess(env []string) (exe string, environ []string, err error) {
	exe, err = os.Executable()
	if err != nil {
		return "", nil, fmt.Errorf("bench: find the test binary for the clock: %w", err)
	}
	return exe, append(env[:len(env):len(env)], clockEnv+"=1"), nil
}
