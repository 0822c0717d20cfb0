package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"ccecert/api"
	"ccecert/api/emulator"
	"ccecert/store"
	"ccecert/store/engine"
)

// tuiFixture is an app over a fresh emulator, with every path in temp dirs.
type tuiFixture struct {
	a    *app
	b    *tuiBackend
	srv  *emulator.Server
	vars map[string]string // the app's environment; tests may change it
	kube string
	home string
}

// newTUIFixture opens an app against an in-process emulator; withKey
// false leaves CLOUD_SDK_AK/SK unset.
func newTUIFixture(t *testing.T, withKey bool) *tuiFixture {
	t.Helper()
	isolateMain(t)
	ctx := t.Context()
	srv, err := emulator.Start(ctx, emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	caFile, err := srv.WriteCAFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for _, k := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "KUBECONFIG"} {
		vars[k] = os.Getenv(k)
	}
	for _, kv := range srv.Env(caFile) {
		k, v, _ := strings.Cut(kv, "=")
		if withKey || !strings.HasPrefix(k, "CLOUD_SDK_") {
			vars[k] = v
		}
	}
	var mu sync.Mutex
	getenv := func(k string) string { mu.Lock(); defer mu.Unlock(); return vars[k] }
	e := env{getenv: getenv, now: time.Now, stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, deps: testDeps}
	a, err := openApp(ctx, &globalFlags{quiet: true}, e)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.close)
	return &tuiFixture{a: a, b: newTUIBackend(a), srv: srv, vars: vars, kube: vars["KUBECONFIG"], home: vars["HOME"]}
}

