package store

import (
	"bytes"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseCertForms(t *testing.T) {
	ca := newCA(t)
	nb, na := t0.Add(-time.Hour), t0.Add(30*Day)
	certPEM, _ := ca.issue(t, "u-1234", nb, na)
	block, _ := pem.Decode(certPEM)
	forms := map[string][]byte{
		"pem":            certPEM,
		"base64 of pem":  []byte(base64.StdEncoding.EncodeToString(certPEM)),
		"der":            block.Bytes,
		"base64 of der":  []byte(base64.StdEncoding.EncodeToString(block.Bytes)),
		"openssl prefix": append([]byte("Certificate:\n    Data:\n        Version: 3 (0x2)\n"), certPEM...),
		"wrapped base64": []byte(wrap(base64.StdEncoding.EncodeToString(certPEM), 64)),
	}
	var want CertInfo
	for name, data := range forms {
		info, err := ParseCert(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if want.FingerprintSHA256 == "" {
			want = info
		}
		if info.Subject != "u-1234" || !info.NotBefore.Equal(nb.Truncate(time.Second)) || !info.NotAfter.Equal(na.Truncate(time.Second)) {
			t.Errorf("%s: got %+v", name, info)
		}
		if info.FingerprintSHA256 != want.FingerprintSHA256 || info.Serial != want.Serial || !bytes.Equal(info.PEM, certPEM) {
			t.Errorf("%s: fingerprint/serial/PEM differ from the other forms", name)
		}
		if info.Issuer != "test-cluster-ca" || len(info.ID()) != 8 || len(info.FingerprintSHA256) != 64 {
			t.Errorf("%s: issuer %q id %q", name, info.Issuer, info.ID())
		}
	}
}

// A DER certificate is binary, and about one in forty ends its signature
// with a byte that is ASCII white space. It must read as it is, not trimmed.
func TestParseCertDEREndingInWhiteSpace(t *testing.T) {
	ca := newCA(t)
	for i := 0; ; i++ {
		if i == 5000 {
			t.Fatal("no certificate ending in white space in 5,000 tries")
		}
		certPEM, _ := ca.issue(t, "u-1234", t0, t0.Add(Day))
		block, _ := pem.Decode(certPEM)
		der := block.Bytes
		if !bytes.ContainsAny(der[len(der)-1:], " \t\n\v\f\r") {
			continue
		}
		for name, data := range map[string][]byte{
			"der":           der,
			"base64 of der": []byte(base64.StdEncoding.EncodeToString(der)),
		} {
			info, err := ParseCert(data)
			if err != nil {
				t.Fatalf("%s ending in %#x: %v", name, der[len(der)-1], err)
			}
			if !bytes.Equal(info.PEM, certPEM) {
				t.Errorf("%s: PEM differs from the certificate's", name)
			}
		}
		if err := VerifyChain(der, ca.PEM); err != nil {
			t.Errorf("VerifyChain of der: %v", err)
		}
		return
	}
}

func wrap(s string, n int) string {
	var b strings.Builder
	for len(s) > n {
		b.WriteString(s[:n] + "\n")
		s = s[n:]
	}
	return b.String() + s
}

func TestParseCertRejects(t *testing.T) {
	ca := newCA(t)
	_, keyPEM := ca.issue(t, "x", t0, t0.Add(Day))
	cases := map[string]struct {
		data []byte
		want string
	}{
		"empty":              {nil, "empty"},
		"masked seed":        {[]byte("LS0tLS1CRUdJTiBDR******QVRFLS0tLS0K"), "masked"},
		"not base64":         {[]byte("hello, world!"), "not a certificate"},
		"base64 of text":     {[]byte(base64.StdEncoding.EncodeToString([]byte("just some text"))), "not a certificate"},
		"key instead":        {keyPEM, "no CERTIFICATE block"},
		"truncated pem":      {[]byte("-----BEGIN CERTIFICATE-----\nMIIB\n"), "no CERTIFICATE block"},
		"garbage der in pem": {pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{0x30, 0x03, 1, 2, 3}}), "X.509"},
	}
	for name, c := range cases {
		_, err := ParseCert(c.data)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want it to mention %q", name, err, c.want)
		}
	}
	if _, err := ParseCert([]byte("a******b")); !errors.Is(err, ErrMasked) {
		t.Errorf("masked data: %v, want ErrMasked", err)
	}
}

func TestKeyMatches(t *testing.T) {
	ca := newCA(t)
	certA, keyA := ca.issue(t, "a", t0, t0.Add(Day))
	_, keyB := ca.issue(t, "b", t0, t0.Add(Day))
	if err := KeyMatches(certA, keyA); err != nil {
		t.Fatalf("own key: %v", err)
	}
	if err := KeyMatches([]byte(base64.StdEncoding.EncodeToString(certA)), []byte(base64.StdEncoding.EncodeToString(keyA))); err != nil {
		t.Fatalf("base64 forms: %v", err)
	}
	err := KeyMatches(certA, keyB)
	if err == nil || !strings.Contains(err.Error(), "does not match") {
		t.Fatalf("other key: %v", err)
	}
	if strings.Contains(err.Error(), "PRIVATE KEY") || strings.Contains(err.Error(), string(keyB[40:60])) {
		t.Fatal("error leaks key material")
	}
	if err := KeyMatches(certA, nil); err == nil {
		t.Fatal("missing key accepted")
	}
}

func TestVerifyChain(t *testing.T) {
	ca, other := newCA(t), newCA(t)
	// Expired, but signed by ca: the chain still verifies.
	cert, _ := ca.issue(t, "a", t0.Add(-60*Day), t0.Add(-30*Day))
	if err := VerifyChain(cert, ca.PEM); err != nil {
		t.Fatalf("good chain: %v", err)
	}
	if err := VerifyChain(cert, []byte(base64.StdEncoding.EncodeToString(ca.PEM))); err != nil {
		t.Fatalf("base64 CA: %v", err)
	}
	if err := VerifyChain(cert, other.PEM); err == nil {
		t.Fatal("foreign CA accepted")
	}
	if err := VerifyChain(cert, []byte("nope")); err == nil {
		t.Fatal("non-PEM CA accepted")
	}
}

func FuzzParseCert(f *testing.F) {
	ca := newCA(f)
	cert, _ := ca.issue(f, "seed", t0, t0.Add(Day))
	block, _ := pem.Decode(cert)
	f.Add(cert)
	f.Add(block.Bytes)
	f.Add([]byte(base64.StdEncoding.EncodeToString(cert)))
	f.Add([]byte("LS0tLS1CRUdJTiBDR******QVRFLS0tLS0K"))
	f.Add([]byte("Q2VydGlmaWNhdGU6Cg=="))
	f.Add([]byte{0x30, 0x82, 0x01})
	f.Add([]byte("-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := ParseCert(data)
		if err == nil && (len(info.FingerprintSHA256) != 64 || len(info.PEM) == 0) {
			t.Fatalf("parsed without fingerprint or PEM: %+v", info)
		}
	})
}
