package api

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"ccecert/api/emulator"
)

// The wire fixes of issue 12, each against the emulator, which holds the
// product to the documented API.

// certBody always carries duration (mandatory in the English reference),
// and with an exact expiry also expire_at and the days up to it.
func TestCertBodySendsDurationWithExpireAt(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		v        Validity
		duration int
		expireAt string
	}{
		{Days(30), 30, ""},
		{Days(MaxDuration), -1, ""},
		{Until(now.Add(20 * time.Minute)), 1, "2026-03-01 12:20:00 +0000 UTC"},
		{Until(now.Add(48*time.Hour + time.Minute)), 3, "2026-03-03 12:01:00 +0000 UTC"},
		{Until(now.AddDate(5, 0, 0)), MaxDays(now), "2031-03-01 12:00:00 +0000 UTC"},
	}
	for _, tc := range cases {
		raw, err := json.Marshal(certBody(tc.v, now))
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Duration *int    `json:"duration"`
			ExpireAt *string `json:"expire_at"`
		}
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatal(err)
		}
		if got.Duration == nil || *got.Duration != tc.duration {
			t.Errorf("%v: body %s, want duration %d", tc.v, raw, tc.duration)
		}
		if (got.ExpireAt == nil) != (tc.expireAt == "") || (got.ExpireAt != nil && *got.ExpireAt != tc.expireAt) {
			t.Errorf("%v: body %s, want expire_at %q", tc.v, raw, tc.expireAt)
		}
	}
}

// An exact expiry the cloud ignored is said so; one it honoured is not.
func TestIssueSaysWhenTheCloudIgnoredExpireAt(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	tg := e.target(t, "prod-payments")
	exact := time.Now().Add(50 * time.Hour).Truncate(time.Second)

	is, err := e.client.Issue(t.Context(), tg, CertRequest{Validity: Until(exact)})
	if err != nil {
		t.Fatal(err) // the emulator refuses a body without duration
	}
	if is.ExpireAtIgnored || is.Note != "" || !within(is.NotAfter, exact, time.Minute) {
		t.Fatalf("honoured expire_at: ignored=%v note=%q NotAfter=%v", is.ExpireAtIgnored, is.Note, is.NotAfter)
	}

	e.srv.SetFaults(emulator.Faults{IgnoreExpireAt: true})
	is, err = e.client.Issue(t.Context(), tg, CertRequest{Validity: Until(exact)})
	if err != nil {
		t.Fatal(err)
	}
	wantDays := 3 // 50 h, rounded up to whole days
	if !is.ExpireAtIgnored || !within(is.NotAfter, time.Now().Add(time.Duration(wantDays)*24*time.Hour), time.Minute) ||
		!strings.Contains(is.Note, "ignored the exact expiry") || !strings.Contains(is.Note, "3 days") {
		t.Fatalf("ignored expire_at: ignored=%v note=%q NotAfter=%v", is.ExpireAtIgnored, is.Note, is.NotAfter)
	}
	// A duration asks for nothing exact: nothing to say.
	is, err = e.client.Issue(t.Context(), tg, CertRequest{Validity: Days(2)})
	if err != nil || is.ExpireAtIgnored || is.Note != "" {
		t.Fatalf("duration: %v ignored=%v note=%q", err, is != nil && is.ExpireAtIgnored, is.Note)
	}
}

// callsTo counts the logged requests whose path ends in suffix, after
// waiting for hung requests to be logged.
func callsTo(t *testing.T, srv *emulator.Server, from int, method, suffix string) []emulator.RequestRecord {
	t.Helper()
	var out []emulator.RequestRecord
	for _, r := range relSettledLog(t, srv)[from:] {
		if r.Method == method && strings.HasSuffix(r.Path, suffix) {
			out = append(out, r)
		}
	}
	return out
}

