//go:build unix

package main

import (
	"ccecert/ui/cli"
	"context"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestEmulatorServeStopsOnSIGINT runs the command through cli.Run at scale and
// interrupts it as a terminal would.
func TestEmulatorServeStopsOnSIGINT(t *testing.T) {
	isolateMain(t)
	out := &lockedBuffer{}
	var stderr lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- cli.Run(context.Background(), deps(), []string{"emulator", "serve", "--clusters", "1000", "--regions", "30"}, strings.NewReader(""), out, &stderr)
	}()
	env := waitReady(t, out, done)
	// The signal handler is installed before # ready is printed.
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d after SIGINT; stderr %s", code, stderr.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop on SIGINT")
	}
	if _, err := os.Stat(env["CCECERT_CA_FILE"]); !os.IsNotExist(err) {
		t.Errorf("CA file still exists after exit (%v)", err)
	}
}

// TestInterruptibleEndsOnSignal: the first SIGTERM ends main's context and
// is reported as 15, so the process exits 143 once the command has
// cleaned up.
func TestInterruptibleEndsOnSignal(t *testing.T) {
	ctx, interrupted := interruptible()
	if interrupted() != 0 || ctx.Err() != nil {
		t.Fatal("interrupted before any signal")
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("context still live 10 s after SIGTERM")
	}
	if got := interrupted(); got != int(syscall.SIGTERM) {
		t.Fatalf("interrupted() = %d; want %d", got, syscall.SIGTERM)
	}
}
