package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestCLILogShowsWhoDidWhat(t *testing.T) {
	c := newDemoCLI(t)
	v := c.fetch("prod-payments", "--duration", "30d")
	c.ok("export", v.ID, "--file", t.TempDir()+"/x.kubeconfig")
	if r := c.run("get", "analytics-hk"); r.code != 1 { // hibernated: refused by the cloud
		t.Fatalf("get analytics-hk = exit %d", r.code)
	}

	var events []map[string]any
	r := c.ok("log", "-o", "json")
	if err := json.Unmarshal([]byte(r.stdout), &events); err != nil {
		t.Fatalf("log -o json: %v\n%s", err, r.stdout)
	}
	find := func(action, target string) map[string]any {
		t.Helper()
		for _, e := range events {
			if e["action"] == action && e["target_name"] == target {
				return e
			}
		}
		t.Fatalf("no %s event for %s in\n%s", action, target, r.stdout)
		return nil
	}
	fetch := find("fetch", "prod-payments")
	if fetch["who"] != c.srv.UserID || fetch["credential"] != v.ID || fetch["result"] != "ok" {
		t.Errorf("fetch event = %v, want who %s, credential %s, ok", fetch, c.srv.UserID, v.ID)
	}
	if at, err := time.Parse(time.RFC3339Nano, fetch["at"].(string)); err != nil || time.Since(at) > time.Hour {
		t.Errorf("at = %v (%v)", fetch["at"], err)
	}
	if e := find("export", "prod-payments"); e["credential"] != v.ID {
		t.Errorf("export event = %v", e)
	}
	failed := find("fetch", "analytics-hk")
	if res, _ := failed["result"].(string); !strings.HasPrefix(res, "error: ") {
		t.Errorf("failed fetch result = %q", res)
	}
	for _, e := range events {
		var keys []string
		for k := range e {
			keys = append(keys, k)
		}
		if len(keys) != len(eventKeys) {
			t.Errorf("event keys %v, want %v", keys, eventKeys)
		}
	}
	c.assertNoSecrets("log -o json", r.stdout)

	table := c.ok("log", "--target", "prod-payments").stdout
	if !strings.Contains(table, "WHO") || !strings.Contains(table, c.srv.UserID) || strings.Contains(table, "analytics-hk") {
		t.Errorf("log --target prod-payments:\n%s", table)
	}
	c.assertNoSecrets("log", table)
	if lines := strings.Count(c.ok("log", "--since", "1h", "--target", "prod-payments").stdout, "\n"); lines != 3 {
		t.Errorf("log --since 1h --target prod-payments: %d lines, want the header, fetch and export", lines)
	}
	c.clock.Advance(2 * time.Hour)
	if out := c.ok("log", "--since", "1h", "--target", "prod-payments").stdout; strings.Count(out, "\n") != 1 {
		t.Errorf("log --since 1h two hours later:\n%s", out)
	}
	if out := c.ok("log", "--since", c.clock.Now().Add(-3*time.Hour).Format(time.RFC3339), "--target", "prod-payments").stdout; strings.Count(out, "\n") != 3 {
		t.Errorf("log --since RFC 3339:\n%s", out)
	}
	oneLineError(t, "log --since garbage", c.run("log", "--since", "garbage"))
	oneLineError(t, "log -o wide", c.run("log", "-o", "wide"))
	oneLineError(t, "log -o jsonpath={.x", c.run("log", "-o", "jsonpath={.x"))
	if out := c.ok("log", "--target", "prod-payments", "-o", "jsonpath={[*].action}").stdout; out != "fetch export" {
		t.Errorf("log -o jsonpath = %q", out)
	}
	if out := c.ok("log", "--target", "prod-payments", "--no-headers").stdout; strings.Contains(out, "WHO") || strings.Count(out, "\n") != 2 {
		t.Errorf("log --no-headers:\n%s", out)
	}
}

// eventKeys are the documented keys of an event in `log -o json`.
var eventKeys = []string{"seq", "at", "who", "action", "target", "target_name", "credential", "result", "request_id", "profile"}
