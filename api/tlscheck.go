package api

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// TLS says how a kubeconfig context's client checks the API server's
// certificate.
type TLS string

// The ways a context checks its server, strongest first.
const (
	// TLSVerified: against the cluster CA, for the server's own address.
	TLSVerified TLS = "verified"
	// TLSServerName: against the cluster CA, for tls-server-name (the
	// internal host) instead of the server's address. kubectl supports it:
	// `kubectl config set-cluster --tls-server-name`
	// (https://kubernetes.io/docs/reference/kubectl/generated/kubectl_config/kubectl_config_set-cluster/).
	TLSServerName TLS = "server-name"
	// TLSInsecure: insecure-skip-tls-verify, nothing is checked.
	TLSInsecure TLS = "insecure"
)

// Verified reports whether a client checks the server's certificate.
func (t TLS) Verified() bool { return t == TLSVerified || t == TLSServerName }

// TLSCheck is one check of an API server's certificate.
type TLSCheck struct {
	Server string // https URL of the endpoint (CCE's external one)
	CAData []byte // PEM of the cluster CA
	// InternalHost is the name the certificate may cover instead of the
	// server's own host (the internal endpoint's); empty = none.
	InternalHost string
	// Timeout bounds the dial and the handshake together (the request
	// timeout); 0 = DefaultTimeout.
	Timeout time.Duration
	Now     func() time.Time // when to verify at; nil = time.Now
	// Proxy picks the proxy to reach Server through, as kubectl would;
	// nil = HTTPS_PROXY and NO_PROXY from the environment (loopback is
	// never proxied).
	Proxy ProxyFunc
}

// TLSVerdict is what VerifyServer found: the strongest way that verifies.
type TLSVerdict struct {
	TLS        TLS
	ServerName string // TLSServerName: the name to write as tls-server-name
	Reason     string // TLSInsecure: why nothing verifies, in words
}

// VerifyServer makes one TLS handshake with chk.Server and says how a
// kubeconfig context reaching it can verify it: TLSVerified when the
// certificate chains to the CA and covers the server's host; else
// TLSServerName when it covers InternalHost; else TLSInsecure with the
// reason. It sends no client certificate and no HTTP request: the handshake
// ends with the certificate, before any application data. It goes through
// HTTPS_PROXY as kubectl would (one CONNECT to the proxy). An error means
// no handshake completed (bad input, unreachable, timeout, not TLS); it
// never holds key material.
func VerifyServer(ctx context.Context, chk TLSCheck) (TLSVerdict, error) {
	u, err := url.Parse(chk.Server)
	if err != nil || u.Scheme != "https" || u.Hostname() == "" {
		return TLSVerdict{}, fmt.Errorf("check TLS of %q: not an https URL", sanitize(chk.Server, 100))
	}
	roots := x509.NewCertPool()
	if len(chk.CAData) == 0 || !roots.AppendCertsFromPEM(chk.CAData) {
		return TLSVerdict{}, fmt.Errorf("check TLS of %s: no cluster CA to verify against", u.Host)
	}
	chain, err := handshake(ctx, u, chk.Timeout, chk.Proxy)
	if err != nil {
		return TLSVerdict{}, err
	}
	now := time.Now
	if chk.Now != nil {
		now = chk.Now
	}
	return judge(chain, roots, u.Hostname(), chk.InternalHost, now()), nil
}

// handshake dials u and returns the certificates its server presents.
func handshake(ctx context.Context, u *url.URL, timeout time.Duration, proxy ProxyFunc) ([]*x509.Certificate, error) {
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "443")
	}
	raw, err := dialServer(ctx, u, addr, proxy)
	if err != nil {
		return nil, fmt.Errorf("check TLS of %s: %w", addr, dialError(ctx, err))
	}
	defer raw.Close()
	// Verification is judge's: the handshake must finish to show the
	// certificate even when it would not verify.
	conn := tls.Client(raw, &tls.Config{ServerName: u.Hostname(), InsecureSkipVerify: true, MinVersion: tls.VersionTLS12}) //nolint:gosec // verified by judge
	if err := conn.HandshakeContext(ctx); err != nil {
		return nil, fmt.Errorf("check TLS of %s: handshake: %w", addr, dialError(ctx, err))
	}
	chain := conn.ConnectionState().PeerCertificates
	if len(chain) == 0 {
		return nil, fmt.Errorf("check TLS of %s: the server presented no certificate", addr)
	}
	return chain, nil
}

// dialError says a timeout in words.
func dialError(ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("no answer within the request timeout (%w)", err)
	}
	return err
}

// judge verifies chain (leaf first) against roots for host, then for
// internal; reasons name what the certificate covers, never key material.
func judge(chain []*x509.Certificate, roots *x509.CertPool, host, internal string, now time.Time) TLSVerdict {
	leaf := chain[0]
	inter := x509.NewCertPool()
	for _, c := range chain[1:] {
		inter.AddCert(c)
	}
	verify := func(name string) error {
		_, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, DNSName: name, CurrentTime: now})
		return err
	}
	if verify(host) == nil {
		return TLSVerdict{TLS: TLSVerified}
	}
	if internal != "" && internal != host && verify(internal) == nil {
		return TLSVerdict{TLS: TLSServerName, ServerName: internal}
	}
	if err := verify(""); err != nil {
		return TLSVerdict{TLS: TLSInsecure, Reason: fmt.Sprintf(
			"the certificate %s presents does not verify against the cluster CA (%s): a man in the middle, or a proxy that terminates TLS, may be on the path",
			host, chainError(err))}
	}
	what := "does not cover " + host
	if internal != "" && internal != host {
		what = fmt.Sprintf("covers neither %s nor the internal address %s", host, internal)
	}
	return TLSVerdict{TLS: TLSInsecure, Reason: fmt.Sprintf(
		"the server's certificate is signed by the cluster CA but %s (it covers %s): add %s to the cluster's custom SANs in the CCE console, then get again",
		what, coverage(leaf), host)}
}

// chainError is x509's reason without the certificate's details.
func chainError(err error) string {
	var ua x509.UnknownAuthorityError
	var inv x509.CertificateInvalidError
	switch {
	case errors.As(err, &ua):
		return "signed by an unknown authority"
	case errors.As(err, &inv):
		return "invalid: " + inv.Error()
	default:
		return err.Error()
	}
}

// coverage lists the names and addresses a certificate covers.
func coverage(c *x509.Certificate) string {
	var sans []string
	for _, ip := range c.IPAddresses {
		sans = append(sans, ip.String())
	}
	sans = append(sans, c.DNSNames...)
	if len(sans) == 0 {
		return "no address"
	}
	if len(sans) > 8 {
		sans = append(sans[:8], fmt.Sprintf("and %d more", len(sans)-8))
	}
	return strings.Join(sans, ", ")
}
