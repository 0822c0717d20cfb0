//go:build unix

package main

import (
	"ccecert/ui/cli"
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
		done <- cli.Run(deps(), []string{"emulator", "serve", "--clusters", "1000", "--regions", "30"}, strings.NewReader(""), out, &stderr)
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
