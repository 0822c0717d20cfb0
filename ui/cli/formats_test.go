package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// TestCLIOutputFormats runs every -o format of list, status and get and
// checks each against -o json, the documented shape.
func TestCLIOutputFormats(t *testing.T) {
	c := newDemoCLI(t)
	c.clock.Freeze()
	got := c.fetch("prod-payments", "--duration", "30d")
	for _, cmd := range [][]string{{"list"}, {"status"}} {
		js := c.ok(append(cmd, "-o", "json")...).stdout
		var want any
		if err := json.Unmarshal([]byte(js), &want); err != nil {
			t.Fatalf("%s -o json: %v", cmd, err)
		}
		y := c.ok(append(cmd, "-o", "yaml")...).stdout
		var fromYAML any
		if err := yaml.Unmarshal([]byte(y), &fromYAML); err != nil {
			t.Fatalf("%s -o yaml: %v\n%s", cmd, err, y)
		}
		if a, b := mustJSON(t, want), mustJSON(t, fromYAML); a != b {
			t.Errorf("%s -o yaml is not -o json:\n%s\n%s", cmd, a, b)
		}
	}

	names := strings.Fields(c.ok("list", "-o", "name").stdout)
	if len(names) != 13 || !slices.Contains(names, "prod-payments") || !slices.Contains(names, "global-prod") {
		t.Errorf("list -o name = %q", names)
	}
	if jp := c.ok("list", "-o", "jsonpath={[*].name}").stdout; jp != strings.Join(names, " ") {
		t.Errorf("list -o jsonpath={[*].name} = %q, want the names %q", jp, names)
	}
	jp := c.ok("list", "--kind", "fleet", "-o", `jsonpath={range [*]}{.name}{"\t"}{.federation}{"\n"}{end}`).stdout
	if !strings.Contains(jp, "global-prod\ttrue\n") || !strings.Contains(jp, "asia-batch\tfalse\n") {
		t.Errorf("list -o jsonpath range:\n%q", jp)
	}
	if out := c.ok("status", "-o", "name").stdout; out != got.ID+"\n" {
		t.Errorf("status -o name = %q, want %s", out, got.ID)
	}
	if out := c.ok("status", "-o", "jsonpath={[0].target.name} {[0].health} {[0].no_such_key}").stdout; out != "prod-payments ok " {
		t.Errorf("status -o jsonpath = %q (a missing key prints nothing, as in kubectl)", out)
	}

	table := c.ok("list").stdout
	wide := c.ok("list", "-o", "wide").stdout
	noHeaders := c.ok("list", "--no-headers").stdout
	if !strings.HasPrefix(table, "NAME ") || strings.Contains(table, "PROJECT") || !strings.Contains(wide, "PROJECT") ||
		!strings.Contains(wide, c.target("prod-payments").ProjectID) {
		t.Errorf("list table / wide:\n%s\n%s", table, wide)
	}
	if _, rest, _ := strings.Cut(table, "\n"); !slices.Equal(strings.Fields(noHeaders), strings.Fields(rest)) || strings.Contains(noHeaders, "NAME") {
		t.Errorf("list --no-headers is not the table's rows:\n%s", noHeaders)
	}
	if out := c.ok("list", "-o", "wide", "--no-headers").stdout; strings.Contains(out, "PROJECT") || strings.Count(out, "\n") != 13 {
		t.Errorf("list -o wide --no-headers:\n%s", out)
	}
	st := c.ok("status", "-o", "wide").stdout
	if !strings.Contains(st, "FINGERPRINT") || !strings.Contains(st, got.FingerprintSHA256) || !strings.Contains(st, c.srv.UserID) {
		t.Errorf("status -o wide:\n%s", st)
	}
	if out := c.ok("status", "--no-headers").stdout; strings.HasPrefix(out, "ID") || !strings.HasPrefix(out, got.ID) {
		t.Errorf("status --no-headers:\n%s", out)
	}
}

