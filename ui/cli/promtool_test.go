package cli

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

const alertRules = "../../assets/alerts/ccecert.rules.yml"

// statusPrometheus is `status -o prometheus` over credentials in several
// states, as a node_exporter textfile would hold it.
func statusPrometheus(t *testing.T) string {
	c := newDemoCLI(t)
	c.fetch("prod-payments", "--duration", "2d", "--context", "both")
	c.fetch("prod-gz", "--duration", "1y")
	c.clock.Advance(40 * 3600e9) // 8h left of 2d: warning
	r := c.run("status", "-o", "prometheus")
	if r.code != 0 && r.code != 3 {
		t.Fatalf("status -o prometheus = exit %d: %s", r.code, r.stderr)
	}
	return r.stdout
}

// TestAlertRulesReadWhatStatusExports: every ccecert_ metric the rules use
// is one status -o prometheus writes.
func TestAlertRulesReadWhatStatusExports(t *testing.T) {
	rules, err := os.ReadFile(alertRules)
	if err != nil {
		t.Fatal(err)
	}
	prom := statusPrometheus(t)
	for _, name := range regexp.MustCompile(`ccecert_[a-z_]+`).FindAllString(string(rules), -1) {
		if !strings.Contains(prom, "# TYPE "+name+" gauge\n") {
			t.Errorf("the rules use %s, which status -o prometheus does not export", name)
		}
	}
}

// TestPromtool runs Prometheus' own checks: the rules load, their unit
// tests pass, and real status output lints clean.
func TestPromtool(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Skip("promtool is not installed (Debian: apt-get install prometheus): the alert rules and status -o prometheus are not checked by Prometheus")
	}
	run := func(stdin string, dir string, args ...string) {
		t.Helper()
		cmd := exec.Command(promtool, args...)
		cmd.Dir = dir
		cmd.Stdin = strings.NewReader(stdin)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	run("", ".", "check", "rules", alertRules)
	run("", "../../assets/alerts", "test", "rules", "ccecert.rules_test.yml")
	prom := statusPrometheus(t)
	if !strings.Contains(prom, `health="warning"`) && !strings.Contains(prom, `health="critical"`) {
		t.Fatalf("the sample lacks a certificate that needs attention:\n%s", prom)
	}
	run(prom, ".", "check", "metrics")
}
