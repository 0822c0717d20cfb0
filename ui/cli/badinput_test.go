package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ccecert/api/emulator"
)

// badCase is one wrong input: it must exit 1 with one line on stderr, make
// no request but those allowed, and change nothing.
type badCase struct {
	name  string
	args  []string
	env   map[string]string                 // overrides; "" deletes
	allow func(emulator.RequestRecord) bool // requests the input cannot be judged without
	files []string                          // more files that must stay as they were
	lines int                               // stderr lines; default 1
}

// listing allows the requests of an inventory refresh.
func listing(q emulator.RequestRecord) bool {
	return q.Method == "GET" && (q.Path == "/v3/auth/projects" || q.Path == "/v1/clustergroups" || strings.HasSuffix(q.Path, "/clusters"))
}

func TestCLIBadInput(t *testing.T) {
	c := newCLI(t, emulator.Options{Inventory: ambiguousInventory()})
	c.ok("list")
	c.fetch("prod-payments")
	c.clock.Freeze() // remaining_seconds stays put between snapshots
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	console := string(c.consoleKubeconfig("prod-gz", 5))
	masked := write("masked.json", strings.Replace(console, `"client-key-data":"`, `"client-key-data":"******`, 1))
	truncated := write("truncated.json", console[:len(console)/2])
	brokenKube := write("broken-kubeconfig", "apiVersion: v1\nclusters:\n- name: x\n  cluster: {server: https://x\n")
	notADir := write("plain-file", "not a directory\n")
	wrongSK := strings.Repeat("W", len(c.srv.SK))
	fleetOnly := func(q emulator.RequestRecord) bool {
		return strings.HasPrefix(q.Path, "/v3/auth/") || strings.HasSuffix(q.Path, "/kubeconfig")
	}
	oneCall := func(q emulator.RequestRecord) bool { return q.Status == 401 }

	cases := []badCase{
		{name: "unknown target", args: []string{"get", "no-such-cluster"}, allow: listing},
		{name: "ambiguous name", args: []string{"get", "prod-web"}, lines: 3},
		{name: "duration 0", args: []string{"get", "prod-payments", "--duration", "0"}},
		{name: "duration -2", args: []string{"get", "prod-payments", "--duration", "-2"}},
		{name: "duration 1828", args: []string{"get", "prod-payments", "--duration", "1828"}},
		{name: "duration abc", args: []string{"get", "prod-payments", "--duration", "abc"}},
		{name: "duration 20 digits", args: []string{"get", "prod-payments", "--duration", "12345678901234567890"}},
		{name: "duration 6y", args: []string{"get", "prod-payments", "--duration", "6y"}},
		{name: "expire-at in the past", args: []string{"get", "prod-payments", "--expire-at", "2020-01-01"}},
		{name: "expire-at not a time", args: []string{"get", "prod-payments", "--expire-at", "soon"}},
		{name: "duration and expire-at", args: []string{"get", "prod-payments", "--duration", "7d", "--expire-at", "2099-01-01"}},
		{name: "context other", args: []string{"get", "prod-payments", "--context", "public"}},
		{name: "context external without EIP", args: []string{"get", "ops-tools", "--context", "external"}},
		{name: "context both without EIP", args: []string{"get", "ops-tools", "--context", "both"}},
		{name: "mode other", args: []string{"get", "prod-payments", "--mode", "file"}},
		{name: "output other", args: []string{"get", "prod-payments", "-o", "xml"}},
		{name: "output bad jsonpath", args: []string{"get", "prod-payments", "-o", "jsonpath={.id"}},
		{name: "hibernated cluster", args: []string{"get", "analytics-hk"}},
		{name: "fleet without federation", args: []string{"get", "asia-batch"}},
		{name: "fleet with only --vpc-id", args: []string{"get", "global-prod", "--vpc-id", "v"}},
		{name: "fleet with an expiry date", args: []string{"get", "global-prod", "--expire-at", c.clock.Now().AddDate(0, 1, 0).Format(time.DateOnly)}},
		{name: "fleet without a connection or --vpc-id/--subnet-id", args: []string{"get", "global-prod"}, allow: fleetOnly},
		{name: "no AK", args: []string{"get", "prod-payments"}, env: map[string]string{"CLOUD_SDK_AK": ""}},
		{name: "no SK", args: []string{"list", "--refresh"}, env: map[string]string{"CLOUD_SDK_SK": ""}},
		{name: "wrong SK", args: []string{"get", "prod-payments"}, env: map[string]string{"CLOUD_SDK_SK": wrongSK}, allow: oneCall},
		{name: "wrong AK", args: []string{"list", "--refresh"}, env: map[string]string{"CLOUD_SDK_AK": "AKUNKNOWN0000000000"}, allow: oneCall},
		{name: "kubeconfig under a file", args: []string{"get", "prod-payments", "--kubeconfig", filepath.Join(notADir, "config")}, files: []string{notADir}},
		{name: "malformed target kubeconfig", args: []string{"get", "prod-payments", "--kubeconfig", brokenKube}, files: []string{brokenKube}},
		{name: "import missing file", args: []string{"import", filepath.Join(dir, "missing.json")}},
		{name: "import a directory", args: []string{"import", dir}},
		{name: "import masked kubeconfig", args: []string{"import", masked}, files: []string{masked}},
		{name: "import truncated kubeconfig", args: []string{"import", truncated}, files: []string{truncated}},
		{name: "revoke unknown credential", args: []string{"revoke", "ffffffff", "--yes"}},
		{name: "export unknown credential", args: []string{"export", "ffffffff"}},
		{name: "credential unknown", args: []string{"credential", "ffffffff"}},
		{name: "status within abc", args: []string{"status", "--within", "abc"}},
		{name: "status output other", args: []string{"status", "-o", "xml"}},
		{name: "status bad jsonpath", args: []string{"status", "-o", "jsonpath={.items[}"}},
		{name: "log since garbage", args: []string{"log", "--since", "garbage"}},
		{name: "renew within abc", args: []string{"renew", "--within", "3x"}},
		{name: "list kind other", args: []string{"list", "--kind", "vm"}},
		{name: "get without a target", args: []string{"get"}},
		{name: "unknown command", args: []string{"fetch", "prod-payments"}},
	}
	if os.Geteuid() != 0 { // root writes through file modes
		ro := filepath.Join(t.TempDir(), "ro")
		if err := os.Mkdir(ro, 0o500); err != nil {
			t.Fatal(err)
		}
		roFile := write("read-only-kubeconfig", "apiVersion: v1\nkind: Config\n")
		if err := os.Chmod(roFile, 0o400); err != nil {
			t.Fatal(err)
		}
		cases = append(cases,
			badCase{name: "kubeconfig in a read-only dir", args: []string{"get", "prod-payments", "--kubeconfig", filepath.Join(ro, "config")}},
			badCase{name: "read-only kubeconfig", args: []string{"get", "prod-payments", "--kubeconfig", roFile}, files: []string{roFile}})
	}
	for _, tc := range cases {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			c.t = t
			checkBad(t, c, tc)
		})
	}
}

