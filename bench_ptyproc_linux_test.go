//go:build bench && linux

package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// ptyProc is a process on a pseudo-terminal that answers the queries a real
// terminal answers (background colour, cursor position), as the TUI asks
// them once at start.
type ptyProc struct {
	cmd    *exec.Cmd
	master *os.File
	start  time.Time

	mu      sync.Mutex
	out     bytes.Buffer
	markers []*regexp.Regexp
	seenAt  []time.Time // when each marker first appeared
	replied int         // bytes of out already scanned for queries
	done    chan struct{}
}

// startPTY runs exe args with env on a new rows×cols pty, noting when each
// of markers first shows in its output.
func startPTY(exe string, args, env []string, rows, cols uint16, markers ...*regexp.Regexp) (*ptyProc, error) {
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("open a pty: %w", err)
	}
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		master.Close()
		return nil, fmt.Errorf("unlock the pty: %w", err)
	}
	n, err := unix.IoctlGetUint32(fd, unix.TIOCGPTN)
	if err != nil {
		master.Close()
		return nil, fmt.Errorf("name the pty: %w", err)
	}
	slave, err := os.OpenFile("/dev/pts/"+strconv.FormatUint(uint64(n), 10), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		master.Close()
		return nil, fmt.Errorf("open the pty's terminal: %w", err)
	}
	defer slave.Close()
	if err := unix.IoctlSetWinsize(int(slave.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: rows, Col: cols}); err != nil {
		master.Close()
		return nil, fmt.Errorf("size the pty: %w", err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = slave, slave, slave
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	p := &ptyProc{cmd: cmd, master: master, markers: markers, seenAt: make([]time.Time, len(markers)), done: make(chan struct{})}
	p.start = time.Now()
	if err := cmd.Start(); err != nil {
		master.Close()
		return nil, fmt.Errorf("start %s: %w", exe, err)
	}
	go p.read()
	return p, nil
}

// termQuery is a query a terminal answers: a colour (OSC 10/11 ...;?) or
// the cursor position (CSI 6n).
var termQuery = regexp.MustCompile(`\x1b\](\d+);\?(?:\x1b\\|\x07)|\x1b\[6n`)

// read drains the pty (a TUI blocked on a full pty would look idle),
// answers queries in order and notes when each marker first shows.
func (p *ptyProc) read() {
	defer close(p.done)
	buf := make([]byte, 64<<10)
	for {
		n, err := p.master.Read(buf)
		if n > 0 {
			p.mu.Lock()
			p.out.Write(buf[:n])
			for i, m := range p.markers {
				if p.seenAt[i].IsZero() && m.Match(p.out.Bytes()) {
					p.seenAt[i] = time.Now()
				}
			}
			reply := p.answers()
			p.mu.Unlock()
			if len(reply) > 0 {
				_, _ = p.master.Write(reply)
			}
		}
		if err != nil {
			return
		}
	}
}

// answers replies to the queries that arrived since the last call, in
// order, as a dark-background terminal with the cursor at the top left.
func (p *ptyProc) answers() []byte {
	data := p.out.Bytes()
	from := max(0, p.replied-16) // a query may straddle two reads
	var reply []byte
	for _, m := range termQuery.FindAllSubmatchIndex(data[from:], -1) {
		if from+m[1] <= p.replied {
			continue // answered already
		}
		if m[2] >= 0 {
			reply = fmt.Appendf(reply, "\x1b]%s;rgb:1c1c/1c1c/1c1c\x1b\\", data[from+m[2]:from+m[3]])
		} else {
			reply = append(reply, "\x1b[1;1R"...)
		}
	}
	p.replied = len(data)
	return reply
}

// waitMarker waits up to d for marker i and returns the time from start.
func (p *ptyProc) waitMarker(i int, d time.Duration) (time.Duration, error) {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		p.mu.Lock()
		at := p.seenAt[i]
		p.mu.Unlock()
		if !at.IsZero() {
			return at.Sub(p.start), nil
		}
		select {
		case <-p.done:
			return 0, fmt.Errorf("the TUI exited before showing %q: %s", p.markers[i], p.tail())
		case <-time.After(time.Millisecond):
		}
	}
	return 0, fmt.Errorf("no %q on screen after %s: %s", p.markers[i], d, p.tail())
}

// waitFor waits up to d for re in the output.
func (p *ptyProc) waitFor(re *regexp.Regexp, d time.Duration) error {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		p.mu.Lock()
		ok := re.Match(p.out.Bytes())
		p.mu.Unlock()
		if ok {
			return nil
		}
		select {
		case <-p.done:
			return fmt.Errorf("the program exited before showing %q: %s", re, p.tail())
		case <-time.After(10 * time.Millisecond):
		}
	}
	return fmt.Errorf("no %q on screen after %s: %s", re, d, p.tail())
}

// keys types keys one at a time (a burst reads as one key).
func (p *ptyProc) keys(keys string) error {
	for _, k := range keys {
		if _, err := p.master.Write([]byte(string(k))); err != nil {
			return err
		}
		time.Sleep(20 * time.Millisecond)
	}
	return nil
}

// tail is the end of the output, control sequences dropped, for errors.
func (p *ptyProc) tail() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := regexp.MustCompile(`\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)`).ReplaceAllString(p.out.String(), "")
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 300 {
		s = s[len(s)-300:]
	}
	return strconv.Quote(s)
}

// cpuTime is the process's CPU time so far (procCPU).
func (p *ptyProc) cpuTime() (time.Duration, error) { return procCPU(p.cmd.Process.Pid) }

// quit presses q and waits for the exit; a TUI that does not leave within
// 5 s is killed (its process group: it leads its own session).
func (p *ptyProc) quit() error {
	_, _ = p.master.Write([]byte("q"))
	exited := make(chan error, 1)
	go func() { exited <- p.cmd.Wait() }()
	var err error
	select {
	case err = <-exited:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-exited
		err = errors.New("the TUI did not quit on q within 5s")
	}
	p.master.Close()
	<-p.done
	return err
}
