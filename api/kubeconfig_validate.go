package api

import (
	"crypto"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// issued validates the kubeconfig and resolves it into an Issued: every
// context resolves to its cluster and the one user; servers are https; the
// CA, certificate and key parse; the key matches the certificate.
func (kc *kubeconfig) issued(role roleFunc) (*Issued, error) {
	if len(kc.Contexts) == 0 {
		return nil, errors.New("kubeconfig has no contexts")
	}
	clusters, err := indexClusters(kc.Clusters)
	if err != nil {
		return nil, err
	}
	users := map[string]userInfo{}
	for _, u := range kc.Users {
		if _, dup := users[u.Name]; dup {
			return nil, fmt.Errorf("kubeconfig names user %q twice", sanitize(u.Name, 60))
		}
		users[u.Name] = u.User
	}
	out := &Issued{CurrentContext: kc.CurrentContext}
	seen := map[string]bool{}
	for _, nc := range kc.Contexts {
		if seen[nc.Name] {
			return nil, fmt.Errorf("kubeconfig names context %q twice", sanitize(nc.Name, 60))
		}
		seen[nc.Name] = true
		ic, err := resolveContext(nc, clusters, role)
		if err != nil {
			return nil, err
		}
		if out.UserName == "" {
			out.UserName = nc.Context.User
		} else if out.UserName != nc.Context.User {
			return nil, fmt.Errorf("contexts use different users (%q, %q): an issued kubeconfig has one user",
				sanitize(out.UserName, 60), sanitize(nc.Context.User, 60))
		}
		out.Contexts = append(out.Contexts, ic)
	}
	out.shareClusterCA()
	u, ok := users[out.UserName]
	if !ok {
		return nil, fmt.Errorf("contexts refer to user %q, which the kubeconfig does not define", sanitize(out.UserName, 60))
	}
	if err := out.setCredentials(u); err != nil {
		return nil, fmt.Errorf("user %q: %w", sanitize(out.UserName, 60), err)
	}
	return out, nil
}

func indexClusters(list []namedCluster) (map[string]clusterInfo, error) {
	m := make(map[string]clusterInfo, len(list))
	for _, c := range list {
		if _, dup := m[c.Name]; dup {
			return nil, fmt.Errorf("kubeconfig names cluster %q twice", sanitize(c.Name, 60))
		}
		m[c.Name] = c.Cluster
	}
	return m, nil
}

func resolveContext(nc namedContext, clusters map[string]clusterInfo, role roleFunc) (IssuedContext, error) {
	name := sanitize(nc.Name, 60)
	ci, ok := clusters[nc.Context.Cluster]
	if !ok {
		return IssuedContext{}, fmt.Errorf("context %q refers to cluster %q, which the kubeconfig does not define", name, sanitize(nc.Context.Cluster, 60))
	}
	if err := checkServer(ci.Server); err != nil {
		return IssuedContext{}, fmt.Errorf("context %q: %w", name, err)
	}
	ic := IssuedContext{
		Name:                  nc.Name,
		Role:                  role(nc.Name, nc.Context.Cluster, bool(ci.Insecure)),
		ClusterName:           nc.Context.Cluster,
		Server:                ci.Server,
		InsecureSkipTLSVerify: bool(ci.Insecure),
	}
	if ci.CAData != "" {
		ca, err := decodeData("certificate-authority-data", ci.CAData)
		if err != nil {
			return IssuedContext{}, fmt.Errorf("cluster %q: %w", sanitize(nc.Context.Cluster, 60), err)
		}
		if _, err := parseCerts(ca); err != nil {
			return IssuedContext{}, fmt.Errorf("cluster %q: the CA %w", sanitize(nc.Context.Cluster, 60), err)
		}
		ic.ClusterCA = ca
		if !ic.InsecureSkipTLSVerify { // kubectl refuses CA data with insecure-skip
			ic.CAData = ca
		}
	}
	return ic, nil
}

// shareClusterCA gives CCE's external entry, which comes without a CA, the
// internal entry's CA and host: "the kubeconfig keeps the cluster CA from
// the internal entry", so a TLS check can verify the EIP against it.
func (i *Issued) shareClusterCA() {
	in, ok := i.Context(RoleInternal)
	if !ok || len(in.ClusterCA) == 0 {
		return
	}
	host := ""
	if u, err := url.Parse(in.Server); err == nil {
		host = u.Hostname()
	}
	for k := range i.Contexts {
		c := &i.Contexts[k]
		if c.Role != RoleExternal {
			continue
		}
		if len(c.ClusterCA) == 0 {
			c.ClusterCA = in.ClusterCA
		}
		c.InternalHost = host
	}
}

func checkServer(server string) error {
	u, err := url.Parse(server)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("server %q is not an https URL", sanitize(server, 100))
	}
	return nil
}

