package emulator

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// proxyFront is the emulator as an HTTPS proxy (HTTPS_PROXY): it answers
// CONNECT for the sites' real host names, terminates TLS there with a leaf
// certificate from the emulator's CA, and serves the requests inside the
// tunnel itself, routed by Host and by the access key that signed them.
// It never resolves or dials a host.
type proxyFront struct {
	s     *Server
	hosts map[string]bool
	ln    net.Listener
	outer *http.Server // CONNECT
	inner *http.Server // the requests inside the tunnels
	conns *connQueue
	wg    sync.WaitGroup

	mu     sync.Mutex
	leaves map[string]*tls.Certificate
}

// startProxy serves the proxy on addr (loopback).
func (s *Server) startProxy(addr string) error {
	addr, err := loopbackAddr(addr)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("emulator proxy listen on %s: %w (pick another port or 127.0.0.1:0)", addr, err)
	}
	p := &proxyFront{s: s, hosts: map[string]bool{}, ln: ln, conns: newConnQueue(), leaves: map[string]*tls.Certificate{}}
	for _, h := range s.Hosts() {
		p.hosts[h] = true
	}
	quiet := log.New(io.Discard, "", 0)
	p.outer = &http.Server{Handler: http.HandlerFunc(p.connect), ReadHeaderTimeout: 30 * time.Second, ErrorLog: quiet}
	p.inner = &http.Server{
		Handler: http.HandlerFunc(p.tunnelRequest), ReadHeaderTimeout: 30 * time.Second, ErrorLog: quiet,
		// HTTP/1.1 only, so a reset fault can hijack the connection.
		TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
	}
	s.proxy = p
	s.ProxyURL = "http://" + ln.Addr().String()
	p.wg.Add(2)
	go func() { defer p.wg.Done(); _ = p.outer.Serve(ln) }()
	go func() { defer p.wg.Done(); _ = p.inner.Serve(p.conns) }()
	return nil
}

func (p *proxyFront) close() error {
	err := errors.Join(p.outer.Close(), p.inner.Close(), p.conns.Close())
	p.wg.Wait()
	return err
}

// connect answers CONNECT host:443. A host no site has fails as a proxy
// reports a failed DNS lookup: 502 "no such host", no tunnel. Each tunnel
// costs what a direct connection to its host does (NetModel): the TCP
// connect before the CONNECT answer, then the TLS handshake.
func (p *proxyFront) connect(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodConnect {
		http.Error(w, "this is an HTTPS proxy: use CONNECT (HTTPS_PROXY)", http.StatusMethodNotAllowed)
		return
	}
	host, port, err := net.SplitHostPort(r.Host)
	host = strings.ToLower(host)
	conn, rw, herr := http.NewResponseController(w).Hijack()
	if herr != nil {
		return
	}
	if err != nil || port != "443" || !p.hosts[host] {
		_, _ = io.WriteString(conn, "HTTP/1.1 502 no such host\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
		_ = conn.Close()
		return
	}
	p.s.countConn(host)
	dial, handshake := p.s.currentNetwork().tunnelCosts(p.s.currentFaults().Latency)
	if !p.s.sleep(r.Context(), dial) {
		_ = conn.Close()
		return
	}
	if _, err := io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		_ = conn.Close()
		return
	}
	var raw net.Conn = conn
	if rw.Reader.Buffered() > 0 {
		raw = &prefixConn{Conn: conn, r: io.MultiReader(rw.Reader, conn)}
	}
	cfg := &tls.Config{
		MinVersion:     tls.VersionTLS12,
		GetCertificate: func(*tls.ClientHelloInfo) (*tls.Certificate, error) { return p.leaf(host) },
	}
	p.conns.push(tls.Server(&flightConn{Conn: raw, s: p.s, hold: func() time.Duration { return handshake }}, cfg))
}

// leaf is the serving certificate of a host, minted once.
func (p *proxyFront) leaf(host string) (*tls.Certificate, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.leaves[host]; ok {
		return c, nil
	}
	c, err := p.s.ca.issueServerFor(host, p.s.now())
	if err != nil {
		return nil, err
	}
	p.leaves[host] = c
	return c, nil
}