// A POST that issues or creates is repeated only when the cloud surely did
// not act. A hung one costs exactly one request at the emulator, and the
// error says what to check.
func TestIssuingPostsRetriedOnlyWhenTheCloudDidNotAct(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, func(c *Config) { c.Timeout = 300 * time.Millisecond })
	ctx := t.Context()
	web := e.target(t, "prod-web")
	fleet := e.target(t, "global-prod")
	p, vpc := fleetVPC(t, e, "cn-north-4")
	withFaults := func(f emulator.Faults, fn func()) {
		e.srv.SetFaults(f)
		defer e.srv.SetFaults(emulator.Faults{})
		fn()
	}
	oneShot := func(name, method, suffix, says string, f emulator.Faults, call func() error) {
		t.Run(name, func(t *testing.T) {
			from := len(relSettledLog(t, e.srv))
			var err error
			withFaults(f, func() { err = call() })
			ae, ok := asError(err)
			if !ok || !ae.MayHaveActed() || !strings.Contains(err.Error(), says) {
				t.Fatalf("error %v, want one that says %q", err, says)
			}
			if got := callsTo(t, e.srv, from, method, suffix); len(got) != 1 {
				t.Fatalf("%d %s …%s requests at the emulator, want exactly 1: %+v", len(got), method, suffix, got)
			}
		})
	}
	hang := emulator.Faults{HangRegions: []string{"cn-north-4"}}
	issue := func(tg Target, req CertRequest) func() error {
		return func() error { _, err := e.client.Issue(ctx, tg, req); return err }
	}
	oneShot("hung clustercert", http.MethodPost, "/clustercert", "a certificate may have been issued",
		hang, issue(web, CertRequest{Validity: Days(1)}))
	oneShot("trickling clustercert", http.MethodPost, "/clustercert", "a certificate may have been issued",
		emulator.Faults{TrickleRegions: []string{"cn-north-4"}}, issue(web, CertRequest{Validity: Days(1)}))
	oneShot("500 on clustercert", http.MethodPost, "/clustercert", "a certificate may have been issued",
		emulator.Faults{ErrorRate: 1}, issue(web, CertRequest{Validity: Days(1)}))
	oneShot("reset on clustercert", http.MethodPost, "/clustercert", "a certificate may have been issued",
		emulator.Faults{ResetRate: 1}, issue(web, CertRequest{Validity: Days(1)}))
	// UCS is global: the fault that plays a hung UCS is a 500 or a reset.
	oneShot("500 on fleet cert", http.MethodPost, "/cert", "federation connection",
		emulator.Faults{ErrorRate: 1}, issue(fleet, CertRequest{Validity: Days(1), ProjectID: p.ID, VPCID: vpc.ID, SubnetID: vpc.Subnets[0].ID}))
	if _, err := e.client.Issue(ctx, fleet, CertRequest{Validity: Days(1), ProjectID: p.ID, VPCID: vpc.ID, SubnetID: vpc.Subnets[0].ID}); err != nil {
		t.Fatal(err)
	}
	oneShot("reset on fleet kubeconfig", http.MethodPost, "/kubeconfig", "a certificate may have been issued",
		emulator.Faults{ResetRate: 1}, issue(fleet, CertRequest{Validity: Days(1)}))
	oneShot("hung revoke", http.MethodPost, "/clustercertrevoke", "revocation may have taken effect",
		hang, func() error { _, err := e.client.Revoke(ctx, web, e.srv.UserID); return err })

	t.Run("429 retried", func(t *testing.T) {
		from := len(relSettledLog(t, e.srv))
		var err error
		withFaults(emulator.Faults{TooMany: 2}, func() { _, err = e.client.Issue(ctx, web, CertRequest{Validity: Days(1)}) })
		if err != nil {
			t.Fatal(err)
		}
		got := callsTo(t, e.srv, from, http.MethodPost, "/clustercert")
		if len(got) != 3 || got[0].Status != 429 || got[1].Status != 429 || got[2].Status != 200 {
			t.Fatalf("requests %+v, want 429, 429, 200", got)
		}
	})
	t.Run("timeout text", func(t *testing.T) {
		var err error
		withFaults(hang, func() { _, err = e.client.Issue(ctx, web, CertRequest{Validity: Days(1)}) })
		if ae, ok := asError(err); !ok || !ae.Timeout() || strings.Contains(err.Error(), "retry in a moment") {
			t.Fatalf("hung POST: %v", err)
		}
	})
}

// resettingListener accepts TCP connections and resets each at once,
// before any TLS handshake: the request is never written.
func resettingListener(t *testing.T) (addr string, accepted *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	accepted = &atomic.Int64{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			if tc, ok := c.(*net.TCPConn); ok {
				_ = tc.SetLinger(0)
			}
			_ = c.Close()
		}
	}()
	t.Cleanup(func() { _ = ln.Close(); <-done })
	return ln.Addr().String(), accepted
}

