package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// newBenchClockCmd is `ccecert bench clock`, the floor the TUI's idle CPU is
// read against: the least a Go program showing a countdown in seconds can
// do. It puts the terminal in raw mode as the TUI does, redraws one line
// at each wall second and quits on q (or at the end of its input).
func newBenchClockCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "clock",
		Short:  "A one-line clock: the idle floor the bench compares the TUI with",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return benchClock(os.Stdin, cmd.OutOrStdout())
		},
	}
}

// benchClock shows the clock on out until q arrives on in.
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
