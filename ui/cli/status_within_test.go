package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCLIStatusWithinMarksTheRows: the rows that make status exit 3 are
// marked, and their health words say why, with and without --within.
func TestCLIStatusWithinMarksTheRows(t *testing.T) {
	c := newDemoCLI(t)
	short := c.fetch("prod-payments", "--duration", "1d") // warning only at 8h left (L/3)
	long := c.fetch("prod-gz", "--duration", "1y")
	c.clock.Freeze()

	type row struct{ health, attention string }
	rows := func(args ...string) (map[string]row, int) {
		t.Helper()
		r := c.run(append([]string{"status", "--no-headers"}, args...)...)
		out := map[string]row{}
		for _, l := range strings.Split(strings.TrimSpace(r.stdout), "\n") {
			f := strings.Fields(l)
			// ID TARGET REGION CONTEXTS EXPIRES(2) REMAINING(2) HEALTH ATTENTION SOURCE
			out[f[0]] = row{f[len(f)-3], f[len(f)-2]}
		}
		return out, r.code
	}
	for _, tc := range []struct {
		args      []string
		code      int
		shortRow  row
		longRow   row
		attention bool // short's attention in JSON
	}{
		{nil, 0, row{"OK", "-"}, row{"OK", "-"}, false},
		{[]string{"--within", "2d"}, 3, row{"WARNING", "yes"}, row{"OK", "-"}, true},
		{[]string{"--within", "12h"}, 0, row{"OK", "-"}, row{"OK", "-"}, false},
		{[]string{"--within", "400d"}, 3, row{"WARNING", "yes"}, row{"WARNING", "yes"}, true},
	} {
		got, code := rows(tc.args...)
		if code != tc.code || got[short.ID] != tc.shortRow || got[long.ID] != tc.longRow {
			t.Errorf("status %v = exit %d, rows %v; want exit %d, 1d cert %v, 1y cert %v", tc.args, code, got, tc.code, tc.shortRow, tc.longRow)
		}
		r := c.run(append([]string{"status", "-o", "json"}, tc.args...)...)
		var views []struct {
			ID        string `json:"id"`
			Health    string `json:"health"`
			Attention *bool  `json:"attention"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &views); err != nil {
			t.Fatal(err)
		}
		for _, v := range views {
			if v.Attention == nil {
				t.Errorf("status -o json %v: %s has no attention field", tc.args, v.ID)
			} else if v.ID == short.ID && (*v.Attention != tc.attention || strings.ToUpper(v.Health) != tc.shortRow.health) {
				t.Errorf("status -o json %v: %s attention %v health %s, want %v %s", tc.args, v.ID, *v.Attention, v.Health, tc.attention, tc.shortRow.health)
			}
		}
	}
	c.clock.Advance(20 * 3600e9) // 4h left: warning by the thresholds
	if got, code := rows(); code != 3 || got[short.ID] != (row{"WARNING", "yes"}) {
		t.Errorf("4h left of 1d: exit %d, %v", code, got[short.ID])
	}
	prom := c.run("status", "-o", "prometheus").stdout
	if !strings.Contains(prom, `ccecert_certificate_health{credential="`+short.ID+`",target="prod-payments",region="cn-north-4",context="prod-payments-external",profile="default",health="warning"} 1`) {
		t.Errorf("prometheus lacks the health series:\n%s", prom)
	}
}
