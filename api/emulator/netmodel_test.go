package emulator

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
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

// The handshake is charged on its answer: the server reads the ClientHello
// and works at once (its first Write is called well before the hold ends),
// and that first write leaves hold after the ClientHello came; later
// writes are not held.
func TestFlightConnHoldsTheFirstAnswerNotTheWork(t *testing.T) {
	const hold = 300 * time.Millisecond
	srv := start(t, Options{})
	client, server := net.Pipe()
	defer client.Close()
	fc := &flightConn{Conn: server, s: srv, hold: func() time.Duration { return hold }}
	defer fc.Close()
	var called time.Time
	go func() {
		buf := make([]byte, 5)
		if _, err := io.ReadFull(fc, buf); err != nil {
			return
		}
		called = time.Now()
		_, _ = fc.Write([]byte("hi"))
		_, _ = fc.Write([]byte("!"))
	}()
	sent := time.Now()
	if _, err := client.Write([]byte("hello")); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 3)
	if _, err := io.ReadFull(client, buf[:2]); err != nil {
		t.Fatal(err)
	}
	answered := time.Now()
	if _, err := io.ReadFull(client, buf[2:]); err != nil {
		t.Fatal(err)
	}
	if d := answered.Sub(sent); d < hold {
		t.Errorf("the first answer came %v after the hello, want ≥ %v", d, hold)
	}
	if !called.Before(sent.Add(hold)) {
		t.Errorf("the server wrote its answer only %v after the hello: its work waited for the hold", called.Sub(sent))
	}
	if time.Since(answered) > hold {
		t.Errorf("the second write was held too")
	}
}

// Under a network model a request's latency is the network's: the request
// is served on arrival and its answer waits out the latency; without one
// the latency comes before serving, as a slow server's does.
func TestNetworkLatencyHoldsTheAnswerNotTheWork(t *testing.T) {
	const latency = 300 * time.Millisecond
	for _, tc := range []struct {
		name        string
		rtt         time.Duration
		servedEarly bool
	}{{"network model", time.Millisecond, true}, {"no network model", 0, false}} {
		t.Run(tc.name, func(t *testing.T) {
			srv := start(t, Options{Network: NetModel{RTT: tc.rtt}, Faults: Faults{Latency: latency}})
			rec := httptest.NewRecorder()
			sw := &statusWriter{ResponseWriter: rec}
			r := httptest.NewRequest(http.MethodGet, "/api/v3/projects/p/clusters", nil)
			begun := time.Now()
			if !srv.injectFaults(sw, r, "") {
				t.Fatal("the request was not let through")
			}
			served := time.Now()
			sw.WriteHeader(http.StatusOK)
			answered := time.Now()
			if d := answered.Sub(begun); d < latency {
				t.Errorf("answered %v after arrival, want ≥ %v", d, latency)
			}
			if early := served.Sub(begun) < latency; early != tc.servedEarly {
				t.Errorf("served %v after arrival (latency %v): served before the latency %v, want %v", served.Sub(begun), latency, early, tc.servedEarly)
			}
		})
	}
}
