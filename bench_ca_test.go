//go:build bench

package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"time"

	"ccecert/api"
)

// benchDay is a calendar day, as the fixtures count expiry.
const benchDay = 24 * time.Hour

// benchCA mints the client certificates of the bench's fixtures (ECDSA
// P-256), as CCE would issue them.
type benchCA struct {
	key  *ecdsa.PrivateKey
	cert *x509.Certificate
	pem  []byte
}

func newBenchCA() (*benchCA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ccecert bench CA"},
		NotBefore: time.Now().Add(-400 * benchDay), NotAfter: time.Now().Add(3650 * benchDay),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &benchCA{key: key, cert: cert, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}, nil
}

// issue is a certificate for t with one context of role, valid from
// notBefore to notAfter, as api.Client.Issue returns it.
func (ca *benchCA) issue(t api.Target, role api.ContextRole, notBefore, notAfter time.Time) (*api.Issued, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: "bench-user", Organization: []string{"system:masters"}},
		NotBefore: notBefore, NotAfter: notAfter, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		KeyUsage: x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, err
	}
	ic := api.IssuedContext{Name: string(role), Role: role, ClusterName: string(role) + "Cluster", Server: t.Endpoints.Internal, CAData: ca.pem}
	if role == api.RoleExternal && t.HasEIP() {
		ic.Server, ic.CAData, ic.InsecureSkipTLSVerify = t.Endpoints.External, nil, true
	}
	return &api.Issued{
		Contexts: []api.IssuedContext{ic}, CurrentContext: ic.Name, UserName: "user",
		CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		Key:     api.Secret(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})),
	}, nil
}
