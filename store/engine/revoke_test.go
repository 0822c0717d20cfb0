package engine

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/tools/clientcmd"

	"ccecert/api"
	"ccecert/store"
)

// writeExport exports a credential to a file and returns its path.
func writeExport(t *testing.T, e *engineEnv, c store.Credential, ctxName string) string {
	t.Helper()
	data, err := e.eng.Export(t.Context(), c, ctxName)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(e.dir, "export-"+c.ID+ctxName+".yaml")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRevokeMarksEveryCredentialOfTheUserOnTheCluster(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	seedKube(t, e)
	pay := e.target(t, "prod-payments")
	a := e.fetch(t, FetchRequest{Target: pay}).Credential
	other := filepath.Join(e.dir, "other", "config")
	b := e.fetch(t, FetchRequest{Target: pay, Roles: []api.ContextRole{api.RoleInternal}, Kubeconfig: other}).Credential
	c := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web")}).Credential
	before := readBytes(t, e.kube)

	out, err := e.eng.Revoke(t.Context(), a)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(out.Revoked, sorted(a.ID, b.ID)) || out.UserID != e.srv.UserID || !strings.Contains(out.Message, "every certificate") {
		t.Fatalf("outcome %+v, want %s and %s revoked", out, a.ID, b.ID)
	}
	for _, id := range []string{a.ID, b.ID} {
		if got := e.find(t, id); !got.Revoked() || got.Health(e.clock.Now(), e.eng.Config.Thresholds) != store.HealthRevoked {
			t.Errorf("%s not marked revoked", id)
		}
	}
	if e.find(t, c.ID).Revoked() {
		t.Error("a credential of another cluster was marked revoked")
	}
	if !slices.Equal(sorted(out.Removed...), sorted("prod-payments-external", "prod-payments-internal")) {
		t.Errorf("removed %v", out.Removed)
	}
	cfg := readKube(t, e.kube)
	if _, ok := cfg.Contexts["prod-payments-external"]; ok || cfg.Contexts["prod-web-internal"] == nil || cfg.Contexts["minikube"] == nil {
		t.Errorf("contexts left: %v", keys(cfg.Contexts))
	}
	if len(cfg.AuthInfos) != 2 {
		t.Errorf("users left %v, want minikube and prod-web's", keys(cfg.AuthInfos))
	}
	if len(readKube(t, other).Contexts) != 0 {
		t.Errorf("the other kubeconfig still has %v", keys(readKube(t, other).Contexts))
	}
	if !bytes.Equal(readBytes(t, e.kube+".bak"), before) {
		t.Error("the backup is not the kubeconfig as it was before the revoke")
	}
	if evs := e.events(t); evs[0].Action != "revoke" || evs[0].Result != "ok" || evs[0].Credential != a.ID {
		t.Errorf("last event %+v", evs[0])
	}
	if _, err := e.eng.Revoke(t.Context(), e.find(t, b.ID)); err == nil || !strings.Contains(err.Error(), "already revoked") {
		t.Errorf("revoking twice: %v", err)
	}
}

func TestRevokedCertificateFailsWithKubectl(t *testing.T) {
	needKubectl(t)
	e := newEngineEnv(t, envOptions{})
	c := e.fetch(t, FetchRequest{Target: e.target(t, "prod-payments"), Roles: []api.ContextRole{api.RoleInternal}}).Credential
	kept := writeExport(t, e, c, "") // a copy of the old certificate outside the kubeconfig
	mustKubectl(t, kept, "")
	if _, err := e.eng.Revoke(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	if out, err := kubectl(t, kept, ""); err == nil || !strings.Contains(strings.ToLower(out), "unauthorized") {
		t.Errorf("kubectl with the revoked certificate: %v\n%s", err, out)
	}
	if out, err := kubectl(t, e.kube, "prod-payments-internal"); err == nil {
		t.Errorf("the revoked context is still usable:\n%s", out)
	}
}

// TestRevokeAutopilot: neither the Autopilot API reference nor the SDK has
// a revoke, so it is refused without a request and the credential stays.
func TestRevokeAutopilot(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	c := e.fetch(t, FetchRequest{Target: e.target(t, "serverless-api")}).Credential
	reqs := e.srv.Requests()
	out, err := e.eng.Revoke(t.Context(), c)
	if !errors.Is(err, api.ErrAutopilotRevoke) || len(out.Revoked) != 0 {
		t.Fatalf("revoke autopilot: %+v, %v; want api.ErrAutopilotRevoke", out, err)
	}
	if e.srv.Requests() != reqs {
		t.Errorf("%d requests for a refused revoke", e.srv.Requests()-reqs)
	}
	if got, err := e.store.Find(t.Context(), c.ID); err != nil || !got.RevokedAt.IsZero() {
		t.Errorf("credential after a refused revoke: %+v, %v", got.RevokedAt, err)
	}
}

func TestRevokeRefusedWithoutARequest(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	v := vpcOf(t, e, "cn-north-4")
	fleet := e.fetch(t, FetchRequest{Target: e.target(t, "global-prod"), VPCID: v.vpcID, SubnetID: v.subnetID}).Credential
	cce := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web")}).Credential
	scanned := cce
	scanned.Source = store.SourceScanned
	unmatched := cce
	unmatched.Target.ID = "unmatched:0a1b2c3d"
	before := readBytes(t, e.kube)
	reqs := e.srv.Requests()
	for name, c := range map[string]store.Credential{"fleet": fleet, "scanned": scanned, "unmatched": unmatched} {
		if _, err := e.eng.Revoke(t.Context(), c); err == nil {
			t.Errorf("%s: revoked", name)
		}
	}
	if fleetErr := func() error { _, err := e.eng.Revoke(t.Context(), fleet); return err }(); !strings.Contains(fleetErr.Error(), "UCS console") {
		t.Errorf("fleet refusal %q does not say what to do", fleetErr)
	}
	if e.srv.Requests() != reqs || e.cloud.revokes.Load() != 0 {
		t.Errorf("%d requests for refused revokes", e.srv.Requests()-reqs)
	}
	if !bytes.Equal(readBytes(t, e.kube), before) || e.find(t, cce.ID).Revoked() || e.find(t, fleet.ID).Revoked() {
		t.Error("a refused revoke changed the kubeconfig or the store")
	}
}

func TestRevokeDoesNotRecreateADeletedKubeconfig(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	c := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web")}).Credential
	if err := os.Remove(e.kube); err != nil {
		t.Fatal(err)
	}
	if _, err := e.eng.Revoke(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(e.kube); !os.IsNotExist(err) {
		t.Errorf("revoke created the kubeconfig the operator had deleted: %v", err)
	}
}

func TestExportIsStandaloneWithOneContext(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	both := []api.ContextRole{api.RoleInternal, api.RoleExternal}
	inline := e.fetch(t, FetchRequest{Target: e.target(t, "prod-payments"), Roles: both}).Credential
	execd := e.fetch(t, FetchRequest{Target: e.target(t, "staging-web"), Roles: both, Mode: store.ModeExec}).Credential
	cases := []struct {
		c       store.Credential
		ctxName string
		want    string
	}{
		{inline, "", "prod-payments-internal"}, // a TLS-verifying context is preferred
		{inline, "prod-payments-external", "prod-payments-external"},
		{inline, "external", "prod-payments-external"},
		{execd, "", "staging-web-internal"},
	}
	for _, c := range cases {
		data, err := e.eng.Export(t.Context(), c.c, c.ctxName)
		if err != nil {
			t.Fatalf("export %s %q: %v", c.c.ID, c.ctxName, err)
		}
		cfg, err := clientcmd.Load(data)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.CurrentContext != c.want || len(cfg.Contexts) != 1 || len(cfg.AuthInfos) != 1 || len(cfg.Clusters) != 1 {
			t.Fatalf("export %q: current %q, contexts %v", c.ctxName, cfg.CurrentContext, keys(cfg.Contexts))
		}
		ai := cfg.AuthInfos[cfg.Contexts[c.want].AuthInfo]
		if ai.Exec != nil || !bytes.Equal(ai.ClientCertificateData, c.c.CertPEM) || store.KeyMatches(ai.ClientCertificateData, ai.ClientKeyData) != nil {
			t.Errorf("export %q: not inline data (exec %v)", c.ctxName, ai.Exec)
		}
	}
	if _, err := e.eng.Export(t.Context(), inline, "nope"); err == nil || !strings.Contains(err.Error(), "prod-payments-internal") {
		t.Errorf("unknown context: %v, want the list of its contexts", err)
	}
	exports := map[string]int{}
	for _, ev := range e.events(t) {
		if ev.Action == "export" && ev.Result == "ok" {
			exports[ev.Credential]++
		}
	}
	if exports[inline.ID] != 3 || exports[execd.ID] != 1 {
		t.Errorf("export events %v, want 3 for %s and 1 for %s", exports, inline.ID, execd.ID)
	}
	needKubectl(t)
	for _, ctxName := range []string{"", "external"} {
		file := writeExport(t, e, inline, ctxName)
		if out, err := kubectl(t, file, ""); err != nil || !strings.Contains(out, "gitVersion") {
			t.Errorf("kubectl on the export %q: %v\n%s", ctxName, err, out)
		}
	}
	mustKubectl(t, writeExport(t, e, execd, ""), "")
}

func sorted(s ...string) []string { return slices.Sorted(slices.Values(s)) }

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return sorted(out...)
}

func TestRevokeTwoFetchesOfOneCluster(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	first := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web")}).Credential
	second := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web")}).Credential
	if first.ID == second.ID || !slices.Equal(first.Contexts, second.Contexts) {
		t.Fatalf("two fetches: %s %v, %s %v", first.ID, first.Contexts, second.ID, second.Contexts)
	}
	out, err := e.eng.Revoke(t.Context(), first)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(out.Revoked, sorted(first.ID, second.ID)) || !slices.Equal(out.Removed, []string{"prod-web-internal"}) {
		t.Errorf("revoked %v, removed %v; want both credentials and the one context once", out.Revoked, out.Removed)
	}
	if !e.find(t, second.ID).Revoked() || len(readKube(t, e.kube).Contexts) != 0 {
		t.Error("the second certificate or its context survived")
	}
}

// TestExportRefusesADeadCredential: a revoked or expired credential would
// make a kubeconfig that does not work; export says so and what to do.
func TestExportRefusesADeadCredential(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	c := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web"), Validity: api.Days(1)}).Credential
	e.clock.Advance(25 * time.Hour)
	if _, err := e.eng.Export(t.Context(), c, ""); err == nil || !strings.Contains(err.Error(), "expired") || !strings.Contains(err.Error(), "ccecert renew "+c.ID) {
		t.Errorf("export of an expired credential: %v", err)
	}
	e.clock.Advance(-25 * time.Hour)
	if _, err := e.eng.Export(t.Context(), c, ""); err != nil {
		t.Fatalf("export of the live credential: %v", err)
	}
	if _, err := e.eng.Revoke(t.Context(), c); err != nil {
		t.Fatal(err)
	}
	if _, err := e.eng.Export(t.Context(), e.find(t, c.ID), ""); err == nil || !strings.Contains(err.Error(), "revoked") || !strings.Contains(err.Error(), "ccecert get prod-web") {
		t.Errorf("export of a revoked credential: %v", err)
	}
}
