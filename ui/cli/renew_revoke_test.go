package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// userCert is the client certificate data of a context's user entry.
func userCert(t *testing.T, kubeconfig, context string) string {
	t.Helper()
	kc := readKubeconfig(t, kubeconfig)
	ctx, ok := kc.Contexts[context]
	if !ok {
		t.Fatalf("%s has no context %s", kubeconfig, context)
	}
	return string(kc.AuthInfos[ctx.AuthInfo].ClientCertificateData)
}

func TestCLIRenewWithinDryRunAndYes(t *testing.T) {
	c := newDemoCLI(t)
	web := c.fetch("prod-web", "--duration", "1")
	pay := c.fetch("prod-payments", "--duration", "1", "--context", "both")
	keep := c.fetch("serverless-api", "--duration", "30")
	oldCert := userCert(t, c.kubeconfig, "prod-payments-internal")

	before := c.snapshot()
	n := len(c.srv.Log())
	r := c.ok("renew", "--within", "2d", "--dry-run")
	if !strings.Contains(r.stdout, "2 credentials to renew, most urgent first:") || !strings.Contains(r.stdout, web.ID) || !strings.Contains(r.stdout, pay.ID) || strings.Contains(r.stdout, keep.ID) {
		t.Errorf("dry run:\n%s", r.stdout)
	}
	r = c.ok("renew", "--within", "40d", "--dry-run")
	if i := strings.Index(r.stdout, keep.ID); !strings.Contains(r.stdout, "3 credentials") || i < strings.Index(r.stdout, web.ID) || i < strings.Index(r.stdout, pay.ID) {
		t.Errorf("dry run within 40d, the 30-day credential is not listed last:\n%s", r.stdout)
	}
	// Without --yes and without a terminal, nothing happens.
	oneLineError(t, "renew without --yes", c.run("renew", "--within", "2d"))
	if got := len(c.requestsSince(n)); got != 0 {
		t.Errorf("dry run and refused renew made %d requests", got)
	}
	assertUnchanged(t, "renew --dry-run", before, c.snapshot())

	r = c.ok("renew", "--within", "2d", "--yes")
	if !strings.HasPrefix(r.stdout, "OLD") || strings.Count(r.stdout, "renewed") != 2 {
		t.Errorf("renew table:\n%s", r.stdout)
	}
	all := c.statusAll()
	replaced, live := 0, map[string]jsonCred{}
	for _, v := range all {
		switch v.Health {
		case "replaced":
			replaced++
			if v.ID != web.ID && v.ID != pay.ID {
				t.Errorf("%s (%s) was replaced", v.ID, v.Target.Name)
			}
		default:
			live[v.Target.Name] = v
		}
	}
	if replaced != 2 || len(live) != 3 || live["serverless-api"].ID != keep.ID {
		t.Fatalf("after renew: %d replaced, live %v", replaced, live)
	}
	np := live["prod-payments"]
	if !slices.Equal(np.Contexts, pay.Contexts) || np.Kubeconfig != c.kubeconfig || np.Mode != pay.Mode {
		t.Errorf("renewal contexts/kubeconfig/mode = %v/%s/%s, want %v/%s/%s", np.Contexts, np.Kubeconfig, np.Mode, pay.Contexts, c.kubeconfig, pay.Mode)
	}
	near(t, "renewed not_after (the original 1 day)", np.notAfter(t), time.Now().Add(24*time.Hour))
	if !strings.Contains(r.stdout, np.ID) {
		t.Errorf("table lacks the new id %s:\n%s", np.ID, r.stdout)
	}
	if userCert(t, c.kubeconfig, "prod-payments-internal") == oldCert {
		t.Error("the kubeconfig entry still holds the old certificate")
	}
	kc := readKubeconfig(t, c.kubeconfig)
	if len(kc.Contexts) != 4 {
		t.Errorf("renew added or dropped contexts: %v", slices.Collect(mapKeys(kc.Contexts)))
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func TestCLIRenewDefaultIsWarningOrWorse(t *testing.T) {
	c := newDemoCLI(t)
	short := c.fetch("prod-web", "--duration", "30")
	long := c.fetch("prod-payments", "--duration", "365")
	if r := c.ok("renew", "--yes"); !strings.Contains(r.stdout, "nothing needs renewing") {
		t.Errorf("renew with all ok:\n%s", r.stdout)
	}
	c.clock.Advance(25 * 24 * time.Hour) // prod-web: warning; prod-payments: ok
	r := c.ok("renew", "--yes")
	if !strings.Contains(r.stdout, short.ID) || strings.Contains(r.stdout, long.ID) {
		t.Errorf("renew picked the wrong credentials:\n%s", r.stdout)
	}
	if h := c.credByID(short.ID).Health; h != "replaced" {
		t.Errorf("renewed credential is %s, want replaced", h)
	}
}

func TestCLIRenewFailureNamesEachFailed(t *testing.T) {
	c := newDemoCLI(t)
	good := c.fetch("prod-web", "--duration", "1")
	other := filepath.Join(t.TempDir(), "other-kubeconfig")
	bad := c.fetch("prod-payments", "--duration", "1", "--kubeconfig", other)
	// The second credential's kubeconfig is damaged: its renewal fails.
	if err := os.WriteFile(other, []byte("apiVersion: v1\nclusters: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := c.run("renew", "--within", "2d", "--yes")
	if r.code != 1 {
		t.Fatalf("renew with a failure = exit %d, want 1\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, bad.ID) || strings.Contains(r.stderr, good.ID) || !strings.Contains(r.stderr, "1 of 2") {
		t.Errorf("stderr must name the failed one only:\n%s", r.stderr)
	}
	if !strings.Contains(r.stdout, "failed") || !strings.Contains(r.stdout, "renewed") {
		t.Errorf("table:\n%s", r.stdout)
	}
	if c.credByID(good.ID).Health != "replaced" || c.credByID(bad.ID).Health == "replaced" {
		t.Error("the good one must be renewed, the bad one left as it was")
	}
	c.assertNoSecrets("renew output", r.stdout+r.stderr)
}

func TestCLIRevokeRefusesWithoutYesOffTerminal(t *testing.T) {
	c := newDemoCLI(t)
	v := c.fetch("prod-web")
	before := c.snapshot()
	n := len(c.srv.Log())
	r := c.run("revoke", v.ID)
	oneLineError(t, "revoke without --yes", r)
	if !strings.Contains(r.stderr, "--yes") {
		t.Errorf("the refusal does not say to pass --yes: %s", r.stderr)
	}
	if got := len(c.requestsSince(n)); got != 0 {
		t.Errorf("refused revoke made %d requests", got)
	}
	assertUnchanged(t, "refused revoke", before, c.snapshot())
}

func TestCLIRevokeEveryCertOfTheUser(t *testing.T) {
	c := newDemoCLI(t)
	ext := c.fetch("prod-payments")                         // prod-payments-external
	in := c.fetch("prod-payments", "--context", "internal") // the same user, another cert
	other := c.fetch("prod-web")                            // another cluster
	r := c.ok("revoke", "prod-payments-internal", "--yes")  // by context name
	for _, want := range []string{ext.ID, in.ID, c.srv.UserID, "prod-payments-external", "prod-payments-internal", "(backup: " + c.kubeconfig + ".bak)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("revoke output lacks %q:\n%s", want, r.stdout)
		}
	}
	if n := countPath(c.srv.Log(), "/api/v3/projects/"+c.target("prod-payments").ProjectID+"/clusters/"+c.target("prod-payments").ID+"/clustercertrevoke"); n != 1 {
		t.Errorf("%d revoke calls, want 1", n)
	}
	for id, want := range map[string]string{ext.ID: "revoked", in.ID: "revoked", other.ID: "ok"} {
		if h := c.credByID(id).Health; h != want {
			t.Errorf("%s is %s, want %s", id, h, want)
		}
	}
	kc := readKubeconfig(t, c.kubeconfig)
	for name := range kc.Contexts {
		if strings.HasPrefix(name, "prod-payments") {
			t.Errorf("context %s is still in the kubeconfig", name)
		}
	}
	if _, ok := kc.Contexts["prod-web-internal"]; !ok {
		t.Error("revoke removed another cluster's context")
	}
	bak := readKubeconfig(t, c.kubeconfig+".bak")
	if _, ok := bak.Contexts["prod-payments-external"]; !ok {
		t.Errorf("no backup with the removed contexts: %v", slices.Collect(mapKeys(bak.Contexts)))
	}
	oneLineError(t, "revoke again", c.run("revoke", ext.ID, "--yes"))
}

// TestCLIRevokeLeavesTheOperatorsContext: a context name ccecert wrote
// that the operator has since made their own (here: pointed at their own
// user) is left in place by a revoke, and the output says so.
func TestCLIRevokeLeavesTheOperatorsContext(t *testing.T) {
	c := newDemoCLI(t)
	v := c.fetch("prod-web", "--context", "internal")
	kc := readKubeconfig(t, c.kubeconfig)
	own := clientcmdapi.NewAuthInfo()
	own.Token = "operator-token"
	kc.AuthInfos["operator"] = own
	kc.Contexts["prod-web-internal"].AuthInfo = "operator"
	if err := clientcmd.WriteToFile(*kc, c.kubeconfig); err != nil {
		t.Fatal(err)
	}
	r := c.ok("revoke", v.ID, "--yes")
	if !strings.Contains(r.stdout, "left contexts prod-web-internal in place") || strings.Contains(r.stdout, "removed contexts") {
		t.Errorf("revoke output:\n%s", r.stdout)
	}
	if ctx := readKubeconfig(t, c.kubeconfig).Contexts["prod-web-internal"]; ctx == nil || ctx.AuthInfo != "operator" {
		t.Errorf("the operator's context was removed or changed: %+v", ctx)
	}
}

// Named credentials are renewed whatever their health; one that cannot be
// renewed, an unknown one, or names with --within are refused before any
// request.
func TestCLIRenewNamedCredentials(t *testing.T) {
	c := newDemoCLI(t)
	web := c.fetch("prod-web", "--duration", "300")
	pay := c.fetch("prod-payments", "--duration", "300")
	keep := c.fetch("serverless-api", "--duration", "1")
	oldCert := userCert(t, c.kubeconfig, "prod-web-internal")

	r := c.ok("renew", web.ID, pay.Contexts[0], web.ID[:6], "--yes")
	if strings.Count(r.stdout, "renewed (") != 2 || !strings.Contains(r.stdout, web.ID) || !strings.Contains(r.stdout, pay.ID) || strings.Contains(r.stdout, keep.ID) {
		t.Errorf("renew by id and context:\n%s", r.stdout)
	}
	if c.credByID(web.ID).Health != "replaced" || c.credByID(pay.ID).Health != "replaced" || c.credByID(keep.ID).Health == "replaced" {
		t.Errorf("healths after: web %s, pay %s, keep %s", c.credByID(web.ID).Health, c.credByID(pay.ID).Health, c.credByID(keep.ID).Health)
	}
	if userCert(t, c.kubeconfig, "prod-web-internal") == oldCert {
		t.Error("the renewed context still holds the old certificate")
	}

	before := c.snapshot()
	n := len(c.srv.Log())
	for _, args := range [][]string{
		{"renew", web.ID, "--yes"},                    // replaced: history
		{"renew", "nosuchcredential", "--yes"},        // unknown
		{"renew", keep.ID, "--within", "2d", "--yes"}, // both ways at once
	} {
		oneLineError(t, strings.Join(args, " "), c.run(args...))
	}
	if got := len(c.requestsSince(n)); got != 0 {
		t.Errorf("refused renewals made %d requests", got)
	}
	assertUnchanged(t, "refused renewals", before, c.snapshot())
}

// TestCLIRevokeSaysWhenItClearsTheCurrentContext: revoking the credential
// of the current context says so, and leaves none current: ccecert never
// picks another one silently.
func TestCLIRevokeSaysWhenItClearsTheCurrentContext(t *testing.T) {
	c := newDemoCLI(t)
	c.fetch("prod-payments")
	web := c.fetch("prod-web") // now current: get switches, as aws/gcloud/az do
	if kc := readKubeconfig(t, c.kubeconfig); kc.CurrentContext != "prod-web-internal" {
		t.Fatalf("current context %q after get; want prod-web-internal", kc.CurrentContext)
	}
	r := c.ok("revoke", web.ID, "--yes")
	if !strings.Contains(r.stdout, "prod-web-internal was the current context of "+c.kubeconfig+": no context is current there now") {
		t.Errorf("revoke did not say it cleared the current context:\n%s", r.stdout)
	}
	if kc := readKubeconfig(t, c.kubeconfig); kc.CurrentContext != "" {
		t.Errorf("current context %q after the revoke; want none, not one picked silently", kc.CurrentContext)
	}
	// A revoke that leaves the current context alone says nothing of it.
	c.fetch("prod-web")
	pay := c.statusAll()
	var payID string
	for _, v := range pay {
		if v.Target.Name == "prod-payments" && v.Health == "ok" {
			payID = v.ID
		}
	}
	if r := c.ok("revoke", payID, "--yes"); strings.Contains(r.stdout, "current context") {
		t.Errorf("revoke of another context spoke of the current one:\n%s", r.stdout)
	}
}
