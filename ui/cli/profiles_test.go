package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"ccecert/api/emulator"
)

// twoAccounts is one emulator serving two accounts on two sites through
// the real host names, each with a cluster named prod in its own region
// (and the first with one more): the same name under two profiles.
const twoAccounts = `
domain: {name: acme}
user: {name: ops}
projects: [{name: cn-north-4}]
clusters:
  - {name: prod, project: cn-north-4, kind: cce, version: v1.31, phase: Available, eip: true}
  - {name: web, project: cn-north-4, kind: cce, version: v1.31, phase: Available}
accounts:
  - site: huaweicloud-eu
    domain: {name: acme-eu}
    user: {name: ops-eu}
    projects: [{name: eu-west-101}]
    clusters:
      - {name: prod, project: eu-west-101, kind: cce, version: v1.31, phase: Available, eip: true}
`

// profilesConfig names the two accounts as profiles, both reading the
// keys from the environment (the env source).
const profilesConfig = `
profiles:
  - name: default
    source: {type: env}
  - name: eu
    site: huaweicloud-eu
    source: {type: env}
`

// newProfilesCLI is an installation with the two accounts behind the
// emulator's proxy and the profiles config in the default place. It
// returns the eu account's server.
func newProfilesCLI(t *testing.T) (*cli, *emulator.Server) {
	t.Helper()
	inv, err := emulator.LoadInventory([]byte(twoAccounts))
	if err != nil {
		t.Fatal(err)
	}
	c := newCLI(t, emulator.Options{Inventory: inv, Proxy: true})
	delete(c.vars, "CCECERT_ENDPOINT")
	c.vars["HTTPS_PROXY"] = c.srv.ProxyURL
	cfg := filepath.Join(c.vars["XDG_CONFIG_HOME"], "ccecert", "config.yaml")
	if err := os.MkdirAll(filepath.Dir(cfg), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg, []byte(profilesConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	return c, c.srv.Accounts()[0]
}

// useKeys puts an account's keys in the environment (the env source).
func (c *cli) useKeys(s *emulator.Server) {
	c.vars["CLOUD_SDK_AK"], c.vars["CLOUD_SDK_SK"] = s.AK, s.SK
}

type jsonTarget struct {
	Profile, Name, Region string
}

func (c *cli) listed(args ...string) []jsonTarget {
	c.t.Helper()
	r := c.ok(append(args, "list", "-o", "json")...)
	var out []jsonTarget
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		c.t.Fatalf("list -o json: %v\n%s", err, r.stdout)
	}
	return out
}

type jsonProfiled struct {
	ID, Profile string
	Contexts    []string
}

func (c *cli) statusProfiles(args ...string) []jsonProfiled {
	c.t.Helper()
	r := c.run(append(args, "status", "-o", "json")...)
	var out []jsonProfiled
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		c.t.Fatalf("status -o json = exit %d: %v\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	return out
}

// TestCLIProfilesTwoAccounts: --profile (and CCECERT_PROFILE) switch
// between two accounts in one emulator; each one's inventory is its own
// and labelled; status shows both; the same cluster name never gives
// clashing contexts; another profile's credential is never renewed with
// this profile's keys.
func TestCLIProfilesTwoAccounts(t *testing.T) {
	c, eu := newProfilesCLI(t)

	def := c.fetch("prod", "--duration", "30d")
	if got := c.listed(); len(got) != 2 || got[0].Profile != "default" || got[0].Region != "cn-north-4" || got[1].Name != "web" {
		t.Fatalf("default profile's list: %+v", got)
	}

	c.useKeys(eu)
	euCred := c.fetch("--profile", "eu", "prod", "--duration", "30d")
	if got := c.listed("--profile", "eu"); len(got) != 1 || got[0].Profile != "eu" || got[0].Region != "eu-west-101" {
		t.Fatalf("eu profile's list: %+v", got)
	}
	c.vars[EnvProfile] = "eu" // the variable picks it too
	if got := c.listed(); len(got) != 1 || got[0].Profile != "eu" {
		t.Fatalf("CCECERT_PROFILE=eu list: %+v", got)
	}
	delete(c.vars, EnvProfile)

	// The two prods' contexts do not clash: the profile joins the name.
	if def.Contexts[0] != "prod-external" || euCred.Contexts[0] != "prod-eu-external" {
		t.Fatalf("contexts: default %v, eu %v", def.Contexts, euCred.Contexts)
	}
	kube := readKubeconfig(t, c.kubeconfig)
	a, b := kube.Contexts["prod-external"], kube.Contexts["prod-eu-external"]
	if a == nil || b == nil || a.AuthInfo == b.AuthInfo || kube.Clusters[a.Cluster].Server == kube.Clusters[b.Cluster].Server {
		t.Fatalf("the two prods share entries: %+v %+v", a, b)
	}

	// status covers every profile by default, --profile narrows it.
	all := c.statusProfiles()
	profiles := map[string]string{}
	for _, v := range all {
		profiles[v.ID] = v.Profile
	}
	if len(all) != 2 || profiles[def.ID] != "default" || profiles[euCred.ID] != "eu" {
		t.Fatalf("status: %+v", all)
	}
	if only := c.statusProfiles("--profile", "eu"); len(only) != 1 || only[0].ID != euCred.ID {
		t.Fatalf("status --profile eu: %+v", only)
	}
	table := c.run("status").stdout
	if !strings.Contains(table, "PROFILE") || !strings.Contains(table, " eu ") || !strings.Contains(table, " default ") {
		t.Fatalf("status table has no PROFILE column:\n%s", table)
	}

	// The eu credential is renewed only under its own profile.
	before := c.snapshot()
	r := c.run("renew", euCred.ID, "--yes")
	if r.code == 0 || !strings.Contains(r.stderr, "belongs to profile eu, not default; run it with --profile eu") {
		t.Fatalf("renew of eu's credential under default: exit %d\n%s", r.code, r.stderr)
	}
	r = c.run("revoke", euCred.ID, "--yes")
	if r.code == 0 || !strings.Contains(r.stderr, "run it with --profile eu") {
		t.Fatalf("revoke of eu's credential under default: exit %d\n%s", r.code, r.stderr)
	}
	assertUnchanged(t, "renew and revoke under the wrong profile", before, c.snapshot())
	c.ok("--profile", "eu", "renew", euCred.ID, "--yes")
}

// TestCLIProfilesCommand: `ccecert profiles` lists each profile's source
// and checks its keys with one IAM call each: with the eu account's keys
// in the environment, eu works and default does not.
func TestCLIProfilesCommand(t *testing.T) {
	c, eu := newProfilesCLI(t)
	c.useKeys(eu)
	n := len(c.srv.Log())
	r := c.ok("--profile", "eu", "profiles", "-o", "json")
	var views []profileView
	if err := json.Unmarshal([]byte(r.stdout), &views); err != nil {
		t.Fatal(err, r.stdout)
	}
	if len(views) != 2 || views[0].Name != "default" || views[1].Name != "eu" {
		t.Fatalf("profiles: %+v", views)
	}
	d, e := views[0], views[1]
	if d.Current || !e.Current || e.Site != "huaweicloud-eu" || e.Source != "env" {
		t.Fatalf("profiles: %+v", views)
	}
	if e.Check.State != "ok" || e.Check.Projects != 1 || d.Check.State != "failed" || d.Check.Error == "" || strings.Contains(d.Check.Error, "\n") {
		t.Fatalf("checks: default %+v, eu %+v", d.Check, e.Check)
	}
	c.assertNoSecrets("profiles -o json", r.stdout+r.stderr)
	if calls := len(c.requestsSince(n)) + len(eu.Log()); calls > 4 {
		t.Errorf("%d requests for two checks", calls)
	}
	table := c.ok("profiles", "--no-check").stdout
	if !strings.Contains(table, "CURRENT") || !strings.Contains(table, "skipped") || !strings.Contains(table, "huaweicloud-eu") {
		t.Fatalf("profiles table:\n%s", table)
	}
}

// TestCLIProfilesBadInput: an unknown profile and a profile with no
// source are one line that names the profile and the fix; nothing changes.
func TestCLIProfilesBadInput(t *testing.T) {
	c, _ := newProfilesCLI(t)
	c.fetch("prod", "--duration", "30d")
	before := c.snapshot()
	r := c.run("--profile", "nope", "status")
	oneLineError(t, "unknown profile", r)
	if !strings.Contains(r.stderr, `no profile "nope"`) || !strings.Contains(r.stderr, "default, eu") {
		t.Errorf("unknown profile: %s", r.stderr)
	}
	c.vars[EnvProfile] = "nope"
	oneLineError(t, "unknown CCECERT_PROFILE", c.run("list"))
	delete(c.vars, EnvProfile)
	assertUnchanged(t, "an unknown profile", before, c.snapshot())

	cfg := filepath.Join(c.vars["XDG_CONFIG_HOME"], "ccecert", "config.yaml")
	good, _ := os.ReadFile(cfg)
	if err := os.WriteFile(cfg, []byte("profiles:\n  - name: default\n    source: {type: env}\n  - name: eu\n    site: huaweicloud-eu\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"status"}, {"--profile", "eu", "get", "prod"}, {"profiles"}} {
		r := c.run(args...)
		oneLineError(t, "profile without a source", r)
		if !strings.Contains(r.stderr, `profile "eu": no credential source`) || !strings.Contains(r.stderr, "source: {type: env}") {
			t.Errorf("%v: %s", args, r.stderr)
		}
	}
	_ = os.WriteFile(cfg, good, 0o600)
	assertUnchanged(t, "a profile with no source", before, c.snapshot())
	if !slices.Contains(readKubeconfigNames(t, c.kubeconfig), "prod-external") {
		t.Fatal("the kubeconfig lost its context")
	}
}

func readKubeconfigNames(t *testing.T, path string) []string {
	var out []string
	for name := range readKubeconfig(t, path).Contexts {
		out = append(out, name)
	}
	return out
}

// TestCLIProfilesImportRecordsTheProfile: a console download imported
// under a profile is that profile's, renewed with its keys.
func TestCLIProfilesImportRecordsTheProfile(t *testing.T) {
	c := newDemoCLI(t)
	cfg := c.writeConfig("profiles:\n  - {name: default, source: {type: env}}\n  - {name: ops, source: {type: env}}\n")
	file := filepath.Join(t.TempDir(), "prod-payments-kubeconfig.json")
	if err := os.WriteFile(file, c.consoleKubeconfig("prod-payments", 30), 0o600); err != nil {
		t.Fatal(err)
	}
	c.ok("--config", cfg, "--profile", "ops", "list")
	c.ok("--config", cfg, "--profile", "ops", "import", file)
	got := c.statusProfiles("--config", cfg)
	if len(got) != 1 || got[0].Profile != "ops" {
		t.Fatalf("imported under ops: %+v", got)
	}
	if r := c.run("--config", cfg, "renew", got[0].ID, "--yes"); r.code == 0 || !strings.Contains(r.stderr, "belongs to profile ops") {
		t.Fatalf("renew under default: exit %d %s", r.code, r.stderr)
	}
	c.ok("--config", cfg, "--profile", "ops", "renew", got[0].ID, "--yes")
}

// TestCLIProfilesCompletion: --profile completes the config's profiles.
func TestCLIProfilesCompletion(t *testing.T) {
	c, _ := newProfilesCLI(t)
	r := c.ok("__complete", "status", "--profile", "")
	if !strings.Contains(r.stdout, "default\neu\n") {
		t.Fatalf("completion:\n%s", r.stdout)
	}
}

// TestCLIProfilesExecModeNamesTheProfile: an exec-mode kubeconfig of a
// profile other than default runs the plugin under that profile, so an
// auto-renewal uses its keys.
func TestCLIProfilesExecModeNamesTheProfile(t *testing.T) {
	c, eu := newProfilesCLI(t)
	c.useKeys(eu)
	v := c.fetch("--profile", "eu", "prod", "--mode", "exec")
	user := readKubeconfig(t, c.kubeconfig).AuthInfos["ccecert-prod"]
	if user == nil || user.Exec == nil {
		t.Fatalf("no exec user entry: %+v", readKubeconfig(t, c.kubeconfig).AuthInfos)
	}
	args := strings.Join(user.Exec.Args, " ")
	if !strings.Contains(args, "--profile eu credential "+v.ID) {
		t.Fatalf("exec args %q", args)
	}
	if r := c.ok(user.Exec.Args...); !strings.Contains(r.stdout, "ExecCredential") {
		t.Fatalf("plugin output: %s", r.stdout)
	}
}

// TestCLIProfilesCompletionOffersTheProfilesTargets: TARGET completion
// offers the profile's own targets only.
func TestCLIProfilesCompletionOffersTheProfilesTargets(t *testing.T) {
	c, eu := newProfilesCLI(t)
	c.ok("list")
	c.useKeys(eu)
	c.ok("--profile", "eu", "list")
	def := c.ok("__complete", "get", "").stdout
	euc := c.ok("__complete", "--profile", "eu", "get", "").stdout
	if !strings.Contains(def, "web\t") || !strings.Contains(euc, "prod\tcce in eu-west-101") || strings.Contains(euc, "web") {
		t.Fatalf("default:\n%s\neu:\n%s", def, euc)
	}
}
