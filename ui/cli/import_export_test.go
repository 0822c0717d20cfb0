package cli

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"sigs.k8s.io/yaml"

	"ccecert/api/emulator"
)

func TestCLIImportConsoleDownload(t *testing.T) {
	c := newDemoCLI(t)
	file := filepath.Join(t.TempDir(), "prod-payments-kubeconfig.json")
	if err := os.WriteFile(file, c.consoleKubeconfig("prod-payments", 30), 0o600); err != nil {
		t.Fatal(err)
	}
	n := len(c.srv.Log())
	r := c.ok("import", file)
	if !strings.HasPrefix(r.stdout, "imported ") || !strings.Contains(r.stdout, "prod-payments-internal") || !strings.Contains(r.stdout, "prod-payments-external") {
		t.Errorf("import output:\n%s", r.stdout)
	}
	if got := len(c.requestsSince(n)); got != 0 {
		t.Errorf("import made %d requests", got)
	}
	all := c.statusAll()
	if len(all) != 1 || all[0].Source != "imported" || all[0].Target.ID != c.target("prod-payments").ID || all[0].Health != "ok" {
		t.Fatalf("after import: %+v", all)
	}
	kc := readKubeconfig(t, c.kubeconfig)
	if _, ok := kc.Contexts["prod-payments-internal"]; !ok {
		t.Errorf("import did not merge the contexts: %v", kc.Contexts)
	}
	if r := c.ok("import", file); !strings.HasPrefix(r.stdout, "already known "+all[0].ID) {
		t.Errorf("second import:\n%s", r.stdout)
	}

	// YAML on stdin.
	y, err := yaml.JSONToYAML(c.consoleKubeconfig("prod-web", 10))
	if err != nil {
		t.Fatal(err)
	}
	r = c.runIn(bytes.NewReader(y), "import", "-")
	if r.code != 0 || !strings.Contains(r.stdout, "prod-web-internal") {
		t.Errorf("import - = exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestCLIScanRecordsClientCerts(t *testing.T) {
	c := newDemoCLI(t)
	// A kubeconfig from elsewhere, with a certificate ccecert never saw.
	file := filepath.Join(t.TempDir(), "team.yaml")
	if err := os.WriteFile(file, c.consoleKubeconfig("prod-gz", 20), 0o600); err != nil {
		t.Fatal(err)
	}
	r := c.ok("scan", file)
	if !strings.Contains(r.stdout, "scanned") || !strings.Contains(r.stdout, "19d 23h") {
		t.Errorf("scan table:\n%s", r.stdout)
	}
	all := c.statusAll()
	if len(all) != 1 || all[0].Source != "scanned" || all[0].Kubeconfig != file {
		t.Fatalf("after scan: %+v", all)
	}

	// Default: $KUBECONFIG.
	v := c.fetch("prod-web")
	r = c.ok("scan")
	if !strings.Contains(r.stdout, v.ID) {
		t.Errorf("scan of $KUBECONFIG lacks %s:\n%s", v.ID, r.stdout)
	}

	r = c.run("scan", filepath.Join(t.TempDir(), "missing"))
	if r.code != 1 || !strings.Contains(r.stderr, "missing") {
		t.Errorf("scan of a missing file = exit %d:\n%s", r.code, r.stderr)
	}

	// A kubeconfig without client certificates: said so, not an error, and
	// scan does not suggest running scan.
	empty := filepath.Join(t.TempDir(), "empty.yaml")
	if err := os.WriteFile(empty, []byte("apiVersion: v1\nkind: Config\nclusters: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r = c.run("scan", empty)
	if r.code != 0 || r.stdout != "" || !strings.Contains(r.stderr, "no client certificates in "+empty) || strings.Contains(r.stderr, "ccecert scan") {
		t.Errorf("scan of a file without certificates = exit %d:\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// exported parses an exported kubeconfig and checks it stands alone.
func exported(t *testing.T, data []byte, wantContext string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "exported")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	kc := readKubeconfig(t, path)
	if len(kc.Contexts) != 1 || kc.CurrentContext != wantContext || kc.Contexts[wantContext] == nil {
		t.Fatalf("export: contexts %v, current %q; want only %s", kc.Contexts, kc.CurrentContext, wantContext)
	}
	u := kc.AuthInfos[kc.Contexts[wantContext].AuthInfo]
	if u == nil || u.Exec != nil {
		t.Fatalf("export user is not inline: %+v", u)
	}
	if _, err := tls.X509KeyPair(u.ClientCertificateData, u.ClientKeyData); err != nil {
		t.Errorf("exported cert and key do not pair: %v", err)
	}
}

func TestCLIExport(t *testing.T) {
	c := newDemoCLI(t)
	v := c.fetch("prod-payments", "--context", "both", "--mode", "exec")
	r := c.ok("export", v.ID)
	exported(t, []byte(r.stdout), "prod-payments-internal") // TLS-verifying: preferred
	r = c.ok("export", v.ID, "--context", "prod-payments-external")
	exported(t, []byte(r.stdout), "prod-payments-external")

	file := filepath.Join(t.TempDir(), "out.yaml")
	c.ok("export", v.ID, "--file", file)
	fi, err := os.Stat(file)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("export --file: %v, mode %v", err, fi.Mode())
	}
	first, _ := os.ReadFile(file)
	exported(t, first, "prod-payments-internal")
	oneLineError(t, "export over an existing file", c.run("export", v.ID, "--file", file))
	if again, _ := os.ReadFile(file); !bytes.Equal(again, first) {
		t.Error("a refused export changed the file")
	}
	r = c.run("export", v.ID, "--context", "nope")
	oneLineError(t, "export of an unknown context", r)
	c.assertNoSecrets("export error", r.stderr)
}

func TestCLICredentialExecPlugin(t *testing.T) {
	c := newDemoCLI(t)
	v := c.fetch("prod-web", "--mode", "exec", "--duration", "2")
	r := c.ok("credential", v.ID)
	var ec struct {
		APIVersion, Kind string
		Status           struct {
			ExpirationTimestamp   time.Time
			ClientCertificateData string
			ClientKeyData         string
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &ec); err != nil {
		t.Fatalf("ExecCredential: %v\n%s", err, r.stdout)
	}
	if ec.APIVersion != "client.authentication.k8s.io/v1" || ec.Kind != "ExecCredential" {
		t.Errorf("apiVersion/kind = %s/%s", ec.APIVersion, ec.Kind)
	}
	if !ec.Status.ExpirationTimestamp.Equal(v.notAfter(t)) {
		t.Errorf("expirationTimestamp %s, not_after %s", ec.Status.ExpirationTimestamp, *v.NotAfter)
	}
	if _, err := tls.X509KeyPair([]byte(ec.Status.ClientCertificateData), []byte(ec.Status.ClientKeyData)); err != nil {
		t.Errorf("ExecCredential cert and key: %v", err)
	}

	c.clock.Advance(3 * 24 * time.Hour)
	r = c.run("credential", v.ID)
	oneLineError(t, "expired credential", r)
	if r.stdout != "" || !strings.Contains(r.stderr, "ccecert renew") {
		t.Errorf("expired: stdout %q, stderr %q", r.stdout, r.stderr)
	}
	c.clock.Advance(-3 * 24 * time.Hour)
	c.ok("revoke", v.ID, "--yes")
	r = c.run("credential", v.ID)
	oneLineError(t, "revoked credential", r)
	if r.stdout != "" || !strings.Contains(r.stderr, "ccecert get prod-web") {
		t.Errorf("revoked: stdout %q, stderr %q", r.stdout, r.stderr)
	}
}

func TestCLICompletionAndVersion(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	for _, shell := range []string{"bash", "zsh", "fish"} {
		r := c.ok("completion", shell)
		if !strings.Contains(r.stdout, "ccecert") || len(r.stdout) < 200 {
			t.Errorf("completion %s:\n%.300s", shell, r.stdout)
		}
	}
	oneLineError(t, "completion tcsh", c.run("completion", "tcsh"))
	if r := c.ok("version"); !strings.HasPrefix(r.stdout, "ccecert "+testDeps.Version+"\n") {
		t.Errorf("version = %q", r.stdout)
	}
	if len(c.srv.Log()) != 0 {
		t.Error("completion or version talked to the cloud")
	}
}

func TestCLIGlobalFlagsOnEveryCommand(t *testing.T) {
	root := newRootCmd(env{getenv: func(string) string { return "" }, now: time.Now, deps: testDeps})
	cmds := append(root.Commands(), root)
	if len(cmds) < 12 {
		t.Fatalf("only %d commands", len(cmds))
	}
	for _, cmd := range cmds {
		for _, name := range []string{"config", "kubeconfig", "demo", "no-color", "quiet"} {
			if cmd.Flag(name) == nil {
				t.Errorf("%s has no --%s", cmd.CommandPath(), name)
			}
		}
		if f := cmd.Flag("quiet"); f != nil && f.Shorthand != "q" {
			t.Errorf("%s: --quiet has no -q", cmd.CommandPath())
		}
	}
	// And they parse after the command name, as scripts write them.
	c := newDemoCLI(t)
	cfg := c.writeConfig("duration: 3d\n")
	other := filepath.Join(t.TempDir(), "kube")
	r := c.ok("get", "prod-web", "--config", cfg, "--kubeconfig", other, "--no-color", "-q")
	id := strings.TrimSpace(r.stdout)
	v := c.credByID(id)
	if v.Kubeconfig != other {
		t.Errorf("--kubeconfig: written to %s", v.Kubeconfig)
	}
	near(t, "--config duration 3d", v.notAfter(t), time.Now().AddDate(0, 0, 3))
}
