package cli

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair: what is written to master is read
// from slave, which is a terminal (term.IsTerminal).
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here (/dev/ptmx: %v): the confirmation prompt needs one", err)
	}
	t.Cleanup(func() { _ = m.Close() })
	fd := int(m.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlock pty: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("pty number: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open pty slave: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return m, s
}

// answered runs ccecert with a terminal on stdin that answers answer.
func (c *cli) answered(answer string, args ...string) result {
	c.t.Helper()
	master, slave := openPTY(c.t)
	if _, err := master.WriteString(answer + "\n"); err != nil {
		c.t.Fatal(err)
	}
	return c.runIn(slave, args...)
}

func TestCLIRevokeAsksOnATerminal(t *testing.T) {
	c := newDemoCLI(t)
	v := c.fetch("prod-web")
	before := c.snapshot()
	n := len(c.srv.Log())
	r := c.answered("n", "revoke", v.ID)
	if r.code != 1 || !strings.Contains(r.stderr, "every certificate of user "+c.srv.UserID) || !strings.Contains(r.stderr, "[y/N]") {
		t.Errorf("answered no: exit %d\n%s", r.code, r.stderr)
	}
	if got := len(c.requestsSince(n)); got != 0 {
		t.Errorf("declined revoke made %d requests", got)
	}
	assertUnchanged(t, "declined revoke", before, c.snapshot())

	r = c.answered("y", "revoke", v.ID)
	if r.code != 0 || c.credByID(v.ID).Health != "revoked" {
		t.Errorf("answered yes: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
