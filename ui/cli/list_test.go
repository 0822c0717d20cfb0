package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"ccecert/api/emulator"
)

// listed decodes `list -o json` into raw objects, so the shape is checked
// key by key.
func listed(t *testing.T, out string) []map[string]any {
	t.Helper()
	var v []map[string]any
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("list -o json: %v\n%s", err, out)
	}
	return v
}

func byName(items []map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, it := range items {
		out[it["name"].(string)] = it
	}
	return out
}

func TestCLIListJSONShape(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	r := c.ok("list", "-o", "json")
	items := byName(listed(t, r.stdout))
	want := map[string]bool{}
	for _, ti := range c.srv.Targets() {
		want[ti.Name] = true
		it, ok := items[ti.Name]
		if !ok {
			t.Errorf("list lacks %s", ti.Name)
			continue
		}
		for _, k := range []string{"kind", "id", "name", "region", "project_id", "version", "phase", "endpoints", "stale"} {
			if _, ok := it[k]; !ok {
				t.Errorf("%s: no %q in %v", ti.Name, k, it)
			}
		}
		if it["kind"] != ti.Kind || it["id"] != ti.ID || it["region"] != ti.Region || it["stale"] != false {
			t.Errorf("%s: kind/id/region/stale = %v/%v/%v/%v, want %s/%s/%s/false", ti.Name, it["kind"], it["id"], it["region"], it["stale"], ti.Kind, ti.ID, ti.Region)
		}
		_, hasFed := it["federation"]
		if ti.Kind == "fleet" {
			if it["federation"] != ti.Federation {
				t.Errorf("%s: federation = %v, want %v", ti.Name, it["federation"], ti.Federation)
			}
			continue
		}
		if hasFed {
			t.Errorf("%s: a cluster has a federation field", ti.Name)
		}
		if it["project_id"] != ti.ProjectID || it["version"] != ti.Version || it["phase"] != ti.Phase {
			t.Errorf("%s: project/version/phase = %v/%v/%v, want %s/%s/%s", ti.Name, it["project_id"], it["version"], it["phase"], ti.ProjectID, ti.Version, ti.Phase)
		}
		ep := it["endpoints"].(map[string]any)
		ext, hasExt := ep["external"]
		if !hasExt {
			t.Errorf("%s: endpoints has no external key (null expected without EIP): %v", ti.Name, ep)
		}
		in, _ := ep["internal"].(string)
		if !strings.HasPrefix(in, "https://127.0.0.1:") {
			t.Errorf("%s: endpoints.internal = %v", ti.Name, ep["internal"])
		}
		if ti.EIP != (ext != nil) {
			t.Errorf("%s: EIP %v but endpoints.external = %v", ti.Name, ti.EIP, ext)
		}
	}
	if len(items) != len(want) {
		t.Errorf("list has %d targets, the emulator %d (MOS must be filtered out)", len(items), len(want))
	}
}

func TestCLIListFromCacheUntilRefreshOrStale(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	c.ok("list")
	n := len(c.srv.Log())
	table := c.ok("list").stdout
	if got := len(c.requestsSince(n)); got != 0 {
		t.Errorf("a second list made %d requests; it must come from the cache", got)
	}
	for _, name := range []string{"prod-web", "global-prod", "serverless-api"} {
		if !strings.Contains(table, name) {
			t.Errorf("table lacks %s:\n%s", name, table)
		}
	}
	if strings.Contains(table, "(stale)") {
		t.Errorf("fresh cache marked stale:\n%s", table)
	}

	c.ok("list", "--refresh")
	if len(c.requestsSince(n)) == 0 {
		t.Error("list --refresh made no request")
	}

	// Past inventory_stale (10m), the cache is refreshed by itself.
	c.clock.Advance(11 * time.Minute)
	n = len(c.srv.Log())
	c.ok("list")
	if len(c.requestsSince(n)) == 0 {
		t.Error("list on a stale cache made no request")
	}
}

func TestCLIListKindOnlyFetchesThatKind(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	r := c.ok("list", "--kind", "fleet", "-o", "json")
	for _, it := range listed(t, r.stdout) {
		if it["kind"] != "fleet" {
			t.Errorf("--kind fleet listed %v", it)
		}
	}
	// UCS's own cluster listing (/v1/clusters, the fleets' members) is part
	// of listing fleets; CCE and Autopilot listings are not.
	for _, q := range c.srv.Log() {
		if strings.HasPrefix(q.Path, "/api/") || strings.HasPrefix(q.Path, "/autopilot/") {
			t.Errorf("--kind fleet listed clusters: %s %s", q.Method, q.Path)
		}
	}

	n := len(c.srv.Log())
	r = c.ok("list", "--kind", "cce", "--refresh", "-o", "json")
	items := listed(t, r.stdout)
	if len(items) == 0 {
		t.Fatal("--kind cce listed nothing")
	}
	for _, it := range items {
		if it["kind"] != "cce" {
			t.Errorf("--kind cce listed %v", it["kind"])
		}
	}
	for _, q := range c.requestsSince(n) {
		if strings.Contains(q.Path, "clustergroups") || q.Path == "/v1/clusters" || strings.HasPrefix(q.Path, "/autopilot/") {
			t.Errorf("--kind cce asked for another kind: %s %s", q.Method, q.Path)
		}
	}
}

func TestCLIListRegion(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	r := c.ok("list", "--region", "cn-east-3", "-o", "json")
	var names []string
	for _, it := range listed(t, r.stdout) {
		if it["region"] != "cn-east-3" {
			t.Errorf("--region cn-east-3 listed %v in %v", it["name"], it["region"])
		}
		names = append(names, it["name"].(string))
	}
	slices.Sort(names)
	if want := []string{"data-pipeline", "serverless-api", "staging-web"}; !slices.Equal(names, want) {
		t.Errorf("--region cn-east-3 = %v, want %v", names, want)
	}
}

// writeConfig writes a config file and returns its path.
func (c *cli) writeConfig(yaml string) string {
	c.t.Helper()
	path := filepath.Join(c.home, "ccecert-test-config.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		c.t.Fatal(err)
	}
	return path
}

func TestCLIListRegionErrorsGoToStderr(t *testing.T) {
	c := newCLI(t, emulator.Options{Faults: emulator.Faults{HangRegions: []string{"cn-south-1"}}})
	cfg := c.writeConfig("timeouts: {request: 5s, region: 300ms}\n")
	r := c.run("--config", cfg, "list", "-o", "json")
	if r.code != 0 {
		t.Fatalf("list with one region down = exit %d, want 0: %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "ccecert: warning: list CCE clusters in cn-south-1") {
		t.Errorf("stderr does not name the failed region:\n%s", r.stderr)
	}
	items := byName(listed(t, r.stdout))
	if _, ok := items["prod-web"]; !ok {
		t.Errorf("the regions that answered are not listed: %v", r.stdout)
	}
	if _, ok := items["prod-gz"]; ok {
		t.Errorf("prod-gz listed although its region hung")
	}

	// Only the failed region asked for: nothing listed, exit 1.
	r = c.run("--config", cfg, "list", "--refresh", "--region", "cn-south-1")
	if r.code != 1 || !strings.Contains(r.stderr, "cn-south-1") {
		t.Errorf("list of a hung region only = exit %d, want 1 naming it:\n%s", r.code, r.stderr)
	}
	if r.stdout != "" {
		t.Errorf("nothing listed but stdout has:\n%s", r.stdout)
	}
}
