package store

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"testing"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// rsaFixture holds a few RSA-2048 keys, reused across a big kubeconfig's
// entries (generating one per entry would take minutes): sizes are those
// of real CCE kubeconfigs, whose certificates and keys are RSA-2048.
type rsaFixture struct {
	keys []*rsa.PrivateKey
}

func newRSAFixture(t testing.TB, n int) *rsaFixture {
	t.Helper()
	f := &rsaFixture{}
	for range n {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			t.Fatal(err)
		}
		f.keys = append(f.keys, k)
	}
	return f
}

// cert mints a certificate for cn, self-signed (a cluster CA) when ca is
// nil, else signed by key 0.
func (f *rsaFixture) cert(t testing.TB, i int, cn string, isCA bool) (certPEM, keyPEM []byte) {
	t.Helper()
	key := f.keys[i%len(f.keys)]
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(int64(i) + 2), Subject: pkix.Name{CommonName: cn, Organization: []string{"system:masters"}},
		NotBefore: t0.AddDate(-1, 0, 0), NotAfter: t0.AddDate(5, 0, 0),
	}
	parent, signer := tmpl, key
	if isCA {
		tmpl.IsCA, tmpl.BasicConstraintsValid, tmpl.KeyUsage = true, true, x509.KeyUsageCertSign
	} else {
		tmpl.KeyUsage, tmpl.ExtKeyUsage = x509.KeyUsageDigitalSignature, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}
		parent = &x509.Certificate{Subject: pkix.Name{CommonName: "fixture-ca"}}
		signer = f.keys[0]
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, signer)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
}

// bigKubeconfig is an operator's kubeconfig of contexts/2 CCE clusters as
// CCE issues them and kubectl writes them: per cluster an internal context
// (cluster CA inline) and an external one (insecure-skip-tls-verify), one
// user with an inline RSA certificate and key; no ccecert entries. With
// externalCA the external contexts verify TLS with the CA too (500 of
// them make the 1.8 MB file of issue 18).
func bigKubeconfig(t testing.TB, f *rsaFixture, contexts int, externalCA bool) []byte {
	t.Helper()
	cfg := clientcmdapi.NewConfig()
	for i := range contexts / 2 {
		name := fmt.Sprintf("cce-%05d", i)
		caPEM, _ := f.cert(t, i, name+"-ca", true)
		certPEM, keyPEM := f.cert(t, i, "user-"+name, false)
		user := clientcmdapi.NewAuthInfo()
		user.ClientCertificateData, user.ClientKeyData = certPEM, keyPEM
		cfg.AuthInfos[name] = user
		in := clientcmdapi.NewCluster()
		in.Server, in.CertificateAuthorityData = fmt.Sprintf("https://192.168.%d.%d:5443", i/250, i%250+1), caPEM
		cfg.Clusters[name+"-internal"] = in
		ex := clientcmdapi.NewCluster()
		ex.Server = fmt.Sprintf("https://100.85.%d.%d:5443", i/250, i%250+1)
		if externalCA {
			ex.CertificateAuthorityData = caPEM
		} else {
			ex.InsecureSkipTLSVerify = true
		}
		cfg.Clusters[name+"-external"] = ex
		for _, role := range []string{"internal", "external"} {
			c := clientcmdapi.NewContext()
			c.Cluster, c.AuthInfo = name+"-"+role, name
			cfg.Contexts[name+"-"+role] = c
		}
	}
	cfg.CurrentContext = "cce-00000-internal"
	data, err := clientcmd.Write(*cfg)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
