package api

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"ccecert/api/emulator"
)

// leaf parses the issued client certificate.
func leaf(t *testing.T, is *Issued) *x509.Certificate {
	t.Helper()
	b, _ := pem.Decode(is.CertPEM)
	if b == nil {
		t.Fatal("no certificate PEM")
	}
	c, err := x509.ParseCertificate(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tls.X509KeyPair(is.CertPEM, is.Key.Reveal()); err != nil {
		t.Fatalf("key does not match certificate: %v", err)
	}
	return c
}

func within(got, want time.Time, tol time.Duration) bool {
	d := got.Sub(want)
	return d < tol && d > -tol
}

func TestIssueValidities(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	now := time.Now()
	exact := now.Add(48*time.Hour + 17*time.Minute).Truncate(time.Second)
	cases := []struct {
		name string
		v    Validity
		want time.Time
	}{
		{"1 day", Days(1), now.Add(24 * time.Hour)},
		{"30 days", Days(30), now.Add(30 * 24 * time.Hour)},
		{"max days", Days(MaxDays(now)), now.Add(time.Duration(MaxDays(now)) * 24 * time.Hour)},
		{"-1", Days(MaxDuration), now.AddDate(5, 0, 0)},
		{"expire_at", Until(exact), exact},
	}
	for _, kind := range []string{"prod-payments", "serverless-api"} {
		tg := e.target(t, kind)
		for _, tc := range cases {
			t.Run(kind+"/"+tc.name, func(t *testing.T) {
				before := e.srv.Requests()
				is, err := e.client.Issue(context.Background(), tg, CertRequest{Validity: tc.v})
				if tg.Kind == KindAutopilot && !tc.v.ExpireAt.IsZero() {
					// No documented expire_at for Autopilot: refused
					// before any request, saying what to pick instead.
					var ve *ValidityError
					if !errors.As(err, &ve) || !strings.Contains(err.Error(), "not available for Autopilot") ||
						!strings.Contains(err.Error(), "number of days") || e.srv.Requests() != before {
						t.Fatalf("Autopilot expire_at: %v (%d requests)", err, e.srv.Requests()-before)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if is.ExpireAtIgnored || is.Note != "" || !is.NotAfter.Equal(leaf(t, is).NotAfter) {
					t.Fatalf("expiry honoured, yet ignored=%v note=%q NotAfter=%v", is.ExpireAtIgnored, is.Note, is.NotAfter)
				}
				c := leaf(t, is)
				if !within(c.NotAfter, tc.want, time.Minute) {
					t.Fatalf("NotAfter %v, want %v", c.NotAfter, tc.want)
				}
				if c.Subject.CommonName != e.srv.UserID {
					t.Fatalf("CN %q, want the user id", c.Subject.CommonName)
				}
				if is.Legacy || is.RequestID == "" || is.PortID == "" || is.CurrentContext != "external" {
					t.Fatalf("issued legacy=%v req=%q port=%q current=%q", is.Legacy, is.RequestID, is.PortID, is.CurrentContext)
				}
				in, ok1 := is.Context(RoleInternal)
				ex, ok2 := is.Context(RoleExternal)
				if !ok1 || !ok2 || len(in.CAData) == 0 || in.InsecureSkipTLSVerify || !ex.InsecureSkipTLSVerify || len(ex.CAData) != 0 {
					t.Fatalf("contexts %+v", is.Contexts)
				}
			})
		}
	}
}

func TestIssueRefusesBadValidityWithoutARequest(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	cce, fleet := e.target(t, "prod-web"), e.target(t, "global-prod")
	now := time.Now()
	cases := []struct {
		tg Target
		v  Validity
	}{
		{cce, Days(0)}, {cce, Days(-2)}, {cce, Days(MaxDays(now) + 1)},
		{cce, Until(now.Add(10 * time.Minute))}, {cce, Until(now.AddDate(5, 0, 2))},
		{fleet, Days(FleetMaxDays + 1)}, {fleet, Days(0)}, {fleet, Until(now.Add(time.Hour))},
	}
	before := e.srv.Requests()
	for _, tc := range cases {
		_, err := e.client.Issue(context.Background(), tc.tg, CertRequest{Validity: tc.v})
		var ve *ValidityError
		if !errors.As(err, &ve) {
			t.Errorf("%s %v: err %v, want a ValidityError", tc.tg.Name, tc.v, err)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "issue cert for "+tc.tg.Name) {
			t.Errorf("error %q does not name the target", err)
		}
	}
	if n := e.srv.Requests() - before; n != 0 {
		t.Fatalf("%d requests reached the emulator", n)
	}
}

func TestIssueLegacyCluster(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	tg := e.target(t, "legacy-billing")
	if !tg.Legacy() {
		t.Fatalf("v1.11 target not legacy: %+v", tg)
	}
	before := len(e.srv.Log())
	is, err := e.client.Issue(context.Background(), tg, CertRequest{Validity: Days(30)})
	if err != nil {
		t.Fatal(err)
	}
	if !is.Legacy || !within(leaf(t, is).NotAfter, time.Now().Add(365*24*time.Hour), time.Minute) {
		t.Fatalf("legacy=%v NotAfter=%v, want the cluster's own year", is.Legacy, leaf(t, is).NotAfter)
	}
	log := e.srv.Log()[before:]
	if len(log) != 1 || log[0].Method != http.MethodGet || !strings.HasSuffix(log[0].Path, "/clustercert") {
		t.Fatalf("requests %+v, want one legacy GET", log)
	}

	// A target whose version says POST works falls back when the gateway
	// does not publish the POST (404 APIGW.0101).
	tg.Version = "v1.31"
	e.srv.SetFaults(emulator.Faults{LegacyOnlyRegions: []string{tg.Region}})
	defer e.srv.SetFaults(emulator.Faults{})
	before = len(e.srv.Log())
	is, err = e.client.Issue(context.Background(), tg, CertRequest{Validity: Days(30)})
	if err != nil || !is.Legacy {
		t.Fatalf("fallback: legacy=%v err=%v", is != nil && is.Legacy, err)
	}
	log = e.srv.Log()[before:]
	if len(log) != 2 || log[0].Method != http.MethodPost || log[0].Status != 404 || log[1].Method != http.MethodGet || log[1].Status != 200 {
		t.Fatalf("requests %+v, want POST 404 then GET 200", log)
	}
}

func TestIssueHibernatedCluster(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	tg := e.target(t, "analytics-hk")
	_, err := e.client.Issue(context.Background(), tg, CertRequest{Validity: Days(30)})
	ae, ok := asError(err)
	if !ok || ae.Status != 400 || ae.Code == "" || ae.RequestID == "" || ae.Retryable ||
		!strings.Contains(err.Error(), "wake it up") {
		t.Fatalf("hibernated: %v", err)
	}
}

func TestIssueErrorClasses(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	tg := e.target(t, "prod-web")
	ctx := context.Background()

	t.Run("401 wrong SK, no retry", func(t *testing.T) {
		bad, err := New(Config{AK: e.cfg.AK, SK: Secret("not-the-right-secret-key"), Endpoint: e.cfg.Endpoint,
			CAFile: e.cfg.CAFile, UserAgent: "ccecert/test", Retry: RetryPolicy{Sleep: e.sleeps.sleep}})
		if err != nil {
			t.Fatal(err)
		}
		defer bad.Close()
		before := e.srv.Requests()
		_, err = bad.Issue(ctx, tg, CertRequest{Validity: Days(1)})
		if ae, ok := asError(err); !ok || ae.Status != 401 || ae.Code != "APIGW.0301" || !strings.Contains(err.Error(), EnvSK) {
			t.Fatalf("wrong SK: %v", err)
		}
		if n := e.srv.Requests() - before; n != 1 {
			t.Fatalf("%d requests for a 401, want 1", n)
		}
		assertClean(t, err, "not-the-right-secret-key", e.srv.SK)
	})
	t.Run("403 other project, no retry", func(t *testing.T) {
		other := e.target(t, "prod-gz")
		lim := e.limitedClient(t, other.ProjectID)
		before := e.srv.Requests()
		_, err := lim.Issue(ctx, tg, CertRequest{Validity: Days(1)})
		if ae, ok := asError(err); !ok || ae.Status != 403 || !strings.Contains(err.Error(), "cce:cluster:generateClientCredential") {
			t.Fatalf("other project: %v", err)
		}
		if n := e.srv.Requests() - before; n != 1 {
			t.Fatalf("%d requests for a 403, want 1", n)
		}
		if _, err := lim.Issue(ctx, other, CertRequest{Validity: Days(1)}); err != nil {
			t.Fatalf("own project: %v", err)
		}
	})
	t.Run("404 unknown cluster", func(t *testing.T) {
		gone := tg
		gone.ID = "00000000-0000-0000-0000-000000000000"
		_, err := e.client.Issue(ctx, gone, CertRequest{Validity: Days(1)})
		if ae, ok := asError(err); !ok || ae.Status != 404 || !strings.Contains(err.Error(), "refresh the list") {
			t.Fatalf("unknown cluster: %v", err)
		}
	})
	t.Run("429 twice then success", func(t *testing.T) {
		waits := len(e.sleeps.all())
		e.srv.SetFaults(emulator.Faults{TooMany: 2, RetryAfter: time.Second})
		defer e.srv.SetFaults(emulator.Faults{})
		before := len(e.srv.Log())
		if _, err := e.client.Issue(ctx, tg, CertRequest{Validity: Days(1)}); err != nil {
			t.Fatal(err)
		}
		log := e.srv.Log()[before:]
		if len(log) != 3 || log[0].Status != 429 || log[1].Status != 429 || log[2].Status != 200 {
			t.Fatalf("requests %+v", log)
		}
		if w := e.sleeps.all()[waits:]; len(w) != 2 || w[0] != time.Second || w[1] != time.Second {
			t.Fatalf("waits %v, want Retry-After twice", w)
		}
	})
	// Reads are retried on 5xx and resets; the legacy GET is one (the
	// POSTs that issue are not: TestIssuingPostsRetriedOnlyWhenTheCloudDidNotAct).
	legacy := e.target(t, "legacy-billing")
	t.Run("5xx retried up to MaxAttempts", func(t *testing.T) {
		e.srv.SetFaults(emulator.Faults{ErrorRate: 1})
		defer e.srv.SetFaults(emulator.Faults{})
		before := e.srv.Requests()
		_, err := e.client.Issue(ctx, legacy, CertRequest{Validity: Days(1)})
		if ae, ok := asError(err); !ok || ae.Status != 500 || !ae.Retryable || !strings.Contains(err.Error(), "retry") {
			t.Fatalf("5xx: %v", err)
		}
		if n := e.srv.Requests() - before; n != DefaultMaxAttempts {
			t.Fatalf("%d attempts, want %d", n, DefaultMaxAttempts)
		}
	})
	t.Run("connection reset retried", func(t *testing.T) {
		// No idle connections: net/http itself replays a GET whose reused
		// connection was reset, which would blur the count.
		e.client.Close()
		e.srv.SetFaults(emulator.Faults{ResetRate: 1})
		defer e.srv.SetFaults(emulator.Faults{})
		before := e.srv.Requests()
		_, err := e.client.Issue(ctx, legacy, CertRequest{Validity: Days(1)})
		if ae, ok := asError(err); !ok || !ae.Retryable || ae.Status != 0 {
			t.Fatalf("reset: %v", err)
		}
		if n := e.srv.Requests() - before; n != DefaultMaxAttempts {
			t.Fatalf("%d attempts, want %d", n, DefaultMaxAttempts)
		}
	})
}

func TestIssueTimeoutAndCancel(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	tg := e.target(t, "prod-web")
	e.srv.SetFaults(emulator.Faults{HangRegions: []string{"cn-north-4"}})

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := e.client.Issue(ctx, tg, CertRequest{Validity: Days(1)})
	if ae, ok := asError(err); !ok || !ae.Timeout() || !errors.Is(err, context.DeadlineExceeded) ||
		!strings.Contains(err.Error(), "unreachable") {
		t.Fatalf("deadline: %v", err)
	}

	ctx2, cancel2 := context.WithCancel(context.Background())
	done := make(chan error, 1)
	before := e.srv.Requests()
	go func() {
		_, err := e.client.Issue(ctx2, tg, CertRequest{Validity: Days(1)})
		done <- err
	}()
	waitForRequests(t, e.srv, before+1)
	cancel2()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cancel: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Issue did not return after cancel")
	}
}

func TestIssueNoSecretsInErrors(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	tg := e.target(t, "analytics-hk")
	_, err := e.client.Issue(context.Background(), tg, CertRequest{Validity: Days(1)})
	assertClean(t, err, e.srv.SK)
	for _, s := range []string{sprintf("%v", e.cfg), sprintf("%+v", e.client.Config())} {
		if strings.Contains(s, e.srv.SK) {
			t.Fatal("config formatting leaks the SK")
		}
	}
}
