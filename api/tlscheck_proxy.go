package api

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// ProxyFunc picks the proxy for a URL, nil for none.
type ProxyFunc func(*url.URL) (*url.URL, error)

// environmentProxy is HTTPS_PROXY / NO_PROXY as kubectl (client-go) reads
// them from the environment; loopback hosts are never proxied.
func environmentProxy() ProxyFunc { return httpproxy.FromEnvironment().ProxyFunc() }

// dialServer opens a TCP connection to addr (host:port of u), through the
// proxy pick chooses for u, if any, as kubectl would reach it.
func dialServer(ctx context.Context, u *url.URL, addr string, pick ProxyFunc) (net.Conn, error) {
	if pick == nil {
		pick = environmentProxy()
	}
	proxy, err := pick(u)
	if err != nil { // its text quotes the proxy URL, credentials and all
		return nil, fmt.Errorf("proxy for %s: HTTPS_PROXY is not a valid proxy URL", addr)
	}
	var d net.Dialer
	if proxy == nil {
		return d.DialContext(ctx, "tcp", addr)
	}
	return dialConnect(ctx, &d, proxy, addr)
}

// dialConnect tunnels to addr through an http or https proxy with CONNECT,
// the one request a proxy needs; the cluster's server sees only the TLS
// handshake. Errors name the proxy's host, never its credentials.
func dialConnect(ctx context.Context, d *net.Dialer, proxy *url.URL, addr string) (net.Conn, error) {
	if proxy.Scheme != "http" && proxy.Scheme != "https" {
		return nil, fmt.Errorf("proxy %s: scheme %q is not supported for the TLS check (use http or https)", proxy.Host, proxy.Scheme)
	}
	paddr := proxy.Host
	if proxy.Port() == "" {
		paddr = net.JoinHostPort(proxy.Hostname(), map[string]string{"http": "80", "https": "443"}[proxy.Scheme])
	}
	conn, err := d.DialContext(ctx, "tcp", paddr)
	if err != nil {
		return nil, fmt.Errorf("proxy %s: %w", proxy.Host, err)
	}
	if proxy.Scheme == "https" {
		tc := tls.Client(conn, &tls.Config{ServerName: proxy.Hostname(), MinVersion: tls.VersionTLS12})
		if err := tc.HandshakeContext(ctx); err != nil {
			_ = conn.Close()
			return nil, fmt.Errorf("proxy %s: %w", proxy.Host, err)
		}
		conn = tc
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	req := &http.Request{Method: http.MethodConnect, URL: &url.URL{Opaque: addr}, Host: addr, Header: http.Header{}}
	if u := proxy.User; u != nil {
		pass, _ := u.Password()
		req.Header.Set("Proxy-Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(u.Username()+":"+pass)))
	}
	br := bufio.NewReader(conn)
	resp, err := writeConnect(conn, br, req)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("answered %s to CONNECT %s", resp.Status, addr)
	}
	if err == nil && br.Buffered() > 0 {
		err = fmt.Errorf("sent data before the tunnel to %s opened", addr)
	}
	if err != nil {
		_ = conn.Close()
		return nil, fmt.Errorf("proxy %s: %w", proxy.Host, err)
	}
	_ = conn.SetDeadline(time.Time{})
	return conn, nil
}

func writeConnect(conn net.Conn, br *bufio.Reader, req *http.Request) (*http.Response, error) {
	if err := req.Write(conn); err != nil {
		return nil, err
	}
	resp, err := http.ReadResponse(br, req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		_ = resp.Body.Close() // a 200's "body" is the tunnel
	}
	return resp, nil
}
