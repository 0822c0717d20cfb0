package api

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// connectProxy is a tiny CONNECT proxy on loopback, on raw TCP: it
// tunnels to what it is asked for, or answers deny, and records requests.
type connectProxy struct {
	url  *url.URL
	deny int // status to answer instead of tunnelling; 0 = tunnel

	mu   sync.Mutex
	seen []string // "CONNECT host:port auth"
	wg   sync.WaitGroup
}

func startConnectProxy(t *testing.T, deny int) *connectProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &connectProxy{deny: deny, url: &url.URL{Scheme: "http", Host: ln.Addr().String(), User: url.UserPassword("op", "proxy-pass-123")}}
	var conns []net.Conn
	var cmu sync.Mutex
	track := func(c net.Conn) { cmu.Lock(); conns = append(conns, c); cmu.Unlock() }
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			track(c)
			p.wg.Add(1)
			go func() { defer p.wg.Done(); p.serve(c, track) }()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		cmu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		cmu.Unlock()
		p.wg.Wait()
	})
	return p
}

func (p *connectProxy) serve(c net.Conn, track func(net.Conn)) {
	defer c.Close()
	br := bufio.NewReader(c)
	r, err := http.ReadRequest(br)
	if err != nil {
		return
	}
	p.mu.Lock()
	p.seen = append(p.seen, r.Method+" "+r.Host+" "+r.Header.Get("Proxy-Authorization"))
	p.mu.Unlock()
	if p.deny != 0 || r.Method != http.MethodConnect {
		_, _ = fmt.Fprintf(c, "HTTP/1.1 %d %s\r\nContent-Length: 0\r\n\r\n", p.deny, http.StatusText(p.deny))
		return
	}
	up, err := net.Dial("tcp", r.Host)
	if err != nil {
		_, _ = io.WriteString(c, "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n")
		return
	}
	track(up)
	defer up.Close()
	_, _ = io.WriteString(c, "HTTP/1.1 200 Connection established\r\n\r\n")
	done := make(chan struct{})
	go func() { _, _ = io.Copy(up, br); _ = up.Close(); close(done) }()
	_, _ = io.Copy(c, up)
	_ = c.Close()
	<-done
}

func TestVerifyServerThroughProxy(t *testing.T) {
	pki := newServingPKI(t, []string{"127.0.0.1"})
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{pki.leaf}, MinVersion: tls.VersionTLS12})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { _ = c.(*tls.Conn).Handshake(); _, _ = io.Copy(io.Discard, c); _ = c.Close() }()
		}
	}()
	addr := ln.Addr().String()
	p := startConnectProxy(t, 0)
	v, err := VerifyServer(context.Background(), TLSCheck{Server: "https://" + addr, CAData: pki.caPEM, Proxy: func(*url.URL) (*url.URL, error) { return p.url, nil }})
	if err != nil || v.TLS != TLSVerified {
		t.Fatalf("verdict %+v, %v; want verified through the proxy", v, err)
	}
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte("op:proxy-pass-123"))
	p.mu.Lock()
	seen := strings.Join(p.seen, "; ")
	p.mu.Unlock()
	if seen != "CONNECT "+addr+" "+auth {
		t.Fatalf("proxy saw %q, want one CONNECT %s with the proxy's credentials", seen, addr)
	}

	refusing := startConnectProxy(t, http.StatusForbidden)
	_, err = VerifyServer(context.Background(), TLSCheck{Server: "https://" + addr, CAData: pki.caPEM, Proxy: func(*url.URL) (*url.URL, error) { return refusing.url, nil }})
	if err == nil || !strings.Contains(err.Error(), "answered 403 Forbidden to CONNECT") {
		t.Fatalf("err = %v, want the proxy's refusal", err)
	}
	assertClean(t, err, "proxy-pass-123")
}

// TestEnvironmentProxy: HTTPS_PROXY applies to an EIP, never to loopback.
func TestEnvironmentProxy(t *testing.T) {
	t.Setenv("HTTPS_PROXY", "http://proxy.example:3128")
	t.Setenv("NO_PROXY", "")
	pick := environmentProxy()
	for host, want := range map[string]string{"100.1.1.1:5443": "proxy.example:3128", "127.0.0.2:5443": ""} {
		got, err := pick(&url.URL{Scheme: "https", Host: host})
		if err != nil {
			t.Fatal(err)
		}
		if (got == nil && want != "") || (got != nil && got.Host != want) {
			t.Errorf("proxy for %s = %v, want %q", host, got, want)
		}
	}
}

// TestBadProxyURLStaysSecret: a proxy setting that does not parse is an
// error that does not quote it (it may hold a password).
func TestBadProxyURLStaysSecret(t *testing.T) {
	pki := newServingPKI(t, []string{"127.0.0.1"})
	bad := func(*url.URL) (*url.URL, error) {
		return nil, errors.New(`invalid proxy address "http://op:s3cret-pw@[bad"`) // httpproxy's own words
	}
	_, err := VerifyServer(context.Background(), TLSCheck{Server: "https://127.0.0.1:1", CAData: pki.caPEM, Proxy: bad})
	if err == nil || !strings.Contains(err.Error(), "HTTPS_PROXY is not a valid proxy URL") {
		t.Fatalf("err = %v, want the bad proxy named", err)
	}
	assertClean(t, err, "s3cret-pw")
}
