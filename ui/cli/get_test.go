package cli

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"ccecert/api"
	"ccecert/api/emulator"
)

// near fails unless got is within a minute of want.
func near(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if d := got.Sub(want); d < -time.Minute || d > time.Minute {
		t.Errorf("%s = %s, want about %s", what, got.Format(time.RFC3339), want.Format(time.RFC3339))
	}
}

func TestCLIGetTextWritesTheKubeconfig(t *testing.T) {
	c := newDemoCLI(t)
	r := c.ok("get", "prod-payments")
	for _, want := range []string{"prod-payments-external", "TLS verified with the cluster CA", c.kubeconfig, "expires", "29d 23h"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("get output lacks %q:\n%s", want, r.stdout)
		}
	}
	if r.stderr != "" {
		t.Errorf("get wrote to stderr:\n%s", r.stderr)
	}
	c.assertNoSecrets("get output", r.stdout)
	c.assertNoSecrets("status output", c.ok("status", "--all", "-o", "json").stdout)
	kc := readKubeconfig(t, c.kubeconfig)
	ctx, ok := kc.Contexts["prod-payments-external"]
	if !ok {
		t.Fatalf("kubeconfig lacks prod-payments-external: %v", kc.Contexts)
	}
	cl, user := kc.Clusters[ctx.Cluster], kc.AuthInfos[ctx.AuthInfo]
	// The EIP's certificate is the cluster's, for the internal address: CA
	// plus tls-server-name, not CCE's insecure entry.
	if cl == nil || cl.InsecureSkipTLSVerify || len(cl.CertificateAuthorityData) == 0 || cl.TLSServerName != emulator.InternalHost ||
		!strings.HasPrefix(cl.Server, "https://"+emulator.EIPHost+":") {
		t.Errorf("external cluster entry = %+v", cl)
	}
	if user == nil || len(user.ClientCertificateData) == 0 || len(user.ClientKeyData) == 0 {
		t.Errorf("inline user entry lacks cert or key data")
	}
	if kc.CurrentContext != "prod-payments-external" {
		t.Errorf("current context %q after get; want the new one, as aws/gcloud/az do", kc.CurrentContext)
	}
	c.ok("get", "prod-web", "--no-use")
	if kc := readKubeconfig(t, c.kubeconfig); kc.CurrentContext != "prod-payments-external" {
		t.Errorf("get --no-use changed the current context to %q", kc.CurrentContext)
	}
	if c.statusAll()[0].Mode != "inline" {
		t.Error("default mode is not inline")
	}
}

func TestCLIGetJSONByIDBothContexts(t *testing.T) {
	c := newDemoCLI(t)
	pay := c.target("prod-payments")
	v := c.fetch(pay.ID, "--context", "both", "--duration", "7d")
	if v.Target.ID != pay.ID || v.Target.Name != "prod-payments" || v.Target.Kind != "cce" || v.Target.Region != "cn-north-4" {
		t.Errorf("target = %+v", v.Target)
	}
	if want := []string{"prod-payments-internal", "prod-payments-external"}; !slices.Equal(v.Contexts, want) {
		t.Errorf("contexts = %v, want %v", v.Contexts, want)
	}
	if v.Subject != c.srv.UserID || v.Source != "fetched" || v.Health != "ok" || v.Kubeconfig != c.kubeconfig {
		t.Errorf("credential = %+v", v)
	}
	near(t, "not_after", v.notAfter(t), time.Now().Add(7*24*time.Hour))
	kc := readKubeconfig(t, c.kubeconfig)
	for _, name := range v.Contexts {
		if _, ok := kc.Contexts[name]; !ok {
			t.Errorf("kubeconfig lacks %s", name)
		}
	}
}