func TestCLIGetOutputFormats(t *testing.T) {
	c := newDemoCLI(t)
	for _, tc := range []struct {
		format string
		check  func(out string, v jsonCred) bool
	}{
		{"name", func(out string, v jsonCred) bool { return regexp.MustCompile(`^[0-9a-f]{8}\n$`).MatchString(out) }},
		{"yaml", func(out string, v jsonCred) bool {
			var y jsonCred
			return yaml.Unmarshal([]byte(out), &y) == nil && y.Target.Name == "prod-payments" && y.Health == "ok"
		}},
		{"jsonpath={.contexts[0]}", func(out string, v jsonCred) bool { return out == "prod-payments-external" }},
		{"table", func(out string, v jsonCred) bool {
			return strings.HasPrefix(out, "ID ") && strings.Count(out, "\n") == 2 && !strings.Contains(out, "FINGERPRINT")
		}},
		{"wide", func(out string, v jsonCred) bool {
			return strings.Contains(out, "FINGERPRINT") && strings.Count(out, "\n") == 2
		}},
		{"text", func(out string, v jsonCred) bool { return strings.HasPrefix(out, "credential ") }},
	} {
		r := c.run("get", "prod-payments", "-o", tc.format)
		if r.code != 0 || !tc.check(r.stdout, jsonCred{}) {
			t.Errorf("get -o %s = exit %d:\n%s%s", tc.format, r.code, r.stdout, r.stderr)
		}
	}
	if out := c.ok("get", "prod-payments", "-o", "table", "--no-headers").stdout; strings.Count(out, "\n") != 1 || strings.HasPrefix(out, "ID") {
		t.Errorf("get -o table --no-headers:\n%s", out)
	}
}

func TestCLIBadOutputFormats(t *testing.T) {
	c := newDemoCLI(t)
	n := len(c.srv.Log())
	for _, args := range [][]string{
		{"list", "-o", "xml"}, {"list", "-o", "jsonpath"}, {"list", "-o", "jsonpath="}, {"list", "-o", "jsonpath={.name"},
		{"list", "-o", "prometheus"}, {"status", "-o", "xml"}, {"status", "-o", "jsonpath={[?(@.x ==}"},
		{"status", "-o", "text"}, {"get", "prod-payments", "-o", "xml"}, {"get", "prod-payments", "-o", "jsonpath={{"},
		{"get", "prod-payments", "-o", "prometheus"}, {"status", "-o", "jsonpath={.x[1:2:3:4]}"},
	} {
		r := c.run(args...)
		oneLineError(t, strings.Join(args, " "), r)
		if r.stdout != "" {
			t.Errorf("%s printed %q", args, r.stdout)
		}
	}
	if got := c.requestsSince(n); len(got) != 0 {
		t.Errorf("bad -o made %d requests", len(got))
	}
	r := c.run("list", "-o", "xml")
	if !strings.Contains(r.stderr, "table, wide, json, yaml, name, jsonpath=TEMPLATE") {
		t.Errorf("unknown -o does not list the formats: %s", r.stderr)
	}
	if r := c.run("status", "-o", "jsonpath={[5].id}"); r.code != 1 || !strings.Contains(r.stderr, "-o jsonpath: ") {
		t.Errorf("jsonpath out of range = exit %d: %s", r.code, r.stderr)
	}
}

// TestCLIScannedKindIsUnknown: a kubeconfig of a cluster ccecert has not
// listed shows kind unknown, never a guess; a known one its real kind.
func TestCLIScannedKindIsUnknown(t *testing.T) {
	c := newDemoCLI(t)
	dir := t.TempDir()
	known := filepath.Join(dir, "known.json")
	other := filepath.Join(dir, "other.json")
	foreign := regexp.MustCompile(`"server":\s*"[^"]*"`).ReplaceAll(c.consoleKubeconfig("prod-gz", 20), []byte(`"server":"https://10.250.0.1:5443"`))
	for f, data := range map[string][]byte{known: c.consoleKubeconfig("serverless-api", 20), other: foreign} {
		if err := os.WriteFile(f, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c.ok("scan", known, other)
	kinds := map[string]string{}
	for _, v := range c.statusAll() {
		kinds[v.Kubeconfig] = v.Target.Kind
	}
	if kinds[known] != "autopilot" || kinds[other] != "unknown" {
		t.Errorf("scanned kinds = %v, want autopilot for the known cluster and unknown for the other", kinds)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
