package emulator

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// netTransport trusts the emulator's CA; proxy, when set, is HTTPS_PROXY.
func netTransport(t *testing.T, srv *Server, proxy string) *http.Transport {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(srv.CAPEM)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	if proxy != "" {
		u, err := url.Parse(proxy)
		if err != nil {
			t.Fatal(err)
		}
		tr.Proxy = http.ProxyURL(u)
	}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// timedGet sends one unsigned GET (the gateway refuses it; only the time
// and the connection matter) and returns how long the answer took.
func timedGet(t *testing.T, tr *http.Transport, u string) time.Duration {
	t.Helper()
	start := time.Now()
	resp, err := (&http.Client{Transport: tr}).Get(u)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return time.Since(start)
}

// On the base URL a new connection pays the connect and the TLS handshake
// (1 RTT each with TLS 1.3, 2 for the handshake with TLS 1.2); a kept-alive
// one opens nothing new. Only lower bounds are timed.
func TestNetModelBaseURL(t *testing.T) {
	const rtt = 60 * time.Millisecond
	for _, trips := range []int{0, 2} {
		srv := start(t, Options{Network: NetModel{RTT: rtt, TLSRoundTrips: trips}})
		tr := netTransport(t, srv, "")
		host := strings.TrimPrefix(srv.URL, "https://")
		want := 2 * rtt
		if trips == 2 {
			want = 3 * rtt
		}
		if d := timedGet(t, tr, srv.URL+"/v3/auth/projects"); d < want {
			t.Errorf("TLS round trips %d: a new connection answered in %v, want ≥ %v", trips, d, want)
		}
		timedGet(t, tr, srv.URL+"/v3/auth/projects")
		if got := srv.Connections(); got[host] != 1 || len(got) != 1 {
			t.Errorf("TLS round trips %d: connections %v, want one to %s", trips, got, host)
		}
	}
}

// Through the proxy each host is a tunnel of its own, charged as a direct
// connection to it (connect + handshake) and counted by host name; the
// per-request latency comes on top, once per request.
func TestNetModelProxyPerHost(t *testing.T) {
	const rtt, latency = 50 * time.Millisecond, 30 * time.Millisecond
	srv := start(t, Options{Proxy: true, Network: NetModel{RTT: rtt}, Faults: Faults{Latency: latency}})
	tr := netTransport(t, srv, srv.ProxyURL)
	hosts := []string{"cce.cn-north-4.myhuaweicloud.com", "cce.cn-east-3.myhuaweicloud.com"}
	for _, h := range hosts {
		if d := timedGet(t, tr, "https://"+h+"/api/v3/projects/none/clusters"); d < 2*rtt+latency {
			t.Errorf("%s: a new tunnel answered in %v, want ≥ %v", h, d, 2*rtt+latency)
		}
		timedGet(t, tr, "https://"+h+"/api/v3/projects/none/clusters")
	}
	got := srv.Connections()
	for _, h := range hosts {
		if got[h] != 1 {
			t.Errorf("connections to %s = %d, want 1 (kept alive): %v", h, got[h], got)
		}
	}
	if len(got) != len(hosts) {
		t.Errorf("connections %v, want only %v", got, hosts)
	}
}

// A model the emulator cannot play is refused at Start.
func TestNetModelChecked(t *testing.T) {
	for _, m := range []NetModel{{RTT: -time.Millisecond}, {RTT: time.Millisecond, TLSRoundTrips: 3}} {
		if _, err := Start(t.Context(), Options{Network: m}); err == nil || !strings.Contains(err.Error(), "round trips") {
			t.Errorf("%+v: %v", m, err)
		}
	}
}
