//go:build bench && linux

package main

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestPTYAnswersEachQueryOnce: colour and cursor queries are answered in
// order, once, even when one straddles two reads.
func TestPTYAnswersEachQueryOnce(t *testing.T) {
	p := &ptyProc{}
	p.out.WriteString("\x1b[?1049hhello\x1b]11;?\x1b")
	if got := p.answers(); len(got) != 0 {
		t.Fatalf("answered a half query: %q", got)
	}
	p.out.WriteString("\\\x1b[6nworld\x1b]10;?\x07")
	want := "\x1b]11;rgb:1c1c/1c1c/1c1c\x1b\\" + "\x1b[1;1R" + "\x1b]10;rgb:1c1c/1c1c/1c1c\x1b\\"
	if got := string(p.answers()); got != want {
		t.Fatalf("answers %q, want %q", got, want)
	}
	p.out.WriteString("more output")
	if got := p.answers(); len(got) != 0 {
		t.Fatalf("answered again: %q", got)
	}
}

// TestPTYRunsAProcessOnATerminal: the child sees a terminal of the asked
// size, its output is read, markers are timed in order, and it is reaped.
func TestPTYRunsAProcessOnATerminal(t *testing.T) {
	if _, err := os.Stat("/dev/ptmx"); err != nil {
		t.Skip("no /dev/ptmx in this environment:", err)
	}
	p, err := startPTY("/bin/sh", []string{"-c", `stty size; echo second; stty -icanon min 1; dd bs=1 count=1 >/dev/null 2>&1`}, []string{"PATH=/usr/bin:/bin"},
		24, 100, regexp.MustCompile(`24 100`), regexp.MustCompile(`second`))
	if err != nil {
		t.Fatal(err)
	}
	first, err := p.waitMarker(0, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	second, err := p.waitMarker(1, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if first <= 0 || second < first {
		t.Errorf("markers at %v and %v: want the size first, then the second line", first, second)
	}
	cpu, err := p.cpuTime()
	if err != nil || cpu < 0 {
		t.Errorf("cpu time %v, %v", cpu, err)
	}
	if err := p.quit(); err != nil { // q ends the one-byte read
		t.Fatal(err)
	}
	if _, err := p.waitMarker(0, time.Millisecond); err != nil || !strings.Contains(p.tail(), "second") {
		t.Errorf("after quit: %v, output %s", err, p.tail())
	}
}

// TestBenchClockTicksAndQuits: the idle floor redraws its line at each wall
// second, in raw mode, and q ends it.
func TestBenchClockTicksAndQuits(t *testing.T) {
	bin, env, err := clockProcess([]string{"HOME=" + t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	p, err := startPTY(bin, nil, env, 24, 80,
		clockShown, regexp.MustCompile(`clock [0-9:]{8}\rclock [0-9:]{8}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.waitMarker(1, 10*time.Second); err != nil {
		p.quit()
		t.Fatal(err)
	}
	tio, err := unix.IoctlGetTermios(int(p.master.Fd()), unix.TCGETS)
	if err != nil || tio.Lflag&unix.ICANON != 0 {
		t.Errorf("the terminal is not in raw mode: %+v, %v", tio, err)
	}
	if err := p.quit(); err != nil {
		t.Fatal(err)
	}
	lines := regexp.MustCompile(`clock ([0-9:]{8})`).FindAllStringSubmatch(p.out.String(), -1)
	if len(lines) < 2 || lines[0][1] == lines[1][1] {
		t.Errorf("want a new second on each line, got %q", p.out.String())
	}
}

// TestTmuxRunsTheProgramItself: the idle figure's terminal runs the binary
// as the pane's own process (its CPU is what is read), answers keys, and
// quit ends it and the server.
func TestTmuxRunsTheProgramItself(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed")
	}
	dir := t.TempDir()
	bin, env, err := clockProcess([]string{"HOME=" + dir, "LANG=C.UTF-8"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := startTmux(dir, bin, nil, env, 24, 80)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.waitFor(clockShown, 10*time.Second); err != nil {
		p.quit()
		t.Fatal(err)
	}
	if cpu, err := p.cpuTime(); err != nil || cpu <= 0 {
		t.Errorf("cpu time %v, %v", cpu, err)
	}
	if err := p.quit(); err != nil {
		t.Fatal(err)
	}
	if syscall.Kill(p.pid, 0) == nil {
		t.Errorf("pid %d still runs after quit", p.pid)
	}
	if _, err := p.run(nil, "list-sessions"); err == nil {
		t.Error("the tmux server still runs after quit")
	}
}

// TestProcCPUReadersAgree: schedstat (ns) and stat (10 ms steps) read the
// same CPU time of a busy process, within stat's steps.
func TestProcCPUReadersAgree(t *testing.T) {
	pid := os.Getpid()
	s0, err1 := schedstatCPU(pid)
	t0, err2 := statCPU(pid)
	if err1 != nil || err2 != nil {
		t.Skip("no schedstat or stat here:", err1, err2)
	}
	for { // burn 300 ms of CPU, as schedstat counts it
		if s, _ := schedstatCPU(pid); s-s0 >= 300*time.Millisecond {
			break
		}
	}
	s1, _ := schedstatCPU(pid)
	t1, _ := statCPU(pid)
	ds, dt := s1-s0, t1-t0
	if dt < ds-100*time.Millisecond || dt > ds+100*time.Millisecond {
		t.Errorf("schedstat says %v, stat %v", ds, dt)
	}
	if got, _ := procCPU(pid); got < s1 {
		t.Errorf("procCPU %v reads less than schedstat %v", got, s1)
	}
}
