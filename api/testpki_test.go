package api

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"testing"
	"time"
)

// testPKI is a throwaway CA and one client certificate with its key.
type testPKI struct {
	caPEM, certPEM, keyPEM []byte
	otherKeyPEM            []byte // a key that does not match certPEM
}

func newTestPKI(t testing.TB, keyKind string) testPKI {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	key, keyPEM := newKey(t, keyKind)
	_, otherPEM := newKey(t, keyKind)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "user-1"},
		NotBefore: now.Add(-time.Minute), NotAfter: now.Add(24 * time.Hour),
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caTmpl, key.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	return testPKI{
		caPEM:       pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		certPEM:     pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		keyPEM:      keyPEM,
		otherKeyPEM: otherPEM,
	}
}

func newKey(t testing.TB, kind string) (crypto.Signer, []byte) {
	t.Helper()
	switch kind {
	case "rsa":
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		return k, pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)})
	case "pkcs8":
		k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return k, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	default:
		k, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		der, err := x509.MarshalECPrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return k, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der})
	}
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// cceKubeconfigJSON is a kubeconfig shaped like seed 000, with the external
// (EIP) entries when eip.
func (p testPKI) cceKubeconfigJSON(t testing.TB, eip bool) []byte {
	t.Helper()
	clusters := []any{map[string]any{"name": "internalCluster", "cluster": map[string]any{
		"server": "https://192.168.1.7:5443", "certificate-authority-data": b64(p.caPEM)}}}
	contexts := []any{map[string]any{"name": "internal", "context": map[string]any{"cluster": "internalCluster", "user": "user"}}}
	current := "internal"
	if eip {
		clusters = append(clusters, map[string]any{"name": "externalCluster", "cluster": map[string]any{
			"server": "https://121.36.1.2:5443", "insecure-skip-tls-verify": true}})
		contexts = append(contexts, map[string]any{"name": "external", "context": map[string]any{"cluster": "externalCluster", "user": "user"}})
		current = "external"
	}
	return mustJSON(t, map[string]any{
		"kind": "Config", "apiVersion": "v1", "preferences": map[string]any{},
		"clusters": clusters,
		"users": []any{map[string]any{"name": "user", "user": map[string]any{
			"client-certificate-data": b64(p.certPEM), "client-key-data": b64(p.keyPEM)}}},
		"contexts": contexts, "current-context": current,
	})
}

// ucsKubeconfigJSON is shaped like seed 003: string boolean, optional token.
func (p testPKI) ucsKubeconfigJSON(t testing.TB, insecure string, withCert bool, token string) []byte {
	t.Helper()
	user := map[string]any{}
	if withCert {
		user["client-certificate-data"] = b64(p.certPEM)
		user["client-key-data"] = b64(p.keyPEM)
	}
	if token != "" {
		user["token"] = token
	}
	cluster := map[string]any{"server": "https://10.1.2.3:6443", "insecure-skip-tls-verify": insecure}
	if insecure != "true" {
		cluster["certificate-authority-data"] = b64(p.caPEM)
	}
	return mustJSON(t, map[string]any{
		"kind": "Config", "apiVersion": "v1",
		"clusters":        []any{map[string]any{"name": "cluster-demo", "cluster": cluster}},
		"users":           []any{map[string]any{"name": "user", "user": user}},
		"contexts":        []any{map[string]any{"name": "demo", "context": map[string]any{"cluster": "cluster-demo", "user": "user"}}},
		"current-context": "demo",
	})
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
