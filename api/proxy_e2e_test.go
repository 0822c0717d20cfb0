package api

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"ccecert/api/emulator"
)

// End-to-end through the emulator's proxy mode (HTTPS_PROXY): ccecert
// calls the sites' real host names, the emulator terminates TLS for them
// and asserts, request by request, that each arrived at the host the
// documents give for its service and region. No DNS, no real host.

// multiSiteInventory is the demo's Huawei Cloud account without
// eu-west-101, plus a Huawei Cloud Europe account (the demo's eu-west-101
// on its own), an Open Telekom Cloud account and a Huawei Cloud
// International account.
func multiSiteInventory() *emulator.Inventory {
	inv := emulator.DemoInventory()
	var projects []emulator.Project
	for _, p := range inv.Projects {
		if p.Name != "eu-west-101" {
			projects = append(projects, p)
		}
	}
	inv.Projects = projects
	var clusters []emulator.Cluster
	for _, c := range inv.Clusters {
		if c.Project != "eu-west-101" {
			clusters = append(clusters, c)
		}
	}
	inv.Clusters = clusters
	for i := range inv.Fleets {
		var members []string
		for _, m := range inv.Fleets[i].Members {
			if m != "prod-eu" {
				members = append(members, m)
			}
		}
		inv.Fleets[i].Members = members
	}
	vpc := func(name, cidr, subnet string) []emulator.VPC {
		return []emulator.VPC{{Name: name, CIDR: cidr, Subnets: []emulator.Subnet{{Name: name + "-sn", CIDR: subnet}}}}
	}
	inv.Accounts = []emulator.Inventory{
		{
			Site: emulator.SiteHuaweiCloudEU, Domain: emulator.Domain{Name: "acme-eu"}, User: emulator.User{Name: "ops-eu"},
			Projects: []emulator.Project{{Name: "eu-west-101", VPCs: vpc("vpc-eu", "10.30.0.0/16", "10.30.0.0/20")}},
			Clusters: []emulator.Cluster{{Name: "prod-eu", Project: "eu-west-101", Version: "v1.31", EIP: true}},
		},
		{
			Site: emulator.SiteOTC, Domain: emulator.Domain{Name: "acme-otc"}, User: emulator.User{Name: "ops-otc"},
			Projects: []emulator.Project{{Name: "eu-de", VPCs: vpc("vpc-de", "10.40.0.0/16", "10.40.0.0/20")}, {Name: "eu-nl"}, {Name: "eu-de_ops"}},
			Clusters: []emulator.Cluster{
				{Name: "otc-web", Project: "eu-de", Version: "v1.30", EIP: true, ExternalType: "External_OTC"},
				{Name: "otc-batch", Project: "eu-nl", Version: "v1.29"},
				{Name: "otc-ops", Project: "eu-de_ops", Version: "v1.31"},
			},
		},
		{
			Site: emulator.SiteHuaweiCloud, International: true, Domain: emulator.Domain{Name: "acme-intl"}, User: emulator.User{Name: "ops-intl"},
			Projects: []emulator.Project{{Name: "ap-southeast-3", VPCs: vpc("vpc-sg", "10.50.0.0/16", "10.50.0.0/20")}},
			Clusters: []emulator.Cluster{{Name: "intl-web", Project: "ap-southeast-3", Version: "v1.31"}},
			Fleets:   []emulator.Fleet{{Name: "intl-fleet", Federation: true, Members: []string{"intl-web"}}},
		},
	}
	return inv
}

// proxyCloud is an emulator in proxy mode with the multi-site inventory,
// and a CA file that trusts its serving certificates.
type proxyCloud struct {
	srv    *emulator.Server
	caFile string
}

func startProxyCloud(t *testing.T, opts emulator.Options) *proxyCloud {
	t.Helper()
	isolateHome(t)
	if opts.Inventory == nil {
		opts.Inventory = multiSiteInventory()
	}
	opts.Proxy = true
	srv := startEmulator(t, opts)
	caFile, err := srv.WriteCAFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return &proxyCloud{srv: srv, caFile: caFile}
}

// account is the served account on site (international or not).
func (pc *proxyCloud) account(t *testing.T, site string, intl bool) *emulator.Server {
	t.Helper()
	for _, a := range append([]*emulator.Server{pc.srv}, pc.srv.Accounts()...) {
		if a.Site() == site && a.Inventory().International == intl {
			return a
		}
	}
	t.Fatalf("no %s account (international %v)", site, intl)
	return nil
}

