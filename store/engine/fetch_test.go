package engine

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"ccecert/api"
	"ccecert/api/emulator"
	"ccecert/store"
)

// seedKube writes the operator's own kubeconfig (context minikube) to the
// engine's kubeconfig path.
func seedKube(t *testing.T, e *engineEnv) []byte {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(e.kube), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(e.kube, []byte(userKubeconfig), 0o600); err != nil {
		t.Fatal(err)
	}
	return []byte(userKubeconfig)
}

// near reports whether a and b are within a minute.
func near(a, b time.Time) bool { return a.Sub(b).Abs() < time.Minute }

func TestFetchAutoContextFollowsTheEIP(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	seedKube(t, e)
	cases := []struct {
		name string
		role api.ContextRole
	}{{"prod-payments", api.RoleExternal}, {"prod-web", api.RoleInternal}, {"serverless-api", api.RoleExternal}}
	for _, c := range cases {
		res := e.fetch(t, FetchRequest{Target: e.target(t, c.name)})
		want := c.name + "-" + string(c.role)
		if !slices.Equal(res.Contexts, []string{want}) || !slices.Equal(res.Credential.Roles, []api.ContextRole{c.role}) {
			t.Fatalf("%s: contexts %v roles %v, want %s", c.name, res.Contexts, res.Credential.Roles, want)
		}
		if !near(res.Credential.NotAfter, e.clock.Now().Add(30*store.Day)) {
			t.Errorf("%s: NotAfter %v, want 30 days from now", c.name, res.Credential.NotAfter)
		}
		if res.Credential.Subject != e.srv.UserID || res.Kubeconfig != e.kube || res.Credential.Mode != store.ModeInline {
			t.Errorf("%s: credential %+v", c.name, res.Credential)
		}
		stored := e.find(t, res.Credential.ID)
		if !slices.Equal(stored.Contexts, res.Contexts) || stored.Kubeconfig != e.kube || stored.User != "ccecert-"+c.name || res.Credential.User != stored.User {
			t.Errorf("%s: the store recorded contexts %v user %q in %s", c.name, stored.Contexts, stored.User, stored.Kubeconfig)
		}
	}
	cfg := readKube(t, e.kube)
	if cfg.CurrentContext != "minikube" || cfg.Contexts["minikube"] == nil || cfg.Contexts["minikube"].Namespace != "default" {
		t.Errorf("the operator's own context was disturbed: current %q, %+v", cfg.CurrentContext, cfg.Contexts["minikube"])
	}
	// The demo's EIP is not in its certificate's SANs: the CA, verified
	// for the internal host (issue 15).
	if cl := cfg.Clusters[cfg.Contexts["prod-payments-external"].Cluster]; cl.InsecureSkipTLSVerify || len(cl.CertificateAuthorityData) == 0 || cl.TLSServerName != emulator.InternalHost {
		t.Errorf("external cluster entry %+v, want the CA and tls-server-name %s", cl, emulator.InternalHost)
	}
	if cl := cfg.Clusters[cfg.Contexts["prod-web-internal"].Cluster]; cl.InsecureSkipTLSVerify || len(cl.CertificateAuthorityData) == 0 {
		t.Errorf("internal cluster entry %+v, want CA data", cl)
	}
	if evs := e.events(t); len(evs) != 3 || evs[0].Action != "fetch" || evs[0].Result != "ok" || evs[0].Credential == "" {
		t.Errorf("events %+v, want three ok fetches", evs)
	}
}

func TestFetchBothAndInternalOnly(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	both := e.fetch(t, FetchRequest{Target: e.target(t, "prod-payments"), Roles: []api.ContextRole{api.RoleInternal, api.RoleExternal}})
	if !slices.Equal(both.Contexts, []string{"prod-payments-internal", "prod-payments-external"}) {
		t.Fatalf("both: contexts %v", both.Contexts)
	}
	cfg := readKube(t, e.kube)
	in, ex := cfg.Contexts["prod-payments-internal"], cfg.Contexts["prod-payments-external"]
	if in.AuthInfo != ex.AuthInfo || !bytes.Equal(cfg.AuthInfos[in.AuthInfo].ClientCertificateData, both.Credential.CertPEM) {
		t.Errorf("both contexts should share one user entry holding the certificate: %q, %q", in.AuthInfo, ex.AuthInfo)
	}
	internal := e.fetch(t, FetchRequest{Target: e.target(t, "dev-sandbox"), Roles: []api.ContextRole{api.RoleInternal}})
	if !slices.Equal(internal.Contexts, []string{"dev-sandbox-internal"}) {
		t.Fatalf("internal: contexts %v", internal.Contexts)
	}
	if _, ok := readKube(t, e.kube).Contexts["dev-sandbox-external"]; ok {
		t.Error("an internal fetch also wrote the external context")
	}
}

