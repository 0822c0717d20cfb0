package engine

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"ccecert/api"
	"ccecert/store"
)

// editKube changes a kubeconfig as the operator would, by hand.
func editKube(t *testing.T, path string, edit func(*clientcmdapi.Config)) {
	t.Helper()
	cfg := readKube(t, path)
	edit(cfg)
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		t.Fatal(err)
	}
}

func TestRenewUpdatesTheSameContextsInPlace(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	seedKube(t, e)
	both := []api.ContextRole{api.RoleInternal, api.RoleExternal}
	old := e.fetch(t, FetchRequest{Target: e.target(t, "prod-payments"), Validity: api.Days(45), Roles: both}).Credential
	editKube(t, e.kube, func(cfg *clientcmdapi.Config) {
		cfg.Contexts["prod-payments-internal"].Namespace = "payments"
		cfg.Clusters[cfg.Contexts["prod-payments-internal"].Cluster].ProxyURL = "http://127.0.0.1:3128"
		cfg.Clusters[cfg.Contexts["prod-payments-external"].Cluster].Server = "https://127.0.0.1:1" // stale
	})
	e.clock.Advance(40 * store.Day)

	res, err := e.eng.Renew(t.Context(), old)
	if err != nil {
		t.Fatal(err)
	}
	nu := res.Credential
	if nu.ID == old.ID || e.find(t, old.ID).ReplacedBy != nu.ID || !e.find(t, nu.ID).Active() {
		t.Fatalf("old %s replaced by %q, new %s", old.ID, e.find(t, old.ID).ReplacedBy, nu.ID)
	}
	if nu.Validity != api.Days(45) || !near(nu.NotAfter, time.Now().Add(45*store.Day)) {
		t.Errorf("renewal validity %v NotAfter %v, want the original 45 days", nu.Validity, nu.NotAfter)
	}
	if !slices.Equal(res.Contexts, old.Contexts) || !slices.Equal(nu.Roles, old.Roles) || nu.Kubeconfig != old.Kubeconfig {
		t.Errorf("renewal contexts %v roles %v in %s, want %v %v in %s", res.Contexts, nu.Roles, nu.Kubeconfig, old.Contexts, old.Roles, old.Kubeconfig)
	}
	cfg := readKube(t, e.kube)
	if len(cfg.Contexts) != 3 || len(cfg.AuthInfos) != 2 {
		t.Errorf("kubeconfig has %d contexts and %d users, want 3 and 2", len(cfg.Contexts), len(cfg.AuthInfos))
	}
	in := cfg.Contexts["prod-payments-internal"]
	if ai := cfg.AuthInfos[in.AuthInfo]; !bytes.Equal(ai.ClientCertificateData, nu.CertPEM) || bytes.Equal(nu.CertPEM, old.CertPEM) {
		t.Error("the user entry does not hold the renewed certificate")
	}
	if in.Namespace != "payments" || cfg.Clusters[in.Cluster].ProxyURL != "http://127.0.0.1:3128" {
		t.Errorf("operator edits lost: namespace %q, proxy %q", in.Namespace, cfg.Clusters[in.Cluster].ProxyURL)
	}
	if got, want := cfg.Clusters[cfg.Contexts["prod-payments-external"].Cluster].Server, old.Target.Endpoints.External; got != want {
		t.Errorf("external server %q after renew, want the issued %q", got, want)
	}
	if cfg.CurrentContext != "minikube" {
		t.Errorf("renew changed current-context to %q", cfg.CurrentContext)
	}
	if _, err := os.Stat(e.kube + ".bak"); err != nil {
		t.Errorf("no backup: %v", err)
	}
	evs := e.events(t)
	if evs[0].Action != "renew" || evs[0].Credential != old.ID+" -> "+nu.ID {
		t.Errorf("last event %+v, want the renewal", evs[0])
	}
}

