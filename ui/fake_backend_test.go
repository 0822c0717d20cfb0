package ui

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"ccecert/api"
	"ccecert/store"
	"ccecert/store/engine"
)

// testNow is the fixed clock of every test.
var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

// fakeBackend is a deterministic Backend: fixed inventory and credentials,
// calls recorded, errors injectable.
type fakeBackend struct {
	mu            sync.Mutex
	inv           Inventory
	refreshInv    Inventory
	refreshErr    error
	creds         []store.Credential
	vpcs          []engine.ProjectVPC
	vpcErr        error
	fetchErr      error
	fetchKeeps    bool     // with fetchErr: the credential is stored anyway, as when the kubeconfig write fails
	fetchWarn     []string // warnings every fetch gives
	renewErr      map[string]error
	renewWarnings []string            // every renewal's engine warnings
	events        []store.EventRecord // the log, oldest first
	eventsErr     error
	eventQueries  []store.EventQuery
	calls         []string
	fetches       []engine.FetchRequest
	panicOn       string        // a method name that panics
	delay         time.Duration // per call (and per region in Refresh), for the interactive demo
	kube          fakeKube      // the $KUBECONFIG contexts (fake_backend_contexts_test.go)
}

func (f *fakeBackend) record(call string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, call)
	if f.panicOn != "" && f.panicOn == call {
		panic("boom in " + call)
	}
	time.Sleep(f.delay)
}

func (f *fakeBackend) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

func (f *fakeBackend) CachedTargets(context.Context) (Inventory, error) {
	f.record("CachedTargets")
	return f.inv, nil
}

func (f *fakeBackend) Refresh(_ context.Context, progress func(done, total int)) (Inventory, error) {
	f.record("Refresh")
	for i := 1; i <= 3; i++ {
		time.Sleep(f.delay)
		progress(i, 3)
	}
	return f.refreshInv, f.refreshErr
}

func (f *fakeBackend) Credentials(context.Context) ([]store.Credential, error) {
	f.record("Credentials")
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.creds), nil
}

func (f *fakeBackend) VPCs(_ context.Context, t api.Target) ([]engine.ProjectVPC, error) {
	f.record("VPCs")
	return f.vpcs, f.vpcErr
}

func (f *fakeBackend) Fetch(_ context.Context, req engine.FetchRequest) (FetchOutcome, error) {
	f.record("Fetch")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fetches = append(f.fetches, req)
	if f.fetchErr != nil && !f.fetchKeeps {
		return FetchOutcome{}, f.fetchErr
	}
	c := newCred("f1e2d3c4", req.Target, testNow, req.Validity.NotAfter(testNow))
	c.Validity = req.Validity
	f.creds = append(f.creds, c)
	return FetchOutcome{Credential: c, Warnings: f.fetchWarn}, f.fetchErr
}

func (f *fakeBackend) Renew(_ context.Context, id string) (FetchOutcome, error) {
	f.record("Renew")
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.renewErr[id]; err != nil {
		return FetchOutcome{}, err
	}
	for i, c := range f.creds {
		if c.ID == id {
			n := newCred("r-"+id, c.Target, testNow, testNow.Add(30*day))
			f.creds[i].ReplacedBy = n.ID
			f.creds = append(f.creds, n)
			return FetchOutcome{Credential: n, Warnings: f.renewWarnings}, nil
		}
	}
	return FetchOutcome{}, fmt.Errorf("credential %s not found: refresh the list", id)
}

func (f *fakeBackend) Revoke(_ context.Context, id string) ([]string, error) {
	f.record("Revoke")
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, c := range f.creds {
		if c.ID == id {
			f.creds[i].RevokedAt = testNow
			return []string{id}, nil
		}
	}
	return nil, errors.New("not found")
}

func (f *fakeBackend) Export(context.Context, string, string) error {
	f.record("Export")
	return nil
}

func (f *fakeBackend) UseContext(context.Context, string, string) error {
	f.record("UseContext")
	return nil
}

// Events answers from f.events as the store does: the records of
// q.Target (by key), the newest q.Limit, oldest first.
func (f *fakeBackend) Events(_ context.Context, q store.EventQuery) ([]store.EventRecord, error) {
	f.record("Events")
	f.mu.Lock()
	defer f.mu.Unlock()
	f.eventQueries = append(f.eventQueries, q)
	if f.eventsErr != nil {
		return nil, f.eventsErr
	}
	var out []store.EventRecord
	for _, e := range f.events {
		if q.Target == "" || e.Target == q.Target {
			out = append(out, e)
		}
	}
	if q.Limit > 0 && len(out) > q.Limit {
		out = out[len(out)-q.Limit:]
	}
	return out, nil
}