func TestFetchExpireAtAndMax(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	until := e.clock.Now().Add(10 * store.Day).Truncate(time.Second)
	res := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web"), Validity: api.Until(until)})
	if !near(res.Credential.NotAfter, until) || !res.Credential.Validity.ExpireAt.Equal(until) {
		t.Errorf("expire_at %v: NotAfter %v, validity %v", until, res.Credential.NotAfter, res.Credential.Validity)
	}
	res = e.fetch(t, FetchRequest{Target: e.target(t, "prod-web"), Validity: api.Days(api.MaxDuration)})
	if !near(res.Credential.NotAfter, e.clock.Now().AddDate(5, 0, 0)) {
		t.Errorf("max: NotAfter %v, want five years ahead", res.Credential.NotAfter)
	}
}

func TestFetchRefusesBeforeAnyRequest(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	e.refresh(t)
	now := e.clock.Now()
	tg := func(name string) api.Target { return e.target(t, name) }
	day := api.Days(1)
	cases := []struct {
		name  string
		req   FetchRequest
		kube  []byte      // kubeconfig content; nil = the operator's
		perm  os.FileMode // kubeconfig mode; 0 = 0600
		wants string
	}{
		{"external without EIP", FetchRequest{Target: tg("prod-web"), Validity: day, Roles: []api.ContextRole{api.RoleExternal}}, nil, 0, "no EIP"},
		{"both without EIP", FetchRequest{Target: tg("ops-tools"), Validity: day, Roles: []api.ContextRole{api.RoleInternal, api.RoleExternal}}, nil, 0, "no EIP"},
		{"hibernated", FetchRequest{Target: tg("analytics-hk"), Validity: day}, nil, 0, "hibernating"},
		{"federation off", FetchRequest{Target: tg("asia-batch"), Validity: day}, nil, 0, "federation off"},
		{"fleet VPC without subnet", FetchRequest{Target: tg("global-prod"), Validity: day, VPCID: "v"}, nil, 0, "a VPC and a subnet"},
		{"validity 0", FetchRequest{Target: tg("prod-web"), Validity: api.Days(0)}, nil, 0, "out of range"},
		{"validity -2", FetchRequest{Target: tg("prod-web"), Validity: api.Days(-2)}, nil, 0, "out of range"},
		{"validity max+1", FetchRequest{Target: tg("prod-web"), Validity: api.Days(api.MaxDays(now) + 1)}, nil, 0, "out of range"},
		{"fleet over 1825", FetchRequest{Target: tg("global-prod"), Validity: api.Days(api.FleetMaxDays + 1)}, nil, 0, "1..1825"},
		{"expiry too soon", FetchRequest{Target: tg("prod-web"), Validity: api.Until(now.Add(time.Minute))}, nil, 0, "15 minutes"},
		{"bad mode", FetchRequest{Target: tg("prod-web"), Validity: day, Mode: "plain"}, nil, 0, "inline or exec"},
		{"malformed kubeconfig", FetchRequest{Target: tg("prod-web"), Validity: day}, []byte("clusters: [unclosed\n"), 0, "malformed"},
		{"not a kubeconfig", FetchRequest{Target: tg("prod-web"), Validity: day}, []byte("- a\n- list\n"), 0, "malformed"},
		{"read-only kubeconfig", FetchRequest{Target: tg("prod-web"), Validity: day}, nil, 0o400, "read-only"},
	}
	// What the user can do, by case; the others have no hint.
	hints := map[string]Hint{
		"external without EIP":     HintUseInternalContext,
		"both without EIP":         HintUseInternalContext,
		"fleet VPC without subnet": HintCreateFleetConnection,
		"read-only kubeconfig":     HintChooseKubeconfig,
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			content := c.kube
			if content == nil {
				content = seedKube(t, e)
			}
			perm := c.perm
			if perm == 0 {
				perm = 0o600
			}
			_ = os.Chmod(e.kube, 0o600)
			if err := os.WriteFile(e.kube, content, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(e.kube, perm); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = os.Chmod(e.kube, 0o600) })
			reqs, issues := e.srv.Requests(), e.cloud.issues.Load()
			_, err := e.eng.Fetch(t.Context(), c.req)
			if err == nil || !strings.Contains(err.Error(), c.wants) {
				t.Fatalf("err = %v, want one mentioning %q", err, c.wants)
			}
			if got := hintOf(err); got != hints[c.name] {
				t.Errorf("hint %q, want %q", got, hints[c.name])
			}
			if got := e.srv.Requests(); got != reqs || e.cloud.issues.Load() != issues {
				t.Errorf("%d requests reached the emulator", got-reqs)
			}
			if got := readBytes(t, e.kube); !bytes.Equal(got, content) {
				t.Errorf("the kubeconfig changed:\n%s", got)
			}
			if creds, _ := e.store.Credentials(t.Context(), store.Filter{All: true}); len(creds) != 0 {
				t.Errorf("%d credentials stored", len(creds))
			}
			if evs := e.events(t); len(evs) == 0 || evs[0].Action != "fetch" || !strings.HasPrefix(evs[0].Result, "error: ") {
				t.Errorf("no failed fetch event: %+v", evs[:min(1, len(evs))])
			}
		})
	}
}