// client is a Client of acct through the proxy, configured as a real user
// would be: a site, no CCECERT_ENDPOINT; mod adjusts the config.
func (pc *proxyCloud) client(t *testing.T, acct *emulator.Server, mod func(*Config)) *Client {
	t.Helper()
	env := map[string]string{"HTTPS_PROXY": pc.srv.ProxyURL}
	site, _ := ParseSite(acct.Site())
	cfg := Config{AK: acct.AK, SK: Secret(acct.SK), CAFile: pc.caFile, UserAgent: "ccecert/test",
		Site: site, International: acct.Inventory().International,
		Getenv: func(k string) string { return env[k] }, Timeout: 10 * time.Second,
		Retry: RetryPolicy{Sleep: (&sleepLog{}).sleep}}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// siteDomains is the test's own copy of the documented domains.
var siteDomains = map[string]string{
	"huaweicloud": "myhuaweicloud.com", "huaweicloud-eu": "myhuaweicloud.eu", "otc": "otc.t-systems.com",
}

// wantHost is the host the documents give for a logged request.
func wantHost(acct *emulator.Server, r emulator.RequestRecord, iamRegion string) string {
	dom := siteDomains[acct.Site()]
	seg := strings.Split(strings.Trim(r.Path, "/"), "/")
	switch {
	case seg[0] == "v3":
		return "iam." + iamRegion + "." + dom
	case seg[0] == "api" || seg[0] == "autopilot":
		return "cce." + r.Region + "." + dom
	case seg[0] == "v1" && (seg[1] == "clustergroups" || seg[1] == "clusters"):
		if acct.Inventory().International {
			return "ucs-intl.myhuaweicloud.com"
		}
		return "ucs.myhuaweicloud.com"
	case seg[0] == "v1" && len(seg) > 2 && (seg[2] == "vpcs" || seg[2] == "subnets"):
		return "vpc." + r.Region + "." + dom
	}
	return "?"
}

// assertHosts checks every request the account received since from: at
// the documented host, and answered 2xx.
func assertHosts(t *testing.T, acct *emulator.Server, from int, iamRegion string) {
	t.Helper()
	log := relSettledLog(t, acct)[from:]
	if len(log) == 0 {
		t.Fatal("no request reached the account")
	}
	for _, r := range log {
		if want := wantHost(acct, r, iamRegion); r.Host != want || r.Status/100 != 2 {
			t.Errorf("%s %s at %q answered %d, want host %q and 2xx", r.Method, r.Path, r.Host, r.Status, want)
		}
	}
}

func findTarget(t *testing.T, inv *Inventory, name string) Target {
	t.Helper()
	for _, tg := range inv.Targets {
		if tg.Name == name {
			return tg
		}
	}
	t.Fatalf("%s not listed: %+v", name, inv.Targets)
	return Target{}
}

// listIssueRevoke is the CLI's `list --refresh`, `get` and `revoke` at the
// api level for one cluster.
func listIssueRevoke(t *testing.T, c *Client, acct *emulator.Server, cluster string) *Inventory {
	t.Helper()
	ctx := context.Background()
	inv, err := c.Inventory(ctx, InventoryOptions{})
	if err != nil || len(inv.Errors) > 0 {
		t.Fatalf("inventory: %v %v", err, inv.Errors)
	}
	tg := findTarget(t, inv, cluster)
	is, err := c.Issue(ctx, tg, CertRequest{Validity: Days(7)})
	if err != nil {
		t.Fatalf("issue %s: %v", cluster, err)
	}
	if leaf(t, is).Subject.CommonName != acct.UserID {
		t.Fatalf("CN %q", leaf(t, is).Subject.CommonName)
	}
	if _, err := c.Revoke(ctx, tg, acct.UserID); err != nil {
		t.Fatalf("revoke %s: %v", cluster, err)
	}
	return inv
}

// siteRun starts the multi-site emulator in proxy mode and runs `list
// --refresh`, `get` and `revoke` for cluster as the account of site.
func siteRun(t *testing.T, site string, intl bool, cluster string) (*proxyCloud, *emulator.Server, *Client, *Inventory) {
	t.Helper()
	pc := startProxyCloud(t, emulator.Options{})
	acct := pc.account(t, site, intl)
	c := pc.client(t, acct, nil)
	return pc, acct, c, listIssueRevoke(t, c, acct, cluster)
}

// fleetGet is a fleet `get` that creates the federation connection in a
// VPC of project region.
func fleetGet(t *testing.T, c *Client, inv *Inventory, fleet, region string) {
	t.Helper()
	ctx := context.Background()
	ps, err := c.Projects(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Name != region {
			continue
		}
		vpcs, err := c.VPCs(ctx, p.ID)
		if err != nil || len(vpcs) == 0 {
			t.Fatalf("VPCs of %s: %v %v", region, vpcs, err)
		}
		req := CertRequest{Validity: Days(30), ProjectID: p.ID, VPCID: vpcs[0].ID, SubnetID: vpcs[0].Subnets[0].ID}
		if _, err := c.Issue(ctx, findTarget(t, inv, fleet), req); err != nil {
			t.Fatalf("fleet %s: %v", fleet, err)
		}
		return
	}
	t.Fatalf("no project %s", region)
}

func TestProxyHuaweiCloud(t *testing.T) {
	_, acct, c, inv := siteRun(t, "huaweicloud", false, "prod-payments")
	if _, err := c.Issue(t.Context(), findTarget(t, inv, "serverless-api"), CertRequest{Validity: Days(1)}); err != nil {
		t.Fatalf("Autopilot: %v", err)
	}
	fleetGet(t, c, inv, "global-prod", "cn-north-4")
	if len(inv.Notes) != 0 {
		t.Errorf("notes %v", inv.Notes)
	}
	assertHosts(t, acct, 0, "cn-north-4")
}

func TestProxyHuaweiCloudInternational(t *testing.T) {
	pc, acct, c, inv := siteRun(t, "huaweicloud", true, "intl-web")
	fleetGet(t, c, inv, "intl-fleet", "ap-southeast-3")
	assertHosts(t, acct, 0, "cn-north-4")

	// The same key without the International setting: UCS at the Chinese
	// Mainland host does not know it, and the error names the setting.
	cn := pc.client(t, acct, func(c *Config) { c.International = false })
	inv, err := cn.Inventory(t.Context(), InventoryOptions{})
	if err != nil || len(inv.Errors) == 0 {
		t.Fatalf("inventory at the wrong UCS: %v %+v", err, inv)
	}
	for _, re := range inv.Errors {
		if re.Kind == KindFleet && !strings.Contains(re.Error(), "international: true") {
			t.Errorf("fleet error does not name the setting: %v", re)
		}
	}
}

func TestProxyHuaweiCloudEurope(t *testing.T) {
	_, acct, _, inv := siteRun(t, "huaweicloud-eu", false, "prod-eu")
	if len(inv.Notes) != 2 || !strings.Contains(strings.Join(inv.Notes, "\n"), "not documented for Huawei Cloud Europe") {
		t.Errorf("notes %v, want Autopilot and UCS not documented", inv.Notes)
	}
	assertHosts(t, acct, 0, "eu-west-101")
}

func TestProxyOpenTelekomCloud(t *testing.T) {
	_, acct, c, inv := siteRun(t, "otc", false, "otc-web")
	if web := findTarget(t, inv, "otc-web"); !web.HasEIP() || web.Endpoints.ExternalOTC == "" {
		t.Errorf("otc-web endpoints %+v", web.Endpoints)
	}
	for _, name := range []string{"otc-batch", "otc-ops"} {
		tg := findTarget(t, inv, name)
		if _, err := c.Issue(t.Context(), tg, CertRequest{Validity: Days(1)}); err != nil {
			t.Fatalf("%s in %s: %v", name, tg.Region, err)
		}
	}
	// Asked for by name, fleets are an error that says why.
	inv, err := c.Inventory(t.Context(), InventoryOptions{Kinds: []Kind{KindFleet}})
	if err == nil || len(inv.Errors) != 1 || !strings.Contains(err.Error(), "UCS (fleets) is not documented for Open Telekom Cloud") {
		t.Fatalf("fleets on OTC: %v %+v", err, inv)
	}
	assertHosts(t, acct, 0, "eu-de")
}

// A request at the wrong host gets the gateway's 404 APIGW.0101; a host no
// site has fails like a DNS lookup; a key at another site's host is not
// known there.
func TestProxyWrongAndUnknownHosts(t *testing.T) {
	pc := startProxyCloud(t, emulator.Options{})
	acct := pc.account(t, "huaweicloud", false)
	good := pc.client(t, acct, nil)
	inv, err := good.Inventory(t.Context(), InventoryOptions{Kinds: []Kind{KindCCE}})
	if err != nil {
		t.Fatal(err)
	}
	web := findTarget(t, inv, "prod-web") // cn-north-4

	wrongRegion := pc.client(t, acct, func(c *Config) {
		c.Endpoints = map[Service]string{ServiceCCE: "https://cce.cn-east-3.myhuaweicloud.com"}
	})
	_, err = wrongRegion.Issue(t.Context(), web, CertRequest{Validity: Days(1)})
	if ae, ok := asError(err); !ok || ae.Status != http.StatusNotFound || ae.Code != "APIGW.0101" {
		t.Fatalf("cn-north-4 cluster at cce.cn-east-3: %v", err)
	}

	wrongService := pc.client(t, acct, func(c *Config) {
		c.Endpoints = map[Service]string{ServiceCCE: "https://vpc.{region}.myhuaweicloud.com"}
	})
	_, err = wrongService.Issue(t.Context(), web, CertRequest{Validity: Days(1)})
	if ae, ok := asError(err); !ok || ae.Status != http.StatusNotFound || ae.Code != "APIGW.0101" {
		t.Fatalf("CCE at the VPC host: %v", err)
	}

	nowhere := web
	nowhere.Region = "cn-nowhere-9"
	nowhere.ProjectID = "00000000000000000000000000000009"
	before := acct.Requests()
	_, err = good.Issue(t.Context(), nowhere, CertRequest{Validity: Days(1)})
	if ae, ok := asError(err); !ok || ae.Status != 0 || !strings.Contains(err.Error(), "cannot resolve cce.cn-nowhere-9.myhuaweicloud.com") ||
		ae.MayHaveActed() || acct.Requests() != before {
		t.Fatalf("unknown host: %v", err)
	}

	otc := pc.account(t, "otc", false)
	foreign := pc.client(t, otc, func(c *Config) { c.Site = SiteHuaweiCloud })
	_, err = foreign.Projects(t.Context())
	if ae, ok := asError(err); !ok || ae.Status != http.StatusUnauthorized {
		t.Fatalf("OTC key at Huawei Cloud's IAM: %v", err)
	}
}

// --latency costs, on a fresh connection, the connection set-up and the
// TLS handshake besides the request itself; a kept-alive connection pays
// only the request.
func TestProxyLatencyPerConnection(t *testing.T) {
	const l = 200 * time.Millisecond
	pc := startProxyCloud(t, emulator.Options{Faults: emulator.Faults{Latency: l}})
	acct := pc.account(t, "huaweicloud", false)
	c := pc.client(t, acct, nil)
	start := time.Now()
	if _, err := c.Projects(t.Context()); err != nil {
		t.Fatal(err)
	}
	first := time.Since(start)
	start = time.Now()
	if _, err := c.Projects(t.Context()); err != nil {
		t.Fatal(err)
	}
	second := time.Since(start)
	if first < 3*l || second >= 3*l {
		t.Fatalf("first call %v (want ≥ %v: connect, handshake, request), second %v (want < %v)", first, 3*l, second, 3*l)
	}
}

// NO_PROXY is honoured; loopback is never proxied.
func TestProxyFuncHonoursNoProxy(t *testing.T) {
	env := map[string]string{"HTTPS_PROXY": "http://127.0.0.1:3128", "NO_PROXY": ".otc.t-systems.com"}
	fn := proxyFunc(func(k string) string { return env[k] })
	for u, want := range map[string]string{
		"https://cce.cn-north-4.myhuaweicloud.com/api": "http://127.0.0.1:3128",
		"https://cce.eu-de.otc.t-systems.com/api":      "",
		"https://127.0.0.1:8443/v3":                    "",
	} {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		got, err := fn(req)
		if err != nil || (got == nil) != (want == "") || (got != nil && got.String() != want) {
			t.Errorf("%s: proxy %v %v, want %q", u, got, err, want)
		}
	}
}