func TestRenewKeepsModeAndConvertsAnExpiryDate(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	until := e.clock.Now().Add(20 * store.Day)
	old := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web"), Validity: api.Until(until), Mode: store.ModeExec}).Credential
	e.clock.Advance(19 * store.Day)
	res, err := e.eng.Renew(t.Context(), old)
	if err != nil {
		t.Fatal(err)
	}
	if res.Credential.Validity != api.Days(20) || res.Credential.Mode != store.ModeExec {
		t.Errorf("renewal of a 20-day expiry date: validity %v mode %s", res.Credential.Validity, res.Credential.Mode)
	}
	cfg := readKube(t, e.kube)
	ai := cfg.AuthInfos[cfg.Contexts["prod-web-internal"].AuthInfo]
	if ai.Exec == nil || !slices.Equal(ai.Exec.Args, []string{"credential", res.Credential.ID}) {
		t.Errorf("exec entry after renew: %+v", ai.Exec)
	}
}

func TestRenewRefusals(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	old := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web")}).Credential
	if _, err := e.eng.Renew(t.Context(), old); err != nil {
		t.Fatal(err)
	}
	issues := e.cloud.issues.Load()
	replaced := e.find(t, old.ID)
	if _, err := e.eng.Renew(t.Context(), replaced); err == nil || !strings.Contains(err.Error(), "replaced") || !strings.Contains(err.Error(), "ccecert get prod-web") {
		t.Errorf("renewing a replaced credential: %v", err)
	}
	scanned := replaced
	scanned.ReplacedBy, scanned.Source = "", store.SourceScanned
	if _, err := e.eng.Renew(t.Context(), scanned); err == nil || !strings.Contains(err.Error(), "no known cluster") {
		t.Errorf("renewing a scanned credential: %v", err)
	}
	if n := e.cloud.issues.Load(); n != issues {
		t.Errorf("%d issue calls for refused renewals", n-issues)
	}
}

func TestRenewUsesTheCachedTarget(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	old := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web")}).Credential
	asleep := old.Target
	asleep.Phase = api.PhaseHibernation
	if err := e.store.SaveTargets(t.Context(), []api.Target{asleep}, store.Scope{Kinds: []api.Kind{api.KindCCE}, Regions: []string{asleep.Region}}, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.eng.Renew(t.Context(), old); err == nil || !strings.Contains(err.Error(), "hibernating") {
		t.Fatalf("renewing for a cluster the cache says is hibernating: %v", err)
	}
	if e.find(t, old.ID).ReplacedBy != "" {
		t.Error("a failed renewal marked the old credential replaced")
	}
}

func TestRenewFailsCleanlyOnAReadOnlyKubeconfig(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	old := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web")}).Credential
	if err := os.Chmod(e.kube, 0o400); err != nil {
		t.Fatal(err)
	}
	before, issues := readBytes(t, e.kube), e.cloud.issues.Load()
	_, err := e.eng.Renew(t.Context(), old)
	if err == nil || !strings.Contains(err.Error(), "renew "+old.ID) || !strings.Contains(err.Error(), "read-only") {
		t.Fatalf("err = %v", err)
	}
	if e.cloud.issues.Load() != issues || !bytes.Equal(readBytes(t, e.kube), before) || e.find(t, old.ID).ReplacedBy != "" {
		t.Error("a renewal into a read-only kubeconfig reached the cloud, changed the file or replaced the credential")
	}
}

func TestRenewAllReportsEachOutcomeInOrder(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	e.eng.Config.Concurrency = 2
	var creds []store.Credential
	for _, name := range []string{"prod-web", "prod-payments", "staging-web", "serverless-api", "prod-gz"} {
		creds = append(creds, e.fetch(t, FetchRequest{Target: e.target(t, name)}).Credential)
	}
	broken := creds[2]
	broken.Source = store.SourceScanned // fails without a request
	creds[2] = broken
	var mu sync.Mutex
	var seen []int
	out := e.eng.RenewAll(t.Context(), creds, func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if total != len(creds) {
			t.Errorf("progress total %d, want %d", total, len(creds))
		}
		seen = append(seen, done)
	})
	if !slices.Equal(seen, []int{1, 2, 3, 4, 5}) {
		t.Errorf("progress %v, want 1..5", seen)
	}
	if len(out) != len(creds) {
		t.Fatalf("%d outcomes for %d credentials", len(out), len(creds))
	}
	for i, o := range out {
		if o.Old.ID != creds[i].ID {
			t.Fatalf("outcome %d is for %s, want %s", i, o.Old.ID, creds[i].ID)
		}
		if i == 2 {
			if o.Err == nil {
				t.Error("the scanned credential was renewed")
			}
			continue
		}
		if o.Err != nil || e.find(t, o.Old.ID).ReplacedBy != o.Result.Credential.ID || o.Result.Credential.Target.Name != creds[i].Target.Name {
			t.Errorf("outcome %d (%s): %v, replaced by %q", i, creds[i].Target.Name, o.Err, e.find(t, o.Old.ID).ReplacedBy)
		}
	}
	if len(readKube(t, e.kube).Contexts) != len(creds) {
		t.Errorf("renewals added contexts: %d", len(readKube(t, e.kube).Contexts))
	}
}

