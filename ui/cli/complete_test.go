package cli

import (
	"os"
	"slices"
	"strings"
	"testing"

	"ccecert/api/emulator"
)

// complete runs `ccecert __complete args...` (what the bash, zsh and fish
// scripts run on TAB) and returns the candidates, descriptions included,
// and the directive line.
func (c *cli) complete(args ...string) ([]string, string) {
	c.t.Helper()
	r := c.run(append([]string{"__complete"}, args...)...)
	if r.code != 0 {
		c.t.Fatalf("__complete %q = exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
	}
	lines := strings.Split(strings.TrimRight(r.stdout, "\n"), "\n")
	last := len(lines) - 1
	if !strings.HasPrefix(lines[last], ":") {
		c.t.Fatalf("__complete %q: no directive line:\n%s", args, r.stdout)
	}
	return lines[:last], lines[last]
}

// values are the candidates without their descriptions.
func values(cands []string) []string {
	out := make([]string, len(cands))
	for i, s := range cands {
		out[i], _, _ = strings.Cut(s, "\t")
	}
	return out
}

// describedAs returns the description of value among cands.
func describedAs(t *testing.T, cands []string, value string) string {
	t.Helper()
	for _, s := range cands {
		if v, about, _ := strings.Cut(s, "\t"); v == value {
			return about
		}
	}
	t.Fatalf("%q is not among the candidates %q", value, cands)
	return ""
}

func TestCompletionFromTheCache(t *testing.T) {
	c := newDemoCLI(t)
	web := c.fetch("prod-payments", "--duration", "30d")
	n := len(c.srv.Log())

	targets, dir := c.complete("get", "")
	if dir != ":4" { // NoFileComp
		t.Errorf("get: directive %s, want :4 (no files)", dir)
	}
	if about := describedAs(t, targets, "prod-payments"); about != "cce in cn-north-4" {
		t.Errorf("prod-payments described as %q, want its kind and region", about)
	}
	if about := describedAs(t, targets, "global-prod"); about != "fleet in global" {
		t.Errorf("global-prod described as %q", about)
	}
	if got, _ := c.complete("get", "prod-p"); !slices.Equal(values(got), []string{"prod-payments"}) {
		t.Errorf("get prod-p = %q, want prod-payments only", got)
	}
	if got, _ := c.complete("get", "prod-web", ""); len(got) != 0 {
		t.Errorf("a second TARGET was offered: %q", got)
	}

	for _, cmd := range [][]string{{"revoke"}, {"export"}, {"credential"}, {"renew"}, {"renew", "ffffffff"}} {
		creds, dir := c.complete(append(cmd, "")...)
		if dir != ":36" { // NoFileComp | KeepOrder: most urgent first
			t.Errorf("%s: directive %s, want :36", cmd, dir)
		}
		about := describedAs(t, creds, web.ID)
		if !strings.HasPrefix(about, "prod-payments · ok · 29d 23h") {
			t.Errorf("%s: %s described as %q, want target, health and time left", cmd, web.ID, about)
		}
		if about := describedAs(t, creds, web.Contexts[0]); !strings.HasPrefix(about, web.ID+" · prod-payments · ok") {
			t.Errorf("%s: context described as %q", cmd, about)
		}
	}
	if got, _ := c.complete("renew", web.ID, ""); slices.Contains(values(got), web.ID) {
		t.Errorf("renew offers %s twice", web.ID)
	}
	if got, _ := c.complete("revoke", web.ID, ""); len(got) != 0 {
		t.Errorf("revoke offers a second CREDENTIAL: %q", got)
	}
	if got, _ := c.complete("export", web.ID, "--context", ""); !slices.Equal(got, web.Contexts) {
		t.Errorf("export --context = %q, want the credential's context", got)
	}

	regions := []string{"ap-southeast-1", "cn-east-3", "cn-north-4", "cn-south-1", "global"}
	for _, cmd := range [][]string{{"list", "--region", ""}, {"get", "x", "--region", ""}} {
		got, _ := c.complete(cmd...)
		if !slices.Equal(values(got), regions) {
			t.Errorf("%s = %q, want the cached regions %q", cmd, got, regions)
		}
	}
	if about := describedAs(t, c.mustComplete("list", "--region", ""), "cn-south-1"); about != "1 target" {
		t.Errorf("cn-south-1 described as %q", about)
	}
	if got := c.requestsSince(n); len(got) != 0 {
		t.Errorf("completion made %d requests to the cloud: %v", len(got), got)
	}
}

func (c *cli) mustComplete(args ...string) []string {
	c.t.Helper()
	got, _ := c.complete(args...)
	return got
}

func TestCompletionOfEveryEnumeratedFlag(t *testing.T) {
	c := newCLI(t, emulator.Options{}) // no cache: fixed values need none
	kubectl := []string{"table", "wide", "json", "yaml", "name", "jsonpath="}
	for _, tc := range []struct {
		args []string
		want []string
		dir  string
	}{
		{[]string{"list", "--kind", ""}, []string{"cce", "autopilot", "fleet"}, ":4"},
		{[]string{"list", "-o", ""}, kubectl, ":6"},
		{[]string{"list", "--output", "js"}, kubectl, ":6"}, // the shell filters
		{[]string{"status", "-o", ""}, append(slices.Clone(kubectl), "prometheus"), ":6"},
		{[]string{"status", "--within", ""}, windowChoices, ":4"},
		{[]string{"renew", "--within", ""}, windowChoices, ":4"},
		{[]string{"get", "x", "-o", ""}, append([]string{"text"}, kubectl...), ":6"},
		{[]string{"get", "x", "--context", ""}, []string{"auto", "internal", "external", "both"}, ":4"},
		{[]string{"get", "x", "--mode", ""}, []string{"inline", "exec"}, ":4"},
		{[]string{"get", "x", "--duration", ""}, durationChoices, ":4"},
		{[]string{"get", "x", "--expire-at", ""}, nil, ":4"},
		{[]string{"get", "x", "--vpc-id", ""}, nil, ":4"},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish"}, ":4"},
		{[]string{"emulator", "serve", "--inventory", ""}, []string{"demo"}, ":0"}, // or a file
		{[]string{"emulator", "serve", "--addr", ""}, []string{"127.0.0.1:0", "[::1]:0"}, ":4"},
		{[]string{"log", "-o", ""}, []string{"table", "json", "yaml", "jsonpath="}, ":6"},
		{[]string{"log", "--since", ""}, []string{"1h", "1d", "7d", "30d"}, ":4"},
		{[]string{"list", "--config", ""}, []string{"yaml", "yml"}, ":8"}, // files by extension
		{[]string{"status", "--kubeconfig", ""}, nil, ":0"},               // any file
		{[]string{"list", ""}, nil, ":4"},
		{[]string{"status", ""}, nil, ":4"},
		{[]string{"version", ""}, nil, ":4"},
		{[]string{"get", ""}, nil, ":4"},     // no cache yet: nothing, and no files
		{[]string{"revoke", ""}, nil, ":36"}, // likewise
		{[]string{"import", ""}, nil, ":0"},  // a file
		{[]string{"scan", ""}, nil, ":0"},    // kubeconfig files
	} {
		got, dir := c.complete(tc.args...)
		if !slices.Equal(values(got), tc.want) || dir != tc.dir {
			t.Errorf("__complete %q = %q %s, want %q %s", tc.args, got, dir, tc.want, tc.dir)
		}
	}
	if _, err := os.Stat(c.vars["XDG_DATA_HOME"]); !os.IsNotExist(err) {
		t.Errorf("completion without a cache created the data dir: %v", err)
	}
}
