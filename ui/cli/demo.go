package cli

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"time"

	"ccecert/api"
	"ccecert/store"
	"ccecert/store/engine"
)

// demoSeed is one pre-seeded credential: how far its validity lies from now.
type demoSeed struct {
	target     string // demo cluster name
	role       api.ContextRole
	age, ahead time.Duration // NotBefore = now-age, NotAfter = now+ahead
	revoked    bool
	source     store.Source
}

// demoSeeds show every health state at once.
var demoSeeds = []demoSeed{
	{target: "staging-web", role: api.RoleExternal, age: 33 * day, ahead: -3 * day, source: store.SourceFetched},         // expired
	{target: "dev-sandbox", role: api.RoleInternal, age: 30 * day, ahead: 12 * time.Minute, source: store.SourceFetched}, // minutes left
	{target: "prod-payments", role: api.RoleInternal, age: 85 * day, ahead: 5 * day, source: store.SourceFetched},        // critical
	{target: "serverless-api", role: api.RoleExternal, age: 70 * day, ahead: 20 * day, source: store.SourceFetched},      // warning
	{target: "prod-web", role: api.RoleInternal, age: day, ahead: 364 * day, source: store.SourceFetched},                // ok
	{target: "data-pipeline", role: api.RoleInternal, age: 2 * day, ahead: 28 * day, revoked: true, source: store.SourceFetched},
	{target: "ops-tools", role: api.RoleInternal, age: 10 * day, ahead: 80 * day, source: store.SourceImported},
}

const day = 24 * time.Hour

// seedDemo fills an empty demo store with credentials in every health state,
// minted by a local demo CA, and writes the live ones into the demo
// kubeconfig. They are for looking at: the emulator's API servers do not
// trust them (fetch one to talk to a cluster). It lists the demo inventory
// first.
func seedDemo(ctx context.Context, a *app) error {
	creds, err := a.store.Credentials(ctx, store.Filter{All: true})
	if err != nil || len(creds) > 0 {
		return err
	}
	inv, err := a.engine.Refresh(ctx, engine.RefreshOptions{})
	if err != nil {
		return err
	}
	byName := map[string]api.Target{}
	for _, t := range inv.Targets {
		byName[t.Name] = t
	}
	ca, err := newDemoCA()
	if err != nil {
		return err
	}
	now := a.env.now()
	for _, s := range demoSeeds {
		t, ok := byName[s.target]
		if !ok {
			continue // a demo inventory without this cluster
		}
		iss, err := ca.issue(t, s.role, now.Add(-s.age), now.Add(s.ahead))
		if err != nil {
			return err
		}
		c, err := a.store.AddCredential(ctx, t, iss, store.Meta{Validity: api.Days(int((s.age + s.ahead) / day)), Source: s.source})
		if err != nil {
			return fmt.Errorf("seed the demo: %w", err)
		}
		if s.revoked {
			if _, err := a.store.MarkRevoked(ctx, t.Key(), c.Subject, now.Add(-time.Hour)); err != nil {
				return err
			}
			continue
		}
		if _, err := a.engine.WriteCredential(ctx, c); err != nil {
			return fmt.Errorf("seed the demo kubeconfig: %w", err)
		}
	}
	return nil
}

// demoCA mints the demo's seeded certificates.
type demoCA struct {
	key  *ecdsa.PrivateKey
	cert *x509.Certificate
	pem  []byte
}

func newDemoCA() (*demoCA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "ccecert demo CA"},
		NotBefore: time.Now().Add(-400 * day), NotAfter: time.Now().Add(3650 * day),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, _ := x509.ParseCertificate(der)
	return &demoCA{key: key, cert: cert, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}, nil
}

func (ca *demoCA) issue(t api.Target, role api.ContextRole, notBefore, notAfter time.Time) (*api.Issued, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: "demo-user", Organization: []string{"system:masters"}},
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
	server := t.Endpoints.Internal
	ic := api.IssuedContext{Name: string(role), Role: role, ClusterName: string(role) + "Cluster", Server: server, CAData: ca.pem}
	if role == api.RoleExternal && t.HasEIP() {
		ic.Server, ic.CAData, ic.InsecureSkipTLSVerify = t.Endpoints.External, nil, true
	}
	return &api.Issued{
		Contexts: []api.IssuedContext{ic}, CurrentContext: ic.Name, UserName: "user",
		CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		Key:     api.Secret(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})),
	}, nil
}