// A connection that fails before the request is written cannot have made
// the cloud act: the issuing POST is retried, and the error does not say
// a certificate may have been issued.
func TestIssuingPostRetriedWhenNothingWasSent(t *testing.T) {
	isolateHome(t)
	addr, accepted := resettingListener(t)
	sl := &sleepLog{}
	c, err := New(Config{AK: "PREWRITEAK0000000000", SK: Secret("prewrite-secret-0000000000"), Endpoint: "https://" + addr,
		UserAgent: "ccecert/test", Timeout: 2 * time.Second, Retry: RetryPolicy{Sleep: sl.sleep}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tg := Target{Kind: KindCCE, ID: "c0ffee00-0000-0000-0000-000000000001", Name: "x", Region: "cn-north-4",
		ProjectID: "0123456789abcdef0123456789abcdef", Version: "v1.31"}
	_, err = c.Issue(t.Context(), tg, CertRequest{Validity: Days(1)})
	ae, ok := asError(err)
	if !ok || ae.MayHaveActed() || strings.Contains(err.Error(), "may have been issued") {
		t.Fatalf("pre-write failure: %v", err)
	}
	if n := accepted.Load(); n != DefaultMaxAttempts {
		t.Fatalf("%d connections, want %d attempts", n, DefaultMaxAttempts)
	}
}

// The legacy GET is the fallback only when the POST route is missing; a
// cluster the cloud does not know is an error after one request.
func TestLegacyFallbackOnlyWhenThePostRouteIsMissing(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	gone := e.target(t, "prod-web")
	gone.ID = "00000000-0000-0000-0000-000000000000"
	from := len(e.srv.Log())
	_, err := e.client.Issue(t.Context(), gone, CertRequest{Validity: Days(1)})
	if ae, ok := asError(err); !ok || ae.Status != 404 || ae.Code != "CCE.01404001" {
		t.Fatalf("unknown cluster: %v", err)
	}
	if log := e.srv.Log()[from:]; len(log) != 1 || log[0].Method != http.MethodPost {
		t.Fatalf("requests %+v, want the POST alone (no legacy GET)", log)
	}
	for _, tc := range []struct {
		e    *Error
		want bool
	}{
		{&Error{Status: 404, Code: "APIGW.0101"}, true},
		{&Error{Status: 404, Code: "APIG.0101"}, true},
		{&Error{Status: 405}, true},
		{&Error{Status: 404, Code: "CCE.01404001"}, false},
		{&Error{Status: 404}, false},
		{&Error{Status: 400, Code: "APIGW.0101"}, false},
	} {
		if got := routeMissing(tc.e); got != tc.want {
			t.Errorf("routeMissing(%d %s) = %v", tc.e.Status, tc.e.Code, got)
		}
	}
}

// unavailableFederation is the demo with global-prod's federation enabled
// but Unavailable, as in UCS's own ListClusterGroup example.
func unavailableFederation() *emulator.Inventory {
	inv := emulator.DemoInventory()
	for i := range inv.Fleets {
		if inv.Fleets[i].Name == "global-prod" {
			inv.Fleets[i].FederationStatus = "Unavailable"
			inv.Fleets[i].FederationReason = "FederationNotReady"
		}
	}
	return inv
}

// A fleet whose federationId is set but whose Federation condition reads
// Unavailable is federated, shown with its state and reason, and not
// refused as "not enabled".
func TestFleetFederationUnavailableIsNotDisabled(t *testing.T) {
	e := newTestEnv(t, emulator.Options{Inventory: unavailableFederation()}, nil)
	fl := e.target(t, "global-prod")
	if !fl.Federation || fl.FederationStatus != "Unavailable" || fl.FederationReason != "FederationNotReady" || fl.Phase != "Unavailable" {
		t.Fatalf("fleet %+v", fl)
	}
	if off := e.target(t, "asia-batch"); off.Federation {
		t.Fatalf("fleet without federation: %+v", off)
	}
	_, err := e.client.Issue(t.Context(), fl, CertRequest{Validity: Days(1)})
	if err == nil || strings.Contains(err.Error(), "not enabled") ||
		!strings.Contains(err.Error(), "Unavailable (FederationNotReady)") {
		t.Fatalf("issue on an Unavailable federation: %v", err)
	}
}

// Every documented endpoint type is read: External_OTC is an external
// address too.
func TestEndpointTypes(t *testing.T) {
	inv := emulator.DemoInventory()
	for i := range inv.Clusters {
		if inv.Clusters[i].Name == "prod-payments" {
			inv.Clusters[i].ExternalType = "External_OTC"
		}
	}
	e := newTestEnv(t, emulator.Options{Inventory: inv}, nil)
	tg := e.target(t, "prod-payments")
	if !tg.HasEIP() || tg.Endpoints.ExternalOTC == "" || tg.Endpoints.External != tg.Endpoints.ExternalOTC || tg.Endpoints.Internal == "" {
		t.Fatalf("endpoints %+v", tg.Endpoints)
	}
	var ep Endpoints
	for _, typ := range []struct{ typ, url string }{
		{"Internal", "https://10.0.0.1:5443"}, {"External_OTC", "https://gw.example:443"}, {"External", "https://1.2.3.4:5443"},
	} {
		setEndpoint(&ep, typ.typ, typ.url)
	}
	if ep.Internal != "https://10.0.0.1:5443" || ep.External != "https://1.2.3.4:5443" || ep.ExternalOTC != "https://gw.example:443" {
		t.Fatalf("External wins over External_OTC: %+v", ep)
	}
}