// refresh lists the emulator and returns the target named name.
func (f *tuiFixture) refresh(t *testing.T, name string) api.Target {
	t.Helper()
	inv, err := f.b.Refresh(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(inv.Targets, func(x api.Target) bool { return x.Name == name })
	if i < 0 {
		t.Fatalf("refresh lists no %s: %d targets", name, len(inv.Targets))
	}
	return inv.Targets[i]
}

// restFor is the client config of one context of a kubeconfig.
func restFor(t *testing.T, kube, contextName string) *rest.Config {
	t.Helper()
	cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(
		&clientcmd.ClientConfigLoadingRules{ExplicitPath: kube},
		&clientcmd.ConfigOverrides{CurrentContext: contextName})
	cfg, err := cc.ClientConfig()
	if err != nil {
		t.Fatalf("context %s of %s: %v", contextName, kube, err)
	}
	return cfg
}

// versionStatus GETs /version with cfg's client certificate.
func versionStatus(t *testing.T, cfg *rest.Config) int {
	t.Helper()
	hc, err := rest.HTTPClientFor(cfg)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, cfg.Host+"/version", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("GET %s/version: %v", cfg.Host, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestTUIBackendRefreshThenCache(t *testing.T) {
	f := newTUIFixture(t, true)
	ctx := t.Context()
	cached, err := f.b.CachedTargets(ctx)
	if err != nil || len(cached.Targets) != 0 || !cached.FetchedAt.IsZero() {
		t.Fatalf("before any refresh: %d targets, fetched %v, err %v; want an empty, never-fetched cache", len(cached.Targets), cached.FetchedAt, err)
	}
	var mu sync.Mutex
	var last, total int
	start := time.Now()
	inv, err := f.b.Refresh(ctx, func(d, n int) { mu.Lock(); last, total = d, n; mu.Unlock() })
	if err != nil {
		t.Fatal(err)
	}
	served := f.srv.Inventory()
	if want := len(served.Clusters) + len(served.Fleets); len(inv.Targets) != want || len(inv.Errors) != 0 {
		t.Fatalf("refresh: %d targets, errors %v; want %d and none", len(inv.Targets), inv.Errors, want)
	}
	if total == 0 || last != total || inv.FetchedAt.IsZero() {
		t.Fatalf("progress %d/%d, fetched at %v; want a final n/n and a time", last, total, inv.FetchedAt)
	}
	before := f.srv.Requests()
	cached, err = f.b.CachedTargets(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if f.srv.Requests() != before {
		t.Fatalf("CachedTargets made %d cloud requests; want none", f.srv.Requests()-before)
	}
	// Each kind is saved at its own instant: the cache is as old as the
	// oldest, the refresh as new as the newest.
	if len(cached.Targets) != len(inv.Targets) || cached.FetchedAt.Before(start) || cached.FetchedAt.After(inv.FetchedAt) {
		t.Fatalf("cache: %d targets fetched %v; want %d fetched in [%v, %v]", len(cached.Targets), cached.FetchedAt, len(inv.Targets), start, inv.FetchedAt)
	}
}

// TestTUIBackendCredentialLifecycle fetches a 7-day external credential,
// uses its context, exports it, renews it and revokes it, checking each
// step in the kubeconfig and against the cluster's API server.
func TestTUIBackendCredentialLifecycle(t *testing.T) {
	f := newTUIFixture(t, true)
	ctx := t.Context()
	target := f.refresh(t, "prod-gz")
	start := time.Now()
	out, err := f.b.Fetch(ctx, engine.FetchRequest{Target: target, Validity: api.Days(7), Roles: []api.ContextRole{api.RoleExternal}, Mode: store.ModeInline, Kubeconfig: f.kube})
	if err != nil {
		t.Fatal(err)
	}
	c := out.Credential
	if len(out.Warnings) != 0 {
		t.Fatalf("warnings for a current cluster: %q", out.Warnings)
	}
	const name = "prod-gz-external"
	if !slices.Equal(c.Contexts, []string{name}) || c.Kubeconfig != f.kube {
		t.Fatalf("fetched contexts %v in %s; want [%s] in %s", c.Contexts, c.Kubeconfig, name, f.kube)
	}
	if d := c.NotAfter.Sub(start); d < 7*day-time.Hour || d > 7*day+time.Hour {
		t.Fatalf("expires in %v; want about 7 days", d)
	}
	if code := versionStatus(t, restFor(t, f.kube, name)); code != http.StatusOK {
		t.Fatalf("GET /version with the fetched credential: %d", code)
	}

	checkUseContext(t, f, name)
	checkExport(t, f, c.ID)

	renewal, err := f.b.Renew(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	renewed := renewal.Credential
	if renewed.ID == c.ID || !slices.Equal(renewed.Contexts, c.Contexts) {
		t.Fatalf("renewed %s → %s with contexts %v; want a new id and the same contexts", c.ID, renewed.ID, renewed.Contexts)
	}
	ids := credentialIDs(t, f)
	if slices.Contains(ids, c.ID) || !slices.Contains(ids, renewed.ID) {
		t.Fatalf("after renew the TUI lists %v; want %s and not the replaced %s", ids, renewed.ID, c.ID)
	}

	cfg := restFor(t, f.kube, name) // the renewed certificate
	revoked, err := f.b.Revoke(ctx, renewed.ID)
	if err != nil || !slices.Contains(revoked, renewed.ID) {
		t.Fatalf("revoke: %v, %v; want %s among the revoked", revoked, err, renewed.ID)
	}
	if code := versionStatus(t, cfg); code != http.StatusUnauthorized {
		t.Fatalf("GET /version with the revoked certificate: %d; want 401", code)
	}
	creds, err := f.b.Credentials(ctx)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(creds, func(x store.Credential) bool { return x.ID == renewed.ID })
	if i < 0 || creds[i].RevokedAt.IsZero() {
		t.Fatalf("revoked credential not listed as revoked: %+v", ids)
	}
	kc, err := clientcmd.LoadFromFile(f.kube)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := kc.Contexts[name]; ok {
		t.Fatalf("context %s is still in %s after the revoke", name, f.kube)
	}
}

// TestTUIBackendEvents: the TUI's log is what the engine recorded, as
// `ccecert log` reads it: the fetch, by whom, with its credential.
func TestTUIBackendEvents(t *testing.T) {
	f := newTUIFixture(t, true)
	ctx := t.Context()
	target := f.refresh(t, "prod-gz")
	other := f.refresh(t, "legacy-billing")
	var ids []string
	for _, tg := range []api.Target{target, other, target} {
		out, err := f.b.Fetch(ctx, engine.FetchRequest{Target: tg, Validity: api.Days(7), Roles: []api.ContextRole{api.RoleInternal}, Mode: store.ModeInline, Kubeconfig: f.kube})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, out.Credential.ID)
	}
	recs, err := f.b.Events(ctx, store.EventQuery{Target: target.Key(), Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	var fetched []string
	for _, r := range recs {
		if r.Target != target.Key() {
			t.Fatalf("event of %q in the log of %s: %+v", r.Target, target.Key(), r)
		}
		if r.Action != "fetch" {
			continue
		}
		if r.Result != "ok" || r.Who == "" || r.TargetName != "prod-gz" {
			t.Fatalf("fetch event %+v; want ok, who set, target name prod-gz", r)
		}
		fetched = append(fetched, r.Credential)
	}
	if want := []string{ids[0], ids[2]}; !slices.Equal(fetched, want) {
		t.Fatalf("fetches logged for prod-gz %v; want %v, oldest first", fetched, want)
	}
	if newest, err := f.b.Events(ctx, store.EventQuery{Target: target.Key(), Limit: 1}); err != nil || len(newest) != 1 || newest[0].Seq != recs[len(recs)-1].Seq {
		t.Fatalf("Limit 1: %+v, %v; want the newest event only", newest, err)
	}
	if !f.b.drain(time.Second) {
		t.Fatal("drain timed out")
	}
	if _, err := f.b.Events(ctx, store.EventQuery{}); !errors.Is(err, errTUIClosing) {
		t.Fatalf("Events after drain: %v; want %v", err, errTUIClosing)
	}
}

func checkUseContext(t *testing.T, f *tuiFixture, name string) {
	t.Helper()
	if err := f.b.UseContext(t.Context(), f.kube, name); err != nil {
		t.Fatal(err)
	}
	kc, err := clientcmd.LoadFromFile(f.kube)
	if err != nil || kc.CurrentContext != name {
		t.Fatalf("current-context after use: %q (%v); want %s", kc.CurrentContext, err, name)
	}
	if err := f.b.UseContext(t.Context(), f.kube, "no-such-context"); err == nil {
		t.Fatal("using a context that is not in the file succeeded")
	}
}

// checkExport exports to ~/exported.yaml: a new 0600 file with the
// credential inline; a second export to it is refused.
func checkExport(t *testing.T, f *tuiFixture, id string) {
	t.Helper()
	if err := f.b.Export(t.Context(), id, "~/exported.yaml"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(f.home, "exported.yaml")
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("export file %s: %v, %v; want mode 0600", path, st, err)
	}
	data, _ := os.ReadFile(path)
	kc, err := clientcmd.Load(data)
	if err != nil || kc.CurrentContext == "" || len(kc.AuthInfos[kc.Contexts[kc.CurrentContext].AuthInfo].ClientKeyData) == 0 {
		t.Fatalf("exported kubeconfig lacks a current context with an inline key (err %v)", err)
	}
	err = f.b.Export(t.Context(), id, path)
	if after, _ := os.ReadFile(path); err == nil || !bytes.Equal(after, data) {
		t.Fatalf("second export to the same file: err %v, file changed %v; want a refusal", err, !bytes.Equal(after, data))
	}
}

func credentialIDs(t *testing.T, f *tuiFixture) []string {
	t.Helper()
	creds, err := f.b.Credentials(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(creds))
	for i, c := range creds {
		ids[i] = c.ID
	}
	return ids
}

// TestTUIBackendFleet lists a (global) fleet's VPCs across projects, named
// with their regions, and creates a federation connection in one of them.
func TestTUIBackendFleet(t *testing.T) {
	f := newTUIFixture(t, true)
	ctx := t.Context()
	fleet := f.refresh(t, "global-prod")
	vpcs, err := f.b.VPCs(ctx, fleet)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(vpcs, func(v engine.ProjectVPC) bool { return v.Name == "vpc-gz-prod" && v.Region == "cn-south-1" })
	j := slices.IndexFunc(vpcs, func(v engine.ProjectVPC) bool { return v.Region == "cn-north-4" })
	if i < 0 || j < 0 || len(vpcs[i].Subnets) == 0 || vpcs[i].ProjectID == "" {
		t.Fatalf("fleet VPCs %+v; want every project's VPCs, each with its project and region", vpcs)
	}
	out, err := f.b.Fetch(ctx, engine.FetchRequest{Target: fleet, Validity: api.Days(30), Mode: store.ModeInline, Kubeconfig: f.kube,
		VPCID: vpcs[i].ID, SubnetID: vpcs[i].Subnets[0].ID, ProjectID: vpcs[i].ProjectID})
	if err != nil {
		t.Fatal(err)
	}
	c := out.Credential
	kc, err := clientcmd.LoadFromFile(f.kube)
	if err != nil || len(c.Contexts) != 1 || kc.Contexts[c.Contexts[0]] == nil {
		t.Fatalf("fleet credential contexts %v not in %s (%v)", c.Contexts, f.kube, err)
	}
	_, err = f.b.Fetch(ctx, engine.FetchRequest{Target: fleet, Validity: api.Days(30), Kubeconfig: f.kube, VPCID: "not-a-vpc", SubnetID: "x"})
	if err == nil || !strings.Contains(err.Error(), "none of the projects") {
		t.Fatalf("fetch with an unknown VPC: %v; want a refusal naming the problem", err)
	}
	off := f.refresh(t, "asia-batch")
	if _, err := f.b.Fetch(ctx, engine.FetchRequest{Target: off, Validity: api.Days(30), Kubeconfig: f.kube}); err == nil || !strings.Contains(err.Error(), "federation") {
		t.Fatalf("fetch for a fleet with federation off: %v; want a federation error", err)
	}
}

// TestTUIBackendLegacyWarning: a pre-v1.13 cluster's certificate comes
// with the engine's warning that its validity is the cluster's own, when
// fetched and when renewed.
func TestTUIBackendLegacyWarning(t *testing.T) {
	f := newTUIFixture(t, true)
	target := f.refresh(t, "legacy-billing")
	out, err := f.b.Fetch(t.Context(), engine.FetchRequest{Target: target, Validity: api.Days(7), Roles: []api.ContextRole{api.RoleInternal}, Mode: store.ModeInline, Kubeconfig: f.kube})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Warnings) != 1 || !strings.Contains(out.Warnings[0], "older than v1.13") || out.Credential.ID == "" {
		t.Fatalf("legacy fetch: credential %q, warnings %q; want one warning about v1.13", out.Credential.ID, out.Warnings)
	}
	renewed, err := f.b.Renew(t.Context(), out.Credential.ID)
	if err != nil {
		t.Fatal(err)
	}
	// The renewal is the first write over the file the fetch made, so the
	// kubeconfig writer's notice (its original kept) follows the warning.
	if len(renewed.Warnings) == 0 || !strings.Contains(renewed.Warnings[0], "older than v1.13") {
		t.Fatalf("legacy renew: warnings %q; want the same warning as the fetch first", renewed.Warnings)
	}
	for _, w := range renewed.Warnings[1:] {
		if !strings.Contains(w, ".ccecert-orig") {
			t.Errorf("legacy renew: unexpected warning %q", w)
		}
	}
}

// TestTUIBackendWithoutKey: no AK/SK is not fatal; the cache still opens
// and the refresh says which variables to set.
func TestTUIBackendWithoutKey(t *testing.T) {
	f := newTUIFixture(t, false)
	ctx := t.Context()
	if _, err := f.b.CachedTargets(ctx); err != nil {
		t.Fatalf("cache without a key: %v", err)
	}
	if _, err := f.b.Credentials(ctx); err != nil {
		t.Fatalf("credentials without a key: %v", err)
	}
	_, err := f.b.Refresh(ctx, nil)
	if err == nil || !strings.Contains(err.Error(), api.EnvAK) {
		t.Fatalf("refresh without a key: %v; want an error naming %s", err, api.EnvAK)
	}
	if f.srv.Requests() != 0 {
		t.Fatalf("%d requests reached the cloud without a key", f.srv.Requests())
	}
	if got := tuiOptions(f.a).Account; got != "no access key @ "+strings.TrimPrefix(f.srv.URL, "https://") {
		t.Fatalf("account label %q", got)
	}
}

func TestTUIOptionsFromApp(t *testing.T) {
	f := newTUIFixture(t, true)
	o := tuiOptions(f.a)
	ak := f.vars[api.EnvAK]
	if !strings.HasPrefix(o.Account, "AK "+ak[:4]+"…") || strings.Contains(o.Account, ak) || strings.Contains(o.Account, f.vars[api.EnvSK]) {
		t.Fatalf("account label %q: want the AK's first four characters only", o.Account)
	}
	if o.KubeconfigPath != f.kube || o.Home != f.home || o.StaleAfter != f.a.cfg.InventoryStale || o.Thresholds != f.a.cfg.Thresholds || o.Demo || o.NoColor {
		t.Fatalf("options %+v do not follow the app", o)
	}
	f.vars["NO_COLOR"] = "1"
	if !tuiOptions(f.a).NoColor {
		t.Fatal("NO_COLOR is not honoured")
	}
	delete(f.vars, "NO_COLOR")
	f.a.g.noColor = true
	if !tuiOptions(f.a).NoColor {
		t.Fatal("--no-color is not honoured")
	}
}

func TestTUILabels(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cases := []struct {
		demo bool
		vars map[string]string
		want string
	}{
		{true, map[string]string{api.EnvAK: "SECRETISH"}, "demo"},
		{false, nil, "no access key"},
		{false, map[string]string{api.EnvAK: "ABCDEFGHIJ"}, "AK ABCD…"},
		{false, map[string]string{api.EnvAK: "AB", api.EnvEndpoint: "https://127.0.0.1:8443"}, "AK AB… @ 127.0.0.1:8443"},
	}
	for _, c := range cases {
		if got := accountLabel(c.demo, env(c.vars)); got != c.want {
			t.Errorf("accountLabel(%v, %v) = %q; want %q", c.demo, c.vars, got, c.want)
		}
	}
	for want, regions := range map[string][]string{"all regions": nil, "cn-north-4": {"cn-north-4"}, "cn-north-4,+2": {"cn-north-4", "cn-east-3", "cn-south-1"}} {
		if got := regionsLabel(regions); got != want {
			t.Errorf("regionsLabel(%v) = %q; want %q", regions, got, want)
		}
	}
}

// TestTUIBackendDrain: quitting waits for calls in flight, then refuses
// new ones (the app is never touched after that).
func TestTUIBackendDrain(t *testing.T) {
	b := newTUIBackend(nil) // a call reaching the app would panic
	if err := b.enter(); err != nil {
		t.Fatal(err)
	}
	if b.drain(10 * time.Millisecond) {
		t.Fatal("drain reported done while a call was in flight")
	}
	b.leave()
	if !b.drain(time.Minute) {
		t.Fatal("drain did not finish after the call ended")
	}
	if _, err := b.CachedTargets(context.Background()); !errors.Is(err, errTUIClosing) {
		t.Fatalf("call after drain: %v; want errTUIClosing", err)
	}
}

// TestTUIRefusesWithoutTerminal: no TTY means a clear error pointing at
// `ccecert status`, before anything is opened.
func TestTUIRefusesWithoutTerminal(t *testing.T) {
	isolateMain(t)
	for _, args := range [][]string{nil, {"--demo"}} {
		var stdout, stderr bytes.Buffer
		code := Run(context.Background(), testDeps, args, strings.NewReader(""), &stdout, &stderr)
		if code != 1 || !strings.Contains(stderr.String(), "ccecert status") || stdout.Len() != 0 {
			t.Fatalf("ccecert %v without a terminal: exit %d, stderr %q", args, code, stderr.String())
		}
	}
	if entries, _ := os.ReadDir(os.Getenv("XDG_DATA_HOME")); len(entries) != 0 {
		t.Fatalf("the data dir was created without a terminal: %v", entries)
	}
}
