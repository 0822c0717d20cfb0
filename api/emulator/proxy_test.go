package emulator

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// connectRaw sends CONNECT host to the proxy and returns the status line
// and the connection (closed by the test's cleanup).
func connectRaw(t *testing.T, srv *Server, host string) (string, net.Conn, *bufio.Reader) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(srv.ProxyURL, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	if _, err := io.WriteString(conn, "CONNECT "+host+" HTTP/1.1\r\nHost: "+host+"\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	line, err := br.ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	if _, err := http.ReadResponse(bufio.NewReader(strings.NewReader(line+"\r\n")), nil); err != nil {
		t.Fatalf("status line %q: %v", line, err)
	}
	for { // the rest of the header
		l, err := br.ReadString('\n')
		if err != nil || l == "\r\n" {
			break
		}
	}
	return strings.TrimSpace(line), conn, br
}

// The proxy tunnels only the sites' real hosts (a host no site has fails
// like a DNS lookup), on port 443, and terminates TLS there with a leaf
// for the host from the emulator's CA.
func TestProxyConnect(t *testing.T) {
	srv := start(t, Options{Proxy: true})
	hosts := srv.Hosts()
	for _, h := range []string{"iam.cn-north-4.myhuaweicloud.com", "cce.cn-east-3.myhuaweicloud.com",
		"vpc.ap-southeast-1.myhuaweicloud.com", "ucs.myhuaweicloud.com", "ucs-intl.myhuaweicloud.com"} {
		if !slices.Contains(hosts, h) {
			t.Errorf("Hosts() lacks %s: %v", h, hosts)
		}
	}
	if slices.Contains(hosts, "cce.mos.myhuaweicloud.com") {
		t.Error("a host for the non-region project MOS")
	}
	for _, bad := range []string{"cce.cn-nowhere-9.myhuaweicloud.com:443", "example.com:443", "cce.cn-north-4.myhuaweicloud.com:8443"} {
		if line, _, _ := connectRaw(t, srv, bad); line != "HTTP/1.1 502 no such host" {
			t.Errorf("CONNECT %s = %q, want 502 no such host", bad, line)
		}
	}
	line, conn, br := connectRaw(t, srv, "cce.cn-north-4.myhuaweicloud.com:443")
	if !strings.HasPrefix(line, "HTTP/1.1 200") {
		t.Fatalf("CONNECT = %q", line)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(srv.CAPEM)
	tc := tls.Client(&bufConn{Conn: conn, r: br}, &tls.Config{ServerName: "cce.cn-north-4.myhuaweicloud.com", RootCAs: pool, MinVersion: tls.VersionTLS12})
	if err := tc.Handshake(); err != nil {
		t.Fatalf("TLS for the real host name: %v", err)
	}
	if _, err := io.WriteString(tc, "GET /nothing HTTP/1.1\r\nHost: cce.cn-north-4.myhuaweicloud.com\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(tc), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if e := decodeError(t, body); resp.StatusCode != http.StatusNotFound || e.ErrorCode != codeNoAPI {
		t.Fatalf("unknown path through the tunnel = %d %s", resp.StatusCode, body)
	}
	log := srv.Log()
	if last := log[len(log)-1]; last.Host != "cce.cn-north-4.myhuaweicloud.com" {
		t.Fatalf("log host %q", last.Host)
	}
	r := send(t, srv, mustRequest(t, http.MethodGet, srv.ProxyURL+"/v3/projects"))
	if r.status != http.StatusMethodNotAllowed {
		t.Fatalf("plain GET to the proxy = %d", r.status)
	}
}

// bufConn reads through the bufio.Reader that read the CONNECT answer.
type bufConn struct {
	net.Conn
	r *bufio.Reader
}

func (c *bufConn) Read(b []byte) (int, error) { return c.r.Read(b) }

func mustRequest(t *testing.T, method, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// The proxy listens on loopback only; the site played is an option, and
// one the emulator does not know is refused.
func TestProxyOptions(t *testing.T) {
	if _, err := Start(t.Context(), Options{Proxy: true, ProxyAddr: "0.0.0.0:0"}); err == nil {
		t.Fatal("proxy on 0.0.0.0 accepted")
	}
	if _, err := Start(t.Context(), Options{Site: "aws"}); err == nil || !strings.Contains(err.Error(), "otc") {
		t.Fatalf("site aws: %v", err)
	}
	srv := start(t, Options{Site: SiteOTC, Inventory: &Inventory{
		Domain: Domain{Name: "d"}, User: User{Name: "u"}, Projects: []Project{{Name: "eu-de"}, {Name: "eu-nl"}},
	}, Proxy: true})
	if srv.Site() != SiteOTC || !slices.Contains(srv.Hosts(), "iam.eu-nl.otc.t-systems.com") || slices.Contains(srv.Hosts(), "ucs.myhuaweicloud.com") {
		t.Fatalf("OTC emulator: site %s hosts %v", srv.Site(), srv.Hosts())
	}
	env := strings.Join(srv.ProxyEnv("/ca.pem"), " ")
	if !strings.Contains(env, "HTTPS_PROXY="+srv.ProxyURL) || !strings.Contains(env, "CCECERT_SITE=otc") || strings.Contains(env, "CCECERT_ENDPOINT") {
		t.Fatalf("ProxyEnv %s", env)
	}
}
