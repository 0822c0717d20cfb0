package cli

import (
	"strings"
	"testing"

	"ccecert/ui/internal/ptytest"
)

// answered runs ccecert with a terminal on stdin that answers answer.
func (c *cli) answered(answer string, args ...string) result {
	c.t.Helper()
	master, slave := ptytest.Open(c.t)
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
