package api

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"ccecert/api/emulator"
)

// tlsInventory has one cluster per outcome of the external TLS check.
func tlsInventory() *emulator.Inventory {
	return &emulator.Inventory{
		Domain:   emulator.Domain{Name: "tls-account"},
		User:     emulator.User{Name: "tls-user"},
		Projects: []emulator.Project{{Name: "cn-north-4"}},
		Clusters: []emulator.Cluster{
			{Name: "eip-in-sans", Project: "cn-north-4", Version: "v1.31", EIP: true, CustomSANs: []string{emulator.EIPHost, "api.example.com"}},
			{Name: "eip-plain", Project: "cn-north-4", Version: "v1.31", EIP: true},
			{Name: "eip-mitm", Project: "cn-north-4", Version: "v1.31", EIP: true, MITM: true},
			{Name: "no-eip", Project: "cn-north-4", Version: "v1.31"},
		},
	}
}

// issuedExternal issues a certificate for name and returns its external
// context as the api parsed it.
func issuedExternal(t *testing.T, e *testEnv, name string) IssuedContext {
	t.Helper()
	iss, err := e.client.Issue(context.Background(), e.target(t, name), CertRequest{Validity: Days(1)})
	if err != nil {
		t.Fatalf("Issue %s: %v", name, err)
	}
	ext, ok := iss.Context(RoleExternal)
	if !ok {
		t.Fatalf("%s: no external context in %+v", name, iss.Contexts)
	}
	return ext
}

func TestVerifyServerAgainstEmulatorClusters(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an emulator")
	}
	e := newTestEnv(t, emulator.Options{Inventory: tlsInventory()}, nil)
	tests := []struct {
		cluster    string
		want       TLS
		serverName bool   // tls-server-name = the internal host
		reason     string // part of the reason, for TLSInsecure
	}{
		{cluster: "eip-in-sans", want: TLSVerified},
		{cluster: "eip-plain", want: TLSServerName, serverName: true},
		{cluster: "eip-mitm", want: TLSInsecure, reason: "does not verify against the cluster CA (signed by an unknown authority)"},
	}
	for _, tt := range tests {
		t.Run(tt.cluster, func(t *testing.T) {
			ext := issuedExternal(t, e, tt.cluster)
			if !ext.InsecureSkipTLSVerify || len(ext.CAData) != 0 {
				t.Fatalf("CCE's external entry should come insecure, without CA data: %+v", ext)
			}
			if len(ext.ClusterCA) == 0 || ext.InternalHost != emulator.InternalHost {
				t.Fatalf("external entry lacks the internal entry's CA or host: host %q, CA %d bytes", ext.InternalHost, len(ext.ClusterCA))
			}
			v, err := VerifyServer(context.Background(), TLSCheck{Server: ext.Server, CAData: ext.ClusterCA, InternalHost: ext.InternalHost, Timeout: 10 * time.Second})
			if err != nil {
				t.Fatalf("VerifyServer: %v", err)
			}
			if v.TLS != tt.want {
				t.Fatalf("verdict %+v, want %s", v, tt.want)
			}
			if gotName := v.ServerName == emulator.InternalHost; gotName != tt.serverName {
				t.Errorf("server name %q, want the internal host: %v", v.ServerName, tt.serverName)
			}
			if !strings.Contains(v.Reason, tt.reason) || (tt.reason == "") != (v.Reason == "") {
				t.Errorf("reason %q, want it to say %q", v.Reason, tt.reason)
			}
		})
	}
}

// TestVerifyServerWithoutInternalHost: a certificate from the cluster CA
// that does not cover the address, and no internal host to fall back on,
// is insecure, and the reason says what it covers and what to do.
func TestVerifyServerWithoutInternalHost(t *testing.T) {
	if testing.Short() {
		t.Skip("starts an emulator")
	}
	e := newTestEnv(t, emulator.Options{Inventory: tlsInventory()}, nil)
	ext := issuedExternal(t, e, "eip-plain")
	v, err := VerifyServer(context.Background(), TLSCheck{Server: ext.Server, CAData: ext.ClusterCA})
	if err != nil {
		t.Fatal(err)
	}
	want := "does not cover " + emulator.EIPHost + " (it covers " + emulator.InternalHost + ")"
	if v.TLS != TLSInsecure || !strings.Contains(v.Reason, want) || !strings.Contains(v.Reason, "custom SANs") {
		t.Fatalf("verdict %+v, want insecure saying %q", v, want)
	}
}

