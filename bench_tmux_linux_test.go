//go:build bench && linux

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// tmuxProc is a program in a private tmux server (its own socket, no user
// config), as an operator runs the TUI: the idle figure is taken there.
type tmuxProc struct {
	sock string
	pid  int
}

// startTmux runs exe args with exactly env in a new rows×cols tmux server
// whose socket is in dir.
func startTmux(dir, exe string, args, env []string, rows, cols int) (*tmuxProc, error) {
	f, err := os.CreateTemp(dir, "tmux-*.sock")
	if err != nil {
		return nil, fmt.Errorf("tmux socket: %w", err)
	}
	f.Close()
	os.Remove(f.Name())
	t := &tmuxProc{sock: f.Name()}
	argv := append([]string{"-f", "/dev/null", "new-session", "-d", "-s", "bench",
		"-x", strconv.Itoa(cols), "-y", strconv.Itoa(rows), "--", exe}, args...)
	if _, err := t.run(env, argv...); err != nil {
		return nil, err
	}
	out, err := t.run(nil, "list-panes", "-t", "bench", "-F", "#{pane_pid}")
	if err == nil {
		t.pid, err = strconv.Atoi(strings.TrimSpace(out))
	}
	if err == nil {
		err = t.isRunning(exe)
	}
	if err != nil {
		_, _ = t.run(nil, "kill-server")
		return nil, fmt.Errorf("tmux: the program's pid: %w", err)
	}
	return t, nil
}

// isRunning checks that the pane's process is exe itself, not a shell
// around it: its CPU is what is measured.
func (t *tmuxProc) isRunning(exe string) error {
	want, err := filepath.EvalSymlinks(exe)
	if err != nil {
		return err
	}
	got, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", t.pid))
	if err != nil {
		return err
	}
	if got != want {
		return fmt.Errorf("the pane runs %s, not %s", got, want)
	}
	return nil
}

// run is one tmux command on the server; env, when set, is the server's
// (and so the program's) whole environment.
func (t *tmuxProc) run(env []string, args ...string) (string, error) {
	cmd := exec.Command("tmux", append([]string{"-S", t.sock}, args...)...)
	if env != nil {
		cmd.Env = env
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("tmux %s: %w: %s", args[0], err, strings.TrimSpace(string(out)))
	}
	return string(out), nil
}

// waitFor waits up to d for re on the screen.
func (t *tmuxProc) waitFor(re *regexp.Regexp, d time.Duration) error {
	deadline := time.Now().Add(d)
	var screen string
	for time.Now().Before(deadline) {
		out, err := t.run(nil, "capture-pane", "-p", "-t", "bench")
		if err != nil {
			return err
		}
		if screen = out; re.MatchString(screen) {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("no %q on the tmux screen after %s: %q", re, d, strings.Join(strings.Fields(screen), " "))
}

// keys types keys one at a time (a burst reads as one key).
func (t *tmuxProc) keys(keys string) error {
	for _, k := range keys {
		if _, err := t.run(nil, "send-keys", "-t", "bench", "-l", string(k)); err != nil {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil
}

func (t *tmuxProc) cpuTime() (time.Duration, error) { return procCPU(t.pid) }

// quit presses q and waits for the program to exit; one still running
// after 5 s is killed. The server goes either way.
func (t *tmuxProc) quit() error {
	defer func() { _, _ = t.run(nil, "kill-server") }()
	_, err := t.run(nil, "send-keys", "-t", "bench", "q")
	for deadline := time.Now().Add(5 * time.Second); err == nil && time.Now().Before(deadline); {
		if syscall.Kill(t.pid, 0) != nil {
			return nil // gone
		}
		time.Sleep(10 * time.Millisecond)
	}
	_ = syscall.Kill(t.pid, syscall.SIGKILL)
	return errors.Join(err, errors.New("the program did not quit on q within 5s"))
}

// tmuxSocketDir is a short dir for sockets under h (a unix socket path
// must stay under 108 bytes).
func tmuxSocketDir(h benchHome) string { return filepath.Join(h.dir, "run") }