// setCredentials decodes and checks the client certificate, key and token.
func (i *Issued) setCredentials(u userInfo) error {
	if u.CertData == "" && u.KeyData == "" && u.Token == "" {
		return errors.New("has neither a client certificate nor a token")
	}
	if isMasked(u.Token) {
		return errors.New("token is masked (******): use the full kubeconfig, not the documentation sample")
	}
	if u.Token != "" {
		i.Token = Secret(strings.TrimSpace(u.Token))
	}
	if u.CertData == "" && u.KeyData == "" {
		return nil
	}
	if u.CertData == "" || u.KeyData == "" {
		return errors.New("has a client certificate without its key, or a key without its certificate")
	}
	certPEM, err := decodeData("client-certificate-data", u.CertData)
	if err != nil {
		return err
	}
	keyPEM, err := decodeData("client-key-data", u.KeyData)
	if err != nil {
		return err
	}
	certs, err := parseCerts(certPEM)
	if err != nil {
		return fmt.Errorf("the client certificate %w", err)
	}
	if err := keyMatches(certs[0], keyPEM); err != nil {
		return err
	}
	i.CertPEM, i.Key, i.NotAfter = certPEM, Secret(keyPEM), certs[0].NotAfter
	return nil
}

// KeyMatches checks that keyPEM (PKCS#8, SEC 1 or PKCS#1 PEM) is the
// private key of the first certificate in certPEM: the one check of a
// key, for the cloud's answers here and for what the store is given. The
// error holds no key material.
func KeyMatches(certPEM, keyPEM []byte) error {
	certs, err := parseCerts(certPEM)
	if err != nil {
		return fmt.Errorf("the client certificate %w", err)
	}
	return keyMatches(certs[0], keyPEM)
}

func keyMatches(cert *x509.Certificate, keyPEM []byte) error {
	key, err := parseKey(keyPEM)
	if err != nil {
		return err
	}
	if !publicKeysEqual(cert.PublicKey, key.Public()) {
		return errors.New("the client key does not match the client certificate")
	}
	return nil
}

func isMasked(s string) bool { return strings.Contains(s, "***") }

// decodeData base64-decodes a *-data field into PEM.
func decodeData(field, s string) ([]byte, error) {
	if isMasked(s) {
		return nil, fmt.Errorf("%s is masked (******): use the full kubeconfig, not the documentation sample", field)
	}
	clean := strings.Join(strings.Fields(s), "")
	data, err := base64.StdEncoding.DecodeString(clean)
	if err != nil {
		if data, err = base64.RawStdEncoding.DecodeString(strings.TrimRight(clean, "=")); err != nil {
			return nil, fmt.Errorf("%s is not base64", field)
		}
	}
	if !strings.Contains(string(data), "-----BEGIN") {
		return nil, fmt.Errorf("%s is not PEM", field)
	}
	return data, nil
}

// parseCerts parses every CERTIFICATE block; at least one is required.
func parseCerts(pemData []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	rest := pemData
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, errors.New("does not parse as X.509")
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, errors.New("holds no PEM certificate")
	}
	return certs, nil
}

// parseKey parses the first private key block (PKCS#8, EC or PKCS#1).
func parseKey(pemData []byte) (crypto.Signer, error) {
	rest := pemData
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return nil, errors.New("client-key-data holds no PEM private key")
		}
		if !strings.HasSuffix(b.Type, "PRIVATE KEY") {
			continue
		}
		var (
			k   any
			err error
		)
		switch b.Type {
		case "EC PRIVATE KEY":
			k, err = x509.ParseECPrivateKey(b.Bytes)
		case "RSA PRIVATE KEY":
			k, err = x509.ParsePKCS1PrivateKey(b.Bytes)
		default:
			k, err = x509.ParsePKCS8PrivateKey(b.Bytes)
		}
		if err != nil {
			return nil, errors.New("the client key does not parse")
		}
		s, ok := k.(crypto.Signer)
		if !ok {
			return nil, errors.New("the client key is of an unsupported type")
		}
		return s, nil
	}
}

func publicKeysEqual(a, b crypto.PublicKey) bool {
	eq, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && eq.Equal(b)
}