// Targets of the test inventory.
func testTargets() []api.Target {
	ep := func(ext bool) api.Endpoints {
		e := api.Endpoints{Internal: "https://192.168.0.10:5443"}
		if ext {
			e.External = "https://100.85.1.2:5443"
		}
		return e
	}
	cce := func(id, name, region, version, phase string, ext bool) api.Target {
		return api.Target{Kind: api.KindCCE, ID: id, Name: name, Region: region, ProjectID: "p-" + region, Version: version, Phase: phase, Endpoints: ep(ext)}
	}
	ap := cce("c-auto", "staging-auto", "ap-southeast-1", "v1.30", api.PhaseAvailable, true)
	ap.Kind = api.KindAutopilot
	return []api.Target{
		cce("c-web", "prod-web", "cn-north-4", "v1.28", api.PhaseAvailable, true),
		cce("c-api", "prod-api", "cn-north-4", "v1.29", api.PhaseAvailable, false),
		ap,
		cce("c-old", "legacy-batch", "cn-east-3", "v1.11", api.PhaseAvailable, false),
		cce("c-zzz", "sleepy", "cn-east-3", "v1.27", api.PhaseHibernation, true),
		cce("c-evil", "\x1b[31mevil\x1b]0;pwned\x07", "cn-south-1", "v1.28", api.PhaseAvailable, true),
		{Kind: api.KindFleet, ID: "f-main", Name: "fleet-main", Region: "global", Federation: true, Members: []string{"prod-web", "prod-api", "staging-auto"}},
		{Kind: api.KindFleet, ID: "f-off", Name: "fleet-off", Region: "global", Federation: false, Members: []string{"legacy-batch"}},
	}
}

// newCred is a fetched credential for t with internal (verified) and, with
// an EIP, external (insecure) contexts.
func newCred(id string, t api.Target, nb, na time.Time) store.Credential {
	c := store.Credential{
		ID: id, Target: t, Subject: "user-" + t.ID, Serial: "0a1b" + id, Fingerprint: "ab12cd34" + id,
		NotBefore: nb, NotAfter: na, Validity: api.Days(int(na.Sub(nb) / day)), Source: store.SourceFetched,
		Kubeconfig: "/home/op/.kube/config", Mode: store.ModeInline, CreatedAt: nb, HasKey: true,
	}
	switch {
	case t.Kind == api.KindFleet:
		c.Contexts = []string{t.Name + "-federation"}
		c.Clusters = []store.ClusterRef{{Role: api.RoleFederation, Name: "federation"}}
	default:
		c.Contexts = []string{t.Name + "-internal"}
		c.Clusters = []store.ClusterRef{{Role: api.RoleInternal, Name: "internal"}}
		if t.HasEIP() {
			c.Contexts = append(c.Contexts, t.Name+"-external")
			c.Clusters = append(c.Clusters, store.ClusterRef{Role: api.RoleExternal, Name: "external", Insecure: true})
		}
	}
	for _, r := range c.Clusters {
		c.Roles = append(c.Roles, r.Role)
	}
	return c
}

// testCreds covers every health: ok, warning, critical (under an hour),
// expired, revoked, token-only, and an imported one for an unknown target.
func testCreds() []store.Credential {
	ts := testTargets()
	ok := newCred("a1b2c3d4", ts[0], testNow.Add(-300*day), testNow.Add(65*day))
	warn := newCred("b2c3d4e5", ts[1], testNow.Add(-25*day), testNow.Add(5*day))
	crit := newCred("c3d4e5f6", ts[2], testNow.Add(-6*day), testNow.Add(30*time.Minute+9*time.Second))
	expired := newCred("d4e5f6a7", ts[3], testNow.Add(-33*day), testNow.Add(-3*day))
	revoked := newCred("e5f6a7b8", ts[0], testNow.Add(-10*day), testNow.Add(20*day))
	revoked.RevokedAt = testNow.Add(-day)
	token := newCred("f6a7b8c9", ts[6], testNow.Add(-day), time.Time{})
	token.TokenOnly, token.NotBefore, token.Subject, token.Serial = true, time.Time{}, "", ""
	imported := newCred("0a9b8c7d", api.Target{Kind: api.KindCCE, Name: "console-import", Region: "eu-west-101"}, testNow.Add(-35*day), testNow.Add(400*day))
	imported.Source, imported.Kubeconfig = store.SourceImported, "/home/op/Downloads/kubeconfig.json"
	return []store.Credential{ok, warn, crit, expired, revoked, token, imported}
}

func newFake() *fakeBackend {
	inv := Inventory{Targets: testTargets(), FetchedAt: testNow.Add(-5 * time.Minute)}
	return &fakeBackend{
		inv:        inv,
		refreshInv: Inventory{Targets: testTargets(), FetchedAt: testNow},
		creds:      testCreds(),
		vpcs: []engine.ProjectVPC{
			{VPC: api.VPC{ID: "vpc-1", Name: "vpc-main", CIDR: "10.0.0.0/16", Subnets: []api.Subnet{{ID: "sub-1", Name: "subnet-a", CIDR: "10.0.1.0/24"}, {ID: "sub-2", Name: "subnet-b", CIDR: "10.0.2.0/24"}}}, ProjectID: "p-cn-north-4", Region: "cn-north-4"},
			{VPC: api.VPC{ID: "vpc-2", Name: "vpc-edge", CIDR: "172.16.0.0/16", Subnets: []api.Subnet{{ID: "sub-3", Name: "edge-a", CIDR: "172.16.1.0/24"}}}, ProjectID: "p-cn-north-4", Region: "cn-north-4"},
		},
		kube: fakeKube{list: testContexts()},
	}
}

// testOptions are the options of every test: fixed clock, UTC.
func testOptions(clock *time.Time) Options {
	return Options{
		Now:              func() time.Time { return *clock },
		Location:         time.UTC,
		Account:          "acme-ops",
		Regions:          "cn-north-4 +3",
		KubeconfigPath:   "/home/op/.kube/config",
		Home:             "/home/op",
		NoRefreshOnStart: true,
		Clipboard:        func(string) error { return nil },
	}
}
