package cli

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"ccecert/ui/internal/ptytest"
)

// onSilentTerminal runs the built binary with a pseudo-terminal as its
// controlling terminal, stdin, stdout and stderr, like `script -qc`, and
// plays a terminal that never answers a query. It returns all the binary
// wrote to the terminal.
func onSilentTerminal(tb testing.TB, bin string, args ...string) string {
	tb.Helper()
	master, slave := ptytest.Open(tb)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	home := tb.TempDir()
	cmd.Env = []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"), "XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"KUBECONFIG=" + filepath.Join(home, ".kube", "config"), "TERM=xterm-256color", "PATH=" + os.Getenv("PATH")}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		tb.Fatalf("start %s: %v", bin, err)
	}
	_ = slave.Close() // the child holds the terminal now: EOF on master when it exits
	out := make(chan string, 1)
	go func() {
		var b bytes.Buffer
		buf := make([]byte, 4096)
		for {
			n, err := master.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				out <- b.String()
				return
			}
		}
	}()
	if err := cmd.Wait(); err != nil {
		tb.Fatalf("ccecert %s on a silent terminal: %v", strings.Join(args, " "), err)
	}
	return <-out
}

// TestNoTerminalQueryOutsideTheTUI is `script -qc 'ccecert version'` on a
// terminal that never answers: no command but the TUI may ask the terminal
// anything (Bubble Tea v1's init would, and wait 5 s for the answer).
// BenchmarkVersionOnSilentTerminal measures the time.
func TestNoTerminalQueryOutsideTheTUI(t *testing.T) {
	bin := ccecertBinary(t)
	for _, args := range [][]string{{"version"}, {"--help"}, {"status", "--help"}} {
		out := onSilentTerminal(t, bin, args...)
		if !strings.Contains(out, "ccecert") {
			t.Errorf("ccecert %s wrote %q, want its output", strings.Join(args, " "), out)
		}
		for _, q := range []string{"\x1b]11;?", "\x1b[6n", "\x1b]10;?"} {
			if strings.Contains(out, q) {
				t.Errorf("ccecert %s asked the terminal %q (it would wait for an answer):\n%q", strings.Join(args, " "), q, out)
			}
		}
	}
}

// BenchmarkVersionOnSilentTerminal is the whole `ccecert version` process
// on a terminal that never answers (5 s a run while Bubble Tea's init
// asked the terminal; the target is under 100 ms).
func BenchmarkVersionOnSilentTerminal(b *testing.B) {
	bin := ccecertBinary(b)
	for b.Loop() {
		onSilentTerminal(b, bin, "version")
	}
}