func TestFetchLegacyClusterWarns(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	tg := e.target(t, "legacy-billing")
	res := e.fetch(t, FetchRequest{Target: tg, Validity: api.Days(7)})
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "v1.13") || !strings.Contains(res.Warnings[0], "legacy") {
		t.Fatalf("warnings %q, want the legacy API one", res.Warnings)
	}
	if !res.Credential.Legacy || !near(res.Credential.NotAfter, e.clock.Now().Add(365*store.Day)) {
		t.Errorf("legacy credential: legacy %v, NotAfter %v (want the cluster's own year)", res.Credential.Legacy, res.Credential.NotAfter)
	}
	// No validity at all is fine: the legacy GET takes none.
	if res, err := e.eng.Fetch(t.Context(), FetchRequest{Target: tg}); err != nil || len(res.Warnings) != 1 {
		t.Errorf("legacy fetch without a validity: %v, warnings %q", err, res.Warnings)
	}
	if res := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web")}); len(res.Warnings) != 0 {
		t.Errorf("a current cluster warned: %q", res.Warnings)
	}
}

func TestFetchExecModeWritesNoKey(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	res := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web"), Mode: store.ModeExec})
	cfg := readKube(t, e.kube)
	ai := cfg.AuthInfos[cfg.Contexts["prod-web-internal"].AuthInfo]
	if ai.Exec == nil || ai.Exec.Command != store.AppName || !slices.Equal(ai.Exec.Args, []string{"credential", res.Credential.ID}) || ai.Exec.APIVersion != store.ExecAPIVersion {
		t.Fatalf("exec user entry %+v, want `ccecert credential %s`", ai.Exec, res.Credential.ID)
	}
	if len(ai.ClientKeyData) != 0 || len(ai.ClientCertificateData) != 0 {
		t.Error("exec mode wrote certificate or key data")
	}
	assertNoSecret(t, "exec-mode kubeconfig", string(readBytes(t, e.kube)))
	if e.find(t, res.Credential.ID).Mode != store.ModeExec {
		t.Error("the store does not record exec mode")
	}

	e.eng.ExecCommand, e.eng.ExecPrefix = "/opt/bin/ccecert", []string{"--data-dir", "/d"}
	res = e.fetch(t, FetchRequest{Target: e.target(t, "ops-tools"), Mode: store.ModeExec})
	cfg = readKube(t, e.kube)
	ai = cfg.AuthInfos[cfg.Contexts["ops-tools-internal"].AuthInfo]
	if ai.Exec.Command != "/opt/bin/ccecert" || !slices.Equal(ai.Exec.Args, []string{"--data-dir", "/d", "credential", res.Credential.ID}) {
		t.Errorf("custom exec entry %s %v", ai.Exec.Command, ai.Exec.Args)
	}
}

