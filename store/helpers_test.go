package store

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"hash/crc32"
	"math/big"
	"path/filepath"
	"testing"
	"time"

	"ccecert/api"
)

// t0 is the fixed "now" of most tests.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return t0 }

// testCA is a CA that mints client certificates with chosen dates.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	PEM  []byte
}

func newCA(t testing.TB) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "test-cluster-ca"},
		NotBefore:             t0.AddDate(-10, 0, 0),
		NotAfter:              t0.AddDate(10, 0, 0),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return &testCA{cert: cert, key: key, PEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// issue mints a client certificate for cn valid from nb to na; it returns
// the cert PEM and the key PEM (SEC 1).
func (ca *testCA) issue(t testing.TB, cn string, nb, na time.Time) ([]byte, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: cn},
		NotBefore:    nb,
		NotAfter:     na,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
}

// cceTarget is a CCE cluster with both endpoints.
// Its endpoints are loopback addresses (a port per id), so even a tool that
// probes them never leaves the machine.
func cceTarget(name, region, id string) api.Target {
	port := 20000 + int(crc32.ChecksumIEEE([]byte(id))%10000)
	return api.Target{
		Kind: api.KindCCE, ID: id, Name: name, Region: region, ProjectID: "proj-" + region, Version: "v1.28", Phase: api.PhaseAvailable,
		Endpoints: api.Endpoints{Internal: fmt.Sprintf("https://127.0.0.1:%d", port), External: fmt.Sprintf("https://127.0.0.2:%d", port)},
	}
}

// issuedFor is what the cloud would issue for t: internal (with CA) and
// external (insecure) contexts, CCE names.
func issuedFor(t testing.TB, ca *testCA, tgt api.Target, nb, na time.Time) *api.Issued {
	t.Helper()
	cert, key := ca.issue(t, "user-"+tgt.ID, nb, na)
	return &api.Issued{
		Contexts: []api.IssuedContext{
			{Name: "internal", Role: api.RoleInternal, ClusterName: "internalCluster", Server: tgt.Endpoints.Internal, CAData: ca.PEM},
			{Name: "external", Role: api.RoleExternal, ClusterName: "externalCluster", Server: tgt.Endpoints.External, InsecureSkipTLSVerify: true},
		},
		CurrentContext: "external", UserName: "user", CertPEM: cert, Key: api.Secret(key),
	}
}

// entryFor is the inline kubeconfig entry of an issued kubeconfig.
func entryFor(tgt api.Target, iss *api.Issued) Entry {
	return Entry{Target: tgt, Contexts: iss.Contexts, Mode: ModeInline, CertPEM: iss.CertPEM, Key: iss.Key}
}

// hermetic points every directory a test could touch at a temp dir.
func hermetic(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, v := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"} {
		t.Setenv(v, filepath.Join(dir, v))
	}
	t.Setenv("KUBECONFIG", filepath.Join(dir, "kubeconfig"))
	return dir
}

// openStore opens a store in a fresh data dir with the file identity.
func openStore(t *testing.T) (*Store, string) {
	t.Helper()
	dir := filepath.Join(hermetic(t), "data")
	s, err := Open(context.Background(), dir, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, dir
}

// mergeFile is Store.Merge on a Store of its own, for tests of the
// kubeconfig alone: no other merge of the same Store shares its write.
func mergeFile(path string, e Entry, opts MergeOptions) ([]string, error) {
	names, _, err := new(Store).Merge(path, e, opts)
	return names, err
}