func TestNeedsAttentionFollowsTheClock(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	c := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web"), Validity: api.Days(30)}).Credential
	check := func(when string, within time.Duration, want bool) {
		t.Helper()
		if got := e.eng.NeedsAttention(c, within); got != want {
			t.Errorf("%s, within %v: NeedsAttention = %v, want %v (health %s)", when, within, got, want, c.Health(e.clock.Now(), e.eng.Config.Thresholds))
		}
	}
	check("fresh", 0, false)
	check("fresh", 10*store.Day, false)
	check("fresh", 31*store.Day, true)
	e.clock.Advance(25 * store.Day) // 5 days left of 30: warning (≤ 10 days = L/3)
	check("25 days on", 0, true)
	check("25 days on", 10*store.Day, true)
	check("25 days on", store.Day, false)
	e.clock.Advance(6 * store.Day) // expired
	check("expired", 0, true)
	check("expired", time.Hour, true)

	replaced := c
	replaced.ReplacedBy = "someone"
	revoked := c
	revoked.RevokedAt = e.clock.Now()
	for _, x := range []store.Credential{replaced, revoked} {
		if e.eng.NeedsAttention(x, 0) || e.eng.NeedsAttention(x, 1000*store.Day) {
			t.Errorf("a replaced or revoked credential needs attention: %+v", x.Health(e.clock.Now(), e.eng.Config.Thresholds))
		}
	}
}

// A second fetch of the same target into the same kubeconfig takes over the
// target's user entry, so the first credential is replaced: two live
// credentials never claim one context.
func TestFetchTwiceSupersedesTheFirst(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	first := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web"), Validity: api.Days(7)})
	second := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web"), Validity: api.Days(7)})
	if first.Credential.ID == second.Credential.ID {
		t.Fatal("two fetches gave one credential")
	}
	if got := e.find(t, first.Credential.ID).ReplacedBy; got != second.Credential.ID {
		t.Fatalf("first credential replaced by %q, want %q", got, second.Credential.ID)
	}
	if got := e.find(t, second.Contexts[0]); got.ID != second.Credential.ID {
		t.Fatalf("context %s resolves to %s, want the second credential %s", second.Contexts[0], got.ID, second.Credential.ID)
	}
}

// RenewSet keeps the newest credential per target and kubeconfig.
func TestRenewSetKeepsTheNewestPerTargetAndFile(t *testing.T) {
	at := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	a := api.Target{Kind: api.KindCCE, Region: "r", ID: "a"}
	b := api.Target{Kind: api.KindCCE, Region: "r", ID: "b"}
	creds := []store.Credential{
		{ID: "a-old", Target: a, Kubeconfig: "k", CreatedAt: at},
		{ID: "b-only", Target: b, Kubeconfig: "k", CreatedAt: at},
		{ID: "a-new", Target: a, Kubeconfig: "k", CreatedAt: at.Add(time.Second)},
		{ID: "a-other-file", Target: a, Kubeconfig: "k2", CreatedAt: at},
	}
	var got []string
	for _, c := range RenewSet(creds) {
		got = append(got, c.ID)
	}
	if want := []string{"a-new", "b-only", "a-other-file"}; !slices.Equal(got, want) {
		t.Fatalf("RenewSet = %v, want %v", got, want)
	}
}