func TestCLIGetDurations(t *testing.T) {
	c := newDemoCLI(t)
	now := time.Now()
	for _, tc := range []struct {
		arg  string
		want time.Time
	}{
		{"3", now.AddDate(0, 0, 3)},
		{"10d", now.AddDate(0, 0, 10)},
		{"2w", now.AddDate(0, 0, 14)},
		{"1y", now.AddDate(1, 0, 0)},
		{"max", now.AddDate(5, 0, 0)},
	} {
		v := c.fetch("prod-web", "--duration", tc.arg)
		near(t, "--duration "+tc.arg, v.notAfter(t), tc.want)
	}
	at := now.Add(48 * time.Hour).UTC().Truncate(time.Second)
	v := c.fetch("prod-web", "--expire-at", at.Format(time.RFC3339))
	if got := v.notAfter(t); !got.Equal(at) {
		t.Errorf("--expire-at %s: not_after %s", at.Format(time.RFC3339), got.Format(time.RFC3339))
	}
}

func TestCLIGetExecModeAndUse(t *testing.T) {
	c := newDemoCLI(t)
	v := c.fetch("prod-web", "--mode", "exec", "--use")
	kc := readKubeconfig(t, c.kubeconfig)
	if kc.CurrentContext != "prod-web-internal" {
		t.Errorf("--use: current-context = %q", kc.CurrentContext)
	}
	user := kc.AuthInfos[kc.Contexts["prod-web-internal"].AuthInfo]
	if user == nil || user.Exec == nil {
		t.Fatalf("exec mode wrote no exec user: %+v", user)
	}
	if len(user.ClientKeyData) != 0 || len(user.ClientCertificateData) != 0 {
		t.Error("exec mode left the key in the kubeconfig")
	}
	if got := user.Exec.Args; !slices.Equal(got, []string{"credential", v.ID}) || user.Exec.APIVersion != "client.authentication.k8s.io/v1" {
		t.Errorf("exec = %s %v (%s)", user.Exec.Command, got, user.Exec.APIVersion)
	}
	if v.Mode != "exec" {
		t.Errorf("mode = %q", v.Mode)
	}
}

func TestCLIGetQuietPrintsTheID(t *testing.T) {
	c := newDemoCLI(t)
	r := c.ok("-q", "get", "prod-web")
	id := strings.TrimSpace(r.stdout)
	if len(id) != 8 || c.credByID(id).Target.Name != "prod-web" {
		t.Errorf("-q get printed %q", r.stdout)
	}
}

func TestCLIGetLegacyWarnsOnce(t *testing.T) {
	c := newDemoCLI(t)
	r := c.run("get", "legacy-billing", "--duration", "7d", "-o", "json")
	if r.code != 0 {
		t.Fatalf("get legacy = exit %d: %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], "warning") || !strings.Contains(lines[0], "v1.13") {
		t.Errorf("legacy cluster: want one warning naming v1.13, got:\n%s", r.stderr)
	}
	var v jsonCred
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatal(err)
	}
	near(t, "legacy not_after (the cluster's own 365d)", v.notAfter(t), time.Now().AddDate(0, 0, 365))
	for _, q := range c.srv.Log() {
		if strings.HasSuffix(q.Path, "/clustercert") && q.Method != "GET" {
			t.Errorf("legacy cluster got a %s clustercert", q.Method)
		}
	}
}

func TestCLIGetAutopilot(t *testing.T) {
	c := newDemoCLI(t)
	v := c.fetch("serverless-api")
	if v.Target.Kind != "autopilot" || !slices.Equal(v.Contexts, []string{"serverless-api-external"}) {
		t.Errorf("autopilot credential = %+v", v)
	}
	log := c.srv.Log()
	if last := log[len(log)-1]; !strings.HasPrefix(last.Path, "/autopilot/v3/") || !strings.HasSuffix(last.Path, "/clustercert") {
		t.Errorf("autopilot cert from %s", last.Path)
	}
}

func TestCLIGetRefreshesOnceWhenUnknown(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	// Empty cache: the name is unknown, so the list is fetched once.
	v := c.fetch("prod-web")
	if v.Target.Name != "prod-web" {
		t.Fatalf("got %+v", v)
	}
	if n := countPath(c.srv.Log(), "/v3/auth/projects"); n != 1 {
		t.Errorf("an empty cache was listed %d times, want 1", n)
	}
	n := len(c.srv.Log())
	r := c.run("get", "no-such-cluster")
	oneLineError(t, "unknown target", r)
	since := c.requestsSince(n)
	if got := countPath(since, "/v3/auth/projects"); got != 1 {
		t.Errorf("an unknown name refreshed %d times, want once", got)
	}
	for _, q := range since {
		if strings.Contains(q.Path, "clustercert") || strings.HasSuffix(q.Path, "/cert") {
			t.Errorf("an unknown name reached %s", q.Path)
		}
	}
}