func TestFetchUseAndOtherFile(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	seedKube(t, e)
	e.fetch(t, FetchRequest{Target: e.target(t, "prod-web")})
	if cur := readKube(t, e.kube).CurrentContext; cur != "minikube" {
		t.Fatalf("a fetch without Use changed current-context to %q", cur)
	}
	e.fetch(t, FetchRequest{Target: e.target(t, "staging-web"), Use: true})
	if cur := readKube(t, e.kube).CurrentContext; cur != "staging-web-external" {
		t.Fatalf("current-context %q after a fetch with Use", cur)
	}
	both := []api.ContextRole{api.RoleInternal, api.RoleExternal}
	e.fetch(t, FetchRequest{Target: e.target(t, "dev-sandbox"), Roles: both, Use: true})
	if cur := readKube(t, e.kube).CurrentContext; cur != "dev-sandbox-internal" {
		t.Fatalf("current-context %q after a fetch of both with Use, want the TLS-verifying one", cur)
	}
	other := filepath.Join(e.dir, "elsewhere", "kubeconfig")
	res := e.fetch(t, FetchRequest{Target: e.target(t, "prod-gz"), Kubeconfig: other})
	if res.Kubeconfig != other || e.find(t, res.Credential.ID).Kubeconfig != other {
		t.Errorf("written to %s, recorded %s", res.Kubeconfig, e.find(t, res.Credential.ID).Kubeconfig)
	}
	if _, ok := readKube(t, other).Contexts["prod-gz-external"]; !ok {
		t.Error("the other kubeconfig lacks the context")
	}
	if _, ok := readKube(t, e.kube).Contexts["prod-gz-external"]; ok {
		t.Error("the engine's kubeconfig got a context meant for another file")
	}
	if fi, err := os.Stat(other); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("new kubeconfig mode %v, %v", fi.Mode(), err)
	}
}

func TestFetchContextsWorkWithKubectl(t *testing.T) {
	needKubectl(t)
	e := newEngineEnv(t, envOptions{})
	e.fetch(t, FetchRequest{Target: e.target(t, "prod-payments"), Roles: []api.ContextRole{api.RoleInternal, api.RoleExternal}})
	e.fetch(t, FetchRequest{Target: e.target(t, "prod-web")})
	for _, name := range []string{"prod-payments-internal", "prod-payments-external", "prod-web-internal"} {
		mustKubectl(t, e.kube, name)
	}
}

func TestFetchKeepsTheCertificateWhenTheMergeFails(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	tg := e.target(t, "prod-web")
	seedKube(t, e)
	// The operator's own contexts hold every name the template can give.
	editKube(t, e.kube, func(cfg *clientcmdapi.Config) {
		for _, n := range []string{"prod-web", "prod-web-" + tg.Region, "prod-web-" + tg.Region + "-" + tg.ID[:8]} {
			cfg.Contexts[n+"-internal"] = &clientcmdapi.Context{Cluster: "minikube", AuthInfo: "minikube"}
		}
	})
	before := readBytes(t, e.kube)
	res, err := e.eng.Fetch(t.Context(), FetchRequest{Target: tg, Validity: api.Days(1)})
	if err == nil || res.Credential.ID == "" || !strings.Contains(err.Error(), "ccecert export "+res.Credential.ID) {
		t.Fatalf("err = %v, want the stored certificate's id and how to export it", err)
	}
	if !bytes.Equal(readBytes(t, e.kube), before) {
		t.Error("a failed merge changed the kubeconfig")
	}
	if c := e.find(t, res.Credential.ID); len(c.Contexts) != 0 || !c.HasKey {
		t.Errorf("stored credential %+v, want the key kept and no contexts recorded", c)
	}
	if evs := e.events(t); evs[0].Credential != res.Credential.ID || !strings.HasPrefix(evs[0].Result, "error: ") {
		t.Errorf("last event %+v", evs[0])
	}
}
