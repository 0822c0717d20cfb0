//go:build linux || darwin

package termbg

import (
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// Detect asks the terminal on in/out whether its background is dark,
// waiting at most timeout for the answer. A terminal that does not answer
// in time, is not a terminal, or belongs to another process group reads as
// dark, the look most terminals ship with. The terminal's modes are
// restored before it returns.
func Detect(in, out *os.File, timeout time.Duration) bool {
	fd := int(in.Fd())
	saved, err := unix.IoctlGetTermios(fd, ioctlGetTermios)
	if err != nil {
		return true // not a terminal
	}
	if _, err := unix.IoctlGetTermios(int(out.Fd()), ioctlGetTermios); err != nil {
		return true
	}
	// A background job that touches its controlling terminal is stopped
	// (SIGTTOU); a terminal that is not ours to control (ENOTTY) is safe.
	if pgrp, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP); err == nil && pgrp != unix.Getpgrp() {
		return true
	}
	quiet := *saved
	quiet.Lflag &^= unix.ECHO | unix.ICANON
	quiet.Cc[unix.VMIN], quiet.Cc[unix.VTIME] = 1, 0
	if err := unix.IoctlSetTermios(fd, ioctlSetTermios, &quiet); err != nil {
		return true
	}
	defer func() { _ = unix.IoctlSetTermios(fd, ioctlSetTermios, saved) }()
	if _, err := out.WriteString(query); err != nil {
		return true
	}
	return readReply(fd, time.Now().Add(timeout))
}

// readReply reads the answer to query from fd until the cursor report
// arrives or the deadline passes.
func readReply(fd int, deadline time.Time) bool {
	var got []byte
	buf := make([]byte, 64)
	for len(got) < 256 {
		wait := time.Until(deadline)
		if wait <= 0 {
			break
		}
		fds := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, int(wait.Milliseconds())+1)
		if err == unix.EINTR {
			continue
		}
		if err != nil || n == 0 {
			break
		}
		r, err := unix.Read(fd, buf)
		if err != nil || r <= 0 {
			break
		}
		got = append(got, buf[:r]...)
		if _, _, done := parseReply(got); done {
			break
		}
	}
	dark, _, _ := parseReply(got)
	return dark
}