// tunnelRequest serves one request from inside a tunnel: the account
// whose key signed it answers, as the host it was sent to.
func (p *proxyFront) tunnelRequest(w http.ResponseWriter, r *http.Request) {
	host := strings.ToLower(r.Host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	p.s.accountFor(r, host).serve(w, r, host)
}

// accountFor is the account whose access key signed r; for an unknown key
// the first account on the host's site (which refuses the key), else the
// main one.
func (s *Server) accountFor(r *http.Request, host string) *Server {
	a, err := parseAuthorization(r.Header.Get("Authorization"))
	all := s.accounts()
	if err == nil {
		for _, acct := range all {
			acct.mu.Lock()
			_, ok := acct.keys[a.ak]
			acct.mu.Unlock()
			if ok {
				return acct
			}
		}
	}
	if hi, ok := parseHost(host); ok {
		for _, acct := range all {
			if acct.site == hi.site {
				return acct
			}
		}
	}
	return s
}

// hostRefusal says how the real cloud answers a request that arrived at
// the wrong host, or status 0 when the host is the one the documents give
// for the route's service and the project's region. A host of another
// site (or the other UCS of Huawei Cloud) does not know the account's key:
// 401 APIGW.0301 (unconfirmed: the documents do not say what a foreign
// key gets). A host of the wrong service or region has no such API: 404
// APIGW.0101.
func (s *Server) hostRefusal(host string, rt *route, r *http.Request) (int, string, string) {
	hi, ok := parseHost(host)
	if !ok {
		return http.StatusNotFound, codeNoAPI, msgNoAPI
	}
	if hi.site != s.site || (hi.service == "ucs" && hi.intl != s.international) {
		return http.StatusUnauthorized, codeBadAuth, "Incorrect IAM authentication information: the access key does not exist"
	}
	want := map[service]string{svcIAM: "iam", svcCCE: "cce", svcUCS: "ucs", svcVPC: "vpc"}[rt.svc]
	if hi.service != want || (rt.kind == KindAutopilot && !siteTable[s.site].autopilot) {
		return http.StatusNotFound, codeNoAPI, msgNoAPI
	}
	if rt.svc == svcCCE || rt.svc == svcVPC {
		if region := s.idx.regionOf(requestProject(r)); region != "" && region != hi.region {
			return http.StatusNotFound, codeNoAPI, msgNoAPI
		}
	}
	return 0, "", ""
}

// ProxyEnv is the environment that points ccecert at this emulator through
// its proxy mode, with the main key: HTTPS_PROXY, CCECERT_CA_FILE,
// CCECERT_SITE (and CCECERT_INTERNATIONAL), CLOUD_SDK_AK, CLOUD_SDK_SK —
// no CCECERT_ENDPOINT: ccecert calls the real host names.
func (s *Server) ProxyEnv(caFile string) []string {
	env := []string{
		"HTTPS_PROXY=" + s.ProxyURL,
		"CCECERT_CA_FILE=" + caFile,
		"CCECERT_SITE=" + s.site,
		"CLOUD_SDK_AK=" + s.AK,
		"CLOUD_SDK_SK=" + s.SK,
	}
	if s.international {
		env = append(env, "CCECERT_INTERNATIONAL=1")
	}
	return env
}

// connQueue is a net.Listener fed with the tunnels' TLS connections.
type connQueue struct {
	ch     chan net.Conn
	done   chan struct{}
	closer sync.Once
}

func newConnQueue() *connQueue {
	return &connQueue{ch: make(chan net.Conn), done: make(chan struct{})}
}

func (q *connQueue) push(c net.Conn) {
	select {
	case q.ch <- c:
	case <-q.done:
		_ = c.Close()
	}
}

// Accept implements net.Listener.
func (q *connQueue) Accept() (net.Conn, error) {
	select {
	case c := <-q.ch:
		return c, nil
	case <-q.done:
		return nil, net.ErrClosed
	}
}

// Close implements net.Listener.
func (q *connQueue) Close() error {
	q.closer.Do(func() { close(q.done) })
	return nil
}

// Addr implements net.Listener.
func (q *connQueue) Addr() net.Addr { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1)} }

// prefixConn replays bytes read ahead by the CONNECT server.
type prefixConn struct {
	net.Conn
	r io.Reader
}

func (c *prefixConn) Read(b []byte) (int, error) { return c.r.Read(b) }