func TestVerifyServerRefusesBadInput(t *testing.T) {
	ca := newServingPKI(t, []string{"127.0.0.1"})
	for _, tt := range []struct {
		name string
		chk  TLSCheck
		want string
	}{
		{"http", TLSCheck{Server: "http://127.0.0.1:1", CAData: ca.caPEM}, "not an https URL"},
		{"no host", TLSCheck{Server: "https://", CAData: ca.caPEM}, "not an https URL"},
		{"no CA", TLSCheck{Server: "https://127.0.0.1:1"}, "no cluster CA"},
		{"CA not PEM", TLSCheck{Server: "https://127.0.0.1:1", CAData: []byte("nope")}, "no cluster CA"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := VerifyServer(context.Background(), tt.chk)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestVerifyServerUnreachable(t *testing.T) {
	ca := newServingPKI(t, []string{"127.0.0.1"})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens there now
	_, err = VerifyServer(context.Background(), TLSCheck{Server: "https://" + addr, CAData: ca.caPEM})
	if err == nil || !strings.Contains(err.Error(), "check TLS of "+addr) {
		t.Fatalf("err = %v, want a failed check of %s", err, addr)
	}
}

// TestVerifyServerBounded: a server that accepts and never answers costs
// the timeout, then an error that says so.
func TestVerifyServerBounded(t *testing.T) {
	ca := newServingPKI(t, []string{"127.0.0.1"})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		c, err := ln.Accept()
		if err == nil {
			_, _ = io.Copy(io.Discard, c) // reads the ClientHello, answers nothing
			_ = c.Close()
		}
	}()
	_, err = VerifyServer(context.Background(), TLSCheck{Server: "https://" + ln.Addr().String(), CAData: ca.caPEM, Timeout: 50 * time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "no answer within the request timeout") {
		t.Fatalf("err = %v, want a timeout", err)
	}
}

// TestVerifyServerSendsNothing: the check ends after the handshake, with
// no client certificate and not one byte of application data.
func TestVerifyServerSendsNothing(t *testing.T) {
	pki := newServingPKI(t, []string{"127.0.0.1"})
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{pki.leaf}, ClientAuth: tls.RequestClientCert, MinVersion: tls.VersionTLS12})
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	type seen struct {
		clientCerts int
		data        []byte
		err         error
	}
	got := make(chan seen, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- seen{err: err}
			return
		}
		defer c.Close()
		tc := c.(*tls.Conn)
		if err := tc.Handshake(); err != nil {
			got <- seen{err: err}
			return
		}
		data, _ := io.ReadAll(tc) // until the client closes
		got <- seen{clientCerts: len(tc.ConnectionState().PeerCertificates), data: data}
	}()
	v, err := VerifyServer(context.Background(), TLSCheck{Server: "https://" + ln.Addr().String(), CAData: pki.caPEM})
	if err != nil || v.TLS != TLSVerified {
		t.Fatalf("verdict %+v, %v; want verified", v, err)
	}
	s := <-got
	if s.err != nil || s.clientCerts != 0 || len(s.data) != 0 {
		t.Fatalf("server saw %d client certificates, %d bytes of data, error %v; want none", s.clientCerts, len(s.data), s.err)
	}
}

func TestJudge(t *testing.T) {
	pki := newServingPKI(t, []string{"10.0.0.5", "api.example.com"})
	other := newServingPKI(t, []string{"10.0.0.5", "100.1.1.1"})
	now := time.Now()
	tests := []struct {
		name           string
		chain          []*x509.Certificate
		host, internal string
		at             time.Time
		want           TLSVerdict
		reason         string
	}{
		{"covers the host", pki.chain, "api.example.com", "10.0.0.5", now, TLSVerdict{TLS: TLSVerified}, ""},
		{"covers the internal host", pki.chain, "100.1.1.1", "10.0.0.5", now, TLSVerdict{TLS: TLSServerName, ServerName: "10.0.0.5"}, ""},
		{"host equals internal", pki.chain, "100.1.1.1", "100.1.1.1", now, TLSVerdict{TLS: TLSInsecure}, "does not cover 100.1.1.1"},
		{"covers neither", pki.chain, "100.1.1.1", "10.9.9.9", now, TLSVerdict{TLS: TLSInsecure}, "covers neither 100.1.1.1 nor the internal address 10.9.9.9 (it covers 10.0.0.5, api.example.com)"},
		{"another CA", other.chain, "100.1.1.1", "10.0.0.5", now, TLSVerdict{TLS: TLSInsecure}, "signed by an unknown authority"},
		{"expired", pki.chain, "api.example.com", "", now.AddDate(20, 0, 0), TLSVerdict{TLS: TLSInsecure}, "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := judge(tt.chain, pki.roots, tt.host, tt.internal, tt.at)
			if got.TLS != tt.want.TLS || got.ServerName != tt.want.ServerName || !strings.Contains(got.Reason, tt.reason) || (tt.reason == "") != (got.Reason == "") {
				t.Fatalf("judge = %+v, want %+v with reason %q", got, tt.want, tt.reason)
			}
		})
	}
}

