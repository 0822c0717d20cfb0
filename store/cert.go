package store

import (
	"bytes"
	"ccecert/api"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrMasked marks data copied from documentation, where the console masks
// certificates and keys with "******".
var ErrMasked = errors.New("data is masked with ****** (a documentation example, not a real kubeconfig); download the real file from the console")

// CertInfo is what ccecert reads from a client certificate. Times come from
// the X.509 itself, never from the request.
type CertInfo struct {
	Subject           string // subject common name (for CCE: the user id)
	Serial            string // serial number, lower-case hex
	FingerprintSHA256 string // SHA-256 of the DER, lower-case hex
	NotBefore         time.Time
	NotAfter          time.Time
	Issuer            string // issuer common name, or the full DN when it has none
	PEM               []byte // the certificate re-encoded as PEM
}

// ParseCert reads a client certificate given as base64 of PEM (as kubeconfig
// client-certificate-data carries it), raw PEM (text before the block, like
// openssl's "Certificate:" dump, is skipped) or DER.
func ParseCert(data []byte) (CertInfo, error) {
	der, err := certDER(data, 0)
	if err != nil {
		return CertInfo{}, err
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return CertInfo{}, fmt.Errorf("certificate does not parse as X.509: %w", err)
	}
	sum := sha256.Sum256(der)
	issuer := c.Issuer.CommonName
	if issuer == "" {
		issuer = c.Issuer.String()
	}
	return CertInfo{
		Subject:           c.Subject.CommonName,
		Serial:            c.SerialNumber.Text(16),
		FingerprintSHA256: hex.EncodeToString(sum[:]),
		NotBefore:         c.NotBefore.UTC(),
		NotAfter:          c.NotAfter.UTC(),
		Issuer:            issuer,
		PEM:               pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
	}, nil
}

// certDER finds the DER bytes of the first certificate in data. depth limits
// base64 unwrapping to one level.
func certDER(data []byte, depth int) ([]byte, error) {
	// DER is binary: read it before any text handling, which would trim a
	// signature ending in a whitespace byte or see "******" in its bytes.
	if len(data) > 0 && data[0] == 0x30 {
		if _, err := x509.ParseCertificate(data); err == nil {
			return data, nil
		}
	}
	data = bytes.TrimSpace(data)
	switch {
	case len(data) == 0:
		return nil, errors.New("certificate data is empty")
	case bytes.Contains(data, []byte("******")):
		return nil, ErrMasked
	case bytes.Contains(data, []byte("-----BEGIN")):
		if der, ok := pemBlock(data, "CERTIFICATE"); ok {
			return der, nil
		}
		return nil, errors.New("PEM data holds no CERTIFICATE block")
	}
	if depth > 0 {
		return nil, errors.New("data is not a certificate (not PEM or DER)")
	}
	decoded, err := decodeBase64(data)
	if err != nil {
		return nil, errors.New("data is not a certificate (not PEM, DER or base64 of either)")
	}
	return certDER(decoded, depth+1)
}

// pemBlock returns the bytes of the first PEM block of the given type.
func pemBlock(data []byte, typ string) ([]byte, bool) {
	rest := data
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return nil, false
		}
		if b.Type == typ {
			return b.Bytes, true
		}
	}
}

// decodeBase64 accepts standard or URL base64, padded or not, with line
// breaks.
func decodeBase64(data []byte) ([]byte, error) {
	s := strings.Join(strings.Fields(string(data)), "")
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, errors.New("not base64")
}

// pemOrBase64 returns PEM text: data itself when it holds a PEM block, else
// its base64 decoding.
func pemOrBase64(data []byte) []byte {
	if bytes.Contains(data, []byte("-----BEGIN")) {
		return data
	}
	if b, err := decodeBase64(bytes.TrimSpace(data)); err == nil {
		return b
	}
	return data
}

// KeyMatches checks that keyPEM (PKCS#1, SEC 1 or PKCS#8; PEM or base64 of
// PEM) is the private key of the certificate in certPEM. The error never
// holds key material.
func KeyMatches(certPEM, keyPEM []byte) error {
	info, err := ParseCert(certPEM)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(keyPEM)) == 0 {
		return errors.New("client key is missing")
	}
	if bytes.Contains(keyPEM, []byte("******")) {
		return ErrMasked
	}
	return api.KeyMatches(info.PEM, pemOrBase64(keyPEM))
}

// VerifyChain checks that the certificate in certPEM was signed by a CA in
// caPEM. Validity dates are not judged here (Health does that), so an expired
// certificate with a good chain passes.
func VerifyChain(certPEM, caPEM []byte) error {
	der, err := certDER(certPEM, 0)
	if err != nil {
		return err
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return fmt.Errorf("certificate does not parse as X.509: %w", err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pemOrBase64(caPEM)) {
		return errors.New("CA data holds no PEM certificate")
	}
	_, err = c.Verify(x509.VerifyOptions{
		Roots:       roots,
		CurrentTime: c.NotBefore.Add(c.NotAfter.Sub(c.NotBefore) / 2),
		KeyUsages:   []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		return fmt.Errorf("certificate is not signed by the cluster CA: %w", err)
	}
	return nil
}

// shortID returns the first n characters of a hex digest.
func shortID(hexDigest string, n int) string {
	if len(hexDigest) < n {
		return hexDigest
	}
	return hexDigest[:n]
}