// checkBad runs one bad case against c and checks what it left behind.
func checkBad(t *testing.T, c *cli, tc badCase) {
	before := c.snapshot()
	files := map[string]string{}
	for _, f := range tc.files {
		data, _ := os.ReadFile(f)
		files[f] = string(data)
	}
	saved := map[string]string{}
	for k, v := range tc.env {
		saved[k] = c.vars[k]
		c.vars[k] = v
	}
	n := c.logSettled() // a request of the case before is not this one's
	r := c.run(tc.args...)
	for k, v := range saved {
		c.vars[k] = v
	}
	for _, q := range c.requestsSince(n) {
		if tc.allow == nil || !tc.allow(q) {
			t.Errorf("request %s %s (%d) for input that is already wrong", q.Method, q.Path, q.Status)
		}
	}
	lines := strings.Split(strings.TrimRight(r.stderr, "\n"), "\n")
	want := max(tc.lines, 1)
	if r.code != 1 || len(lines) != want || !strings.HasPrefix(lines[0], "ccecert: ") || r.stdout != "" {
		t.Errorf("exit %d, want 1 with %d line(s) on stderr and nothing on stdout\nstdout:\n%s\nstderr:\n%s", r.code, want, r.stdout, r.stderr)
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "  ") {
			t.Errorf("stderr line %q is not a candidate", l)
		}
	}
	if len(lines[0]) > 400 {
		t.Errorf("message of %d characters is not short: %s", len(lines[0]), lines[0])
	}
	c.assertNoSecrets("stderr", r.stderr)
	if sk := tc.env["CLOUD_SDK_SK"]; sk != "" && strings.Contains(r.stderr, sk) {
		t.Errorf("stderr shows the SK given:\n%s", r.stderr)
	}
	assertUnchanged(t, strings.Join(tc.args, " "), before, c.snapshot())
	for f, data := range files {
		if now, _ := os.ReadFile(f); string(now) != data {
			t.Errorf("%s changed", f)
		}
	}
}