func countPath(log []emulator.RequestRecord, path string) int {
	n := 0
	for _, q := range log {
		if q.Path == path {
			n++
		}
	}
	return n
}

// ambiguousInventory is the demo plus a fleet named like a cluster.
func ambiguousInventory() *emulator.Inventory {
	inv := emulator.DemoInventory()
	inv.Fleets = append(inv.Fleets, emulator.Fleet{Name: "prod-web", Federation: true, Auth: emulator.FleetAuthCert, Members: []string{"prod-web"}})
	return inv
}

func TestCLIGetAmbiguousNameAsksForRegion(t *testing.T) {
	c := newCLI(t, emulator.Options{Inventory: ambiguousInventory()})
	c.ok("list")
	n := len(c.srv.Log())
	r := c.run("get", "prod-web")
	if r.code != 1 {
		t.Fatalf("ambiguous name = exit %d", r.code)
	}
	lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "--region") || !strings.Contains(r.stderr, "cn-north-4") || !strings.Contains(r.stderr, "global") {
		t.Errorf("ambiguous name: want the message and both candidates, got:\n%s", r.stderr)
	}
	if got := len(c.requestsSince(n)); got != 0 {
		t.Errorf("ambiguous name made %d requests", got)
	}
	v := c.fetch("prod-web", "--region", "cn-north-4")
	if v.Target.Kind != "cce" {
		t.Errorf("--region cn-north-4 picked %+v", v.Target)
	}
}

func TestCLIGetFleet(t *testing.T) {
	c := newDemoCLI(t)
	var vpc, subnet string
	for _, p := range c.srv.Inventory().Projects {
		if p.Name == "cn-north-4" {
			vpc, subnet = p.VPCs[0].ID, p.VPCs[0].Subnets[0].ID
		}
	}
	v := c.fetch("global-prod", "--vpc-id", vpc, "--subnet-id", subnet)
	if v.Target.Kind != "fleet" || !slices.Equal(v.Contexts, []string{"global-prod-federation"}) {
		t.Errorf("fleet credential = %+v", v)
	}
	// The connection exists now: a second fetch downloads from it.
	n := len(c.srv.Log())
	c.fetch("global-prod")
	var paths []string
	for _, q := range c.requestsSince(n) {
		paths = append(paths, q.Method+" "+q.Path)
	}
	if !slices.ContainsFunc(paths, func(p string) bool { return strings.HasSuffix(p, "/kubeconfig") }) {
		t.Errorf("second fleet fetch did not use the existing connection: %v", paths)
	}
}

// TestCLIGetEIPInCustomSANsIsVerifiedWithTheCAAlone: a cluster whose EIP
// is in its custom SANs gets an external context with the CA only: no
// skip flag, no tls-server-name.
func TestCLIGetEIPInCustomSANsIsVerifiedWithTheCAAlone(t *testing.T) {
	c := newDemoCLI(t)
	c.ok("get", "dev-sandbox")
	kc := readKubeconfig(t, c.kubeconfig)
	ctx, ok := kc.Contexts["dev-sandbox-external"]
	if !ok {
		t.Fatalf("kubeconfig lacks dev-sandbox-external: %v", kc.Contexts)
	}
	cl := kc.Clusters[ctx.Cluster]
	if cl == nil || cl.InsecureSkipTLSVerify || len(cl.CertificateAuthorityData) == 0 || cl.TLSServerName != "" ||
		!strings.HasPrefix(cl.Server, "https://"+emulator.EIPHost+":") {
		t.Errorf("external cluster entry = %+v; want the CA alone", cl)
	}
	var views []credView
	if err := json.Unmarshal([]byte(c.ok("status", "-o", "json").stdout), &views); err != nil || len(views) != 1 ||
		len(views[0].TLS) != 1 || views[0].TLS[0].TLS != api.TLSVerified || views[0].TLS[0].TLSServerName != "" {
		t.Errorf("status -o json tls = %+v (%v); want one verified context", views, err)
	}
}
