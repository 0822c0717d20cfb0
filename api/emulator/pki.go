package emulator

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"time"
)

// backdate is how far before "now" certificates start, to absorb clock skew.
const backdate = 5 * time.Second

// authority is a certificate authority (ECDSA P-256): the API server's, a
// cluster's or a fleet's.
type authority struct {
	cert    *x509.Certificate
	key     *ecdsa.PrivateKey
	certPEM []byte
	pool    *x509.CertPool
}

// newAuthority creates a self-signed CA valid for ten years from now.
func newAuthority(cn string, now time.Time) (*authority, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate CA key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          randomSerial(),
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"ccecert emulator"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("self-sign CA %q: %w", cn, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parse CA %q: %w", cn, err)
	}
	return newAuthorityOf(cert, key), nil
}

func newAuthorityOf(cert *x509.Certificate, key *ecdsa.PrivateKey) *authority {
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &authority{cert: cert, key: key, certPEM: pemBlock("CERTIFICATE", cert.Raw), pool: pool}
}

// pemPair is a CA at rest: its certificate and its private key, PEM. The
// key is the emulator's own test key, kept in a 0600 file and never printed.
type pemPair struct {
	Cert string `json:"cert"`
	Key  string `json:"key"`
}

// String keeps the key out of any %v.
func (pemPair) String() string { return "[CA key pair]" }

// GoString keeps the key out of any %#v.
func (pemPair) GoString() string { return "[CA key pair]" }

// atRest is the CA as a pemPair.
func (a *authority) atRest() (pemPair, error) {
	der, err := x509.MarshalECPrivateKey(a.key)
	if err != nil {
		return pemPair{}, fmt.Errorf("encode CA key: %w", err)
	}
	return pemPair{Cert: string(a.certPEM), Key: string(pemBlock("EC PRIVATE KEY", der))}, nil
}

// authorityAtRest reads a CA kept by atRest. Errors never quote the key.
func authorityAtRest(p pemPair) (*authority, error) {
	cb, _ := pem.Decode([]byte(p.Cert))
	kb, _ := pem.Decode([]byte(p.Key))
	if cb == nil || kb == nil || cb.Type != "CERTIFICATE" || kb.Type != "EC PRIVATE KEY" {
		return nil, errors.New("a CA is not a PEM certificate and EC key")
	}
	cert, err := x509.ParseCertificate(cb.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse a CA certificate: %w", err)
	}
	key, err := x509.ParseECPrivateKey(kb.Bytes)
	if err != nil {
		return nil, errors.New("a CA key does not parse")
	}
	if !cert.IsCA || !key.PublicKey.Equal(cert.PublicKey) {
		return nil, errors.New("a CA key does not match its certificate")
	}
	return newAuthorityOf(cert, key), nil
}

// clientCert is an issued client certificate with its key, both PEM.
type clientCert struct {
	cert    *x509.Certificate
	certPEM []byte
	keyPEM  []byte
}

// issueClient mints a client certificate for user (the CN), valid from now
// (minus backdate) until notAfter.
func (a *authority) issueClient(user string, now, notAfter time.Time) (*clientCert, error) {
	return a.issueClientWindow(user, now.Add(-backdate), notAfter)
}

// issueClientWindow mints a client certificate for user valid from
// notBefore until notAfter (the demo's seeds start in the past).
func (a *authority) issueClientWindow(user string, notBefore, notAfter time.Time) (*clientCert, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate client key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: randomSerial(),
		Subject:      pkix.Name{CommonName: user, Organization: []string{"system:masters"}},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.cert, &key.PublicKey, a.key)
	if err != nil {
		return nil, fmt.Errorf("sign client certificate: %w", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parse client certificate: %w", err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("encode client key: %w", err)
	}
	return &clientCert{cert: cert, certPEM: pemBlock("CERTIFICATE", der), keyPEM: pemBlock("EC PRIVATE KEY", keyDER)}, nil
}

// issueServer mints a serving certificate for 127.0.0.1, ::1 and localhost.
func (a *authority) issueServer(now time.Time) (*tls.Certificate, error) {
	return a.issueServerFor("", now)
}

// issueServerFor mints a serving certificate for a real host name (proxy
// mode), or for loopback when host is empty.
func (a *authority) issueServerFor(host string, now time.Time) (*tls.Certificate, error) {
	if host != "" {
		return a.issueServing(host, nil, []string{host}, now)
	}
	return a.issueServing("127.0.0.1", []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback}, []string{"localhost"}, now)
}

// issueServing mints a serving certificate with the common name cn for the
// given IP addresses and DNS names (its SANs), chained to a.
func (a *authority) issueServing(cn string, ips []net.IP, names []string, now time.Time) (*tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate server key: %w", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: randomSerial(),
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(10, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses:  ips,
		DNSNames:     names,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.cert, &key.PublicKey, a.key)
	if err != nil {
		return nil, fmt.Errorf("sign server certificate: %w", err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fmt.Errorf("parse server certificate: %w", err)
	}
	return &tls.Certificate{Certificate: [][]byte{der, a.cert.Raw}, PrivateKey: key, Leaf: leaf}, nil
}

// verifyClient checks that cert chains to a and is a client certificate
// valid at now.
func (a *authority) verifyClient(cert *x509.Certificate, intermediates []*x509.Certificate, now time.Time) error {
	pool := x509.NewCertPool()
	for _, c := range intermediates {
		pool.AddCert(c)
	}
	_, err := cert.Verify(x509.VerifyOptions{
		Roots:         a.pool,
		Intermediates: pool,
		CurrentTime:   now,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
	return err
}

// randomSerial is a random positive serial number of 127 bits.
func randomSerial() *big.Int {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails since Go 1.24: it crashes the program instead
	b[0] = b[0]&0x3f | 0x40
	return new(big.Int).SetBytes(b)
}

func pemBlock(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}