func TestIssuedContextTLS(t *testing.T) {
	for _, tt := range []struct {
		c    IssuedContext
		want TLS
	}{
		{IssuedContext{CAData: []byte("ca")}, TLSVerified},
		{IssuedContext{CAData: []byte("ca"), TLSServerName: "10.0.0.5"}, TLSServerName},
		{IssuedContext{InsecureSkipTLSVerify: true, TLSServerName: "ignored"}, TLSInsecure},
	} {
		if got := tt.c.TLS(); got != tt.want || got.Verified() != (tt.want != TLSInsecure) {
			t.Errorf("%+v: TLS() = %s (verified %v), want %s", tt.c, got, got.Verified(), tt.want)
		}
	}
}

// TestParsedExternalKeepsClusterCA: an imported CCE kubeconfig's external
// entry gets the internal entry's CA and host, and is still written
// insecure until checked.
func TestParsedExternalKeepsClusterCA(t *testing.T) {
	p := newTestPKI(t, "ec")
	iss, err := ParseKubeconfig(p.cceKubeconfigJSON(t, true))
	if err != nil {
		t.Fatal(err)
	}
	in, _ := iss.Context(RoleInternal)
	ext, ok := iss.Context(RoleExternal)
	u, _ := url.Parse(in.Server)
	if !ok || string(ext.ClusterCA) != string(in.CAData) || ext.InternalHost != u.Hostname() || ext.TLS() != TLSInsecure || len(ext.CAData) != 0 {
		t.Fatalf("external %+v, internal %+v", ext, in)
	}
	if in.InternalHost != "" || string(in.ClusterCA) != string(in.CAData) {
		t.Fatalf("internal entry changed: %+v", in)
	}
}

// servingPKI is a CA and a serving certificate it signed for some SANs.
type servingPKI struct {
	caPEM []byte
	roots *x509.CertPool
	chain []*x509.Certificate
	leaf  tls.Certificate
}

func newServingPKI(t *testing.T, sans []string) servingPKI {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"}, NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0),
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "apiserver"}, NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	for _, s := range sans {
		if ip := net.ParseIP(s); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, s)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	return servingPKI{
		caPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		roots: roots,
		chain: []*x509.Certificate{leaf, ca},
		leaf:  tls.Certificate{Certificate: [][]byte{der, caDER}, PrivateKey: key, Leaf: leaf},
	}
}

// TestParsedFleetKeepsItsCA: a fleet kubeconfig that skips verification but
// carries a CA keeps the CA for the check (and not as CA data, which
// kubectl refuses beside the skip flag); one without a CA has none.
func TestParsedFleetKeepsItsCA(t *testing.T) {
	p := newTestPKI(t, "ec")
	data := strings.Replace(string(p.ucsKubeconfigJSON(t, "false", true, "")), `"insecure-skip-tls-verify":"false"`, `"insecure-skip-tls-verify":"true"`, 1)
	iss, err := ParseKubeconfig([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	c := iss.Contexts[0]
	if c.Role != RoleFederation || c.TLS() != TLSInsecure || len(c.CAData) != 0 || string(c.ClusterCA) != string(p.caPEM) || c.InternalHost != "" {
		t.Fatalf("fleet context %+v", c)
	}
	bare, err := ParseKubeconfig(p.ucsKubeconfigJSON(t, "true", true, ""))
	if err != nil {
		t.Fatal(err)
	}
	if len(bare.Contexts[0].ClusterCA) != 0 {
		t.Fatal("a fleet kubeconfig without a CA got one")
	}
}
