package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"ccecert/api"
)

// ErrNotFound is returned (wrapped) when no credential matches.
var ErrNotFound = errors.New("credential not found")

// AmbiguousError is a reference that matches more than one credential.
type AmbiguousError struct {
	Ref        string
	Candidates []string // ids
}

// Error lists the candidates.
func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("%q matches %d credentials (%s): give more of the id", e.Ref, len(e.Candidates), strings.Join(e.Candidates, ", "))
}

// pending is a credential about to be stored with its plaintext secret
// (key, or token when TokenOnly; nil when none is kept) and its digest, the
// hex whose prefix becomes the id.
type pending struct {
	cred   Credential
	secret []byte
	digest string
}

// AddCredential validates an issued kubeconfig (the certificate parses and
// the key matches it, or it carries a token) before writing anything, then
// stores it with the key encrypted. Storing the same certificate again
// returns the stored credential.
func (s *Store) AddCredential(ctx context.Context, t api.Target, iss *api.Issued, meta Meta) (Credential, error) {
	p, err := newPending(t, iss, meta, s.now())
	if err != nil {
		return Credential{}, fmt.Errorf("store credential for %s: %w", t.Label(), err)
	}
	out, _, err := s.save(ctx, []pending{p})
	if err != nil {
		return Credential{}, fmt.Errorf("store credential for %s: %w", t.Label(), err)
	}
	return out[0], nil
}

// newPending checks iss and builds the credential to store.
func newPending(t api.Target, iss *api.Issued, meta Meta, now time.Time) (pending, error) {
	if iss == nil {
		return pending{}, errors.New("no issued kubeconfig")
	}
	if meta.Source == "" {
		meta.Source = SourceFetched
	}
	if meta.Mode == "" {
		meta.Mode = ModeInline
	}
	kube, err := AbsPath(meta.Kubeconfig)
	if err != nil {
		return pending{}, err
	}
	meta.Kubeconfig = kube
	c := Credential{
		Target: t, Contexts: meta.Contexts, User: meta.User, Validity: meta.Validity, Legacy: iss.Legacy,
		Source: meta.Source, Kubeconfig: meta.Kubeconfig, Mode: meta.Mode, CreatedAt: now.UTC(),
		Profile: profileOr(meta.Profile),
	}
	for _, ic := range iss.Contexts {
		if ic.Server == "" {
			return pending{}, fmt.Errorf("context %q has no server address", ic.Name)
		}
		c.Clusters = append(c.Clusters, clusterRef(ic))
		c.Roles = append(c.Roles, ic.Role)
	}
	switch {
	case len(iss.CertPEM) > 0:
		info, err := ParseCert(iss.CertPEM)
		if err != nil {
			return pending{}, err
		}
		if iss.Key.Empty() {
			return pending{}, errors.New("the kubeconfig has a client certificate but no client key")
		}
		if err := KeyMatches(info.PEM, iss.Key.Reveal()); err != nil {
			return pending{}, err
		}
		setCertFields(&c, info)
		return pending{cred: c, secret: pemOrBase64(iss.Key.Reveal()), digest: info.FingerprintSHA256}, nil
	case !iss.Token.Empty():
		sum := sha256.Sum256(iss.Token.Reveal())
		c.TokenOnly, c.HasKey = true, true
		c.Fingerprint = hex.EncodeToString(sum[:])
		return pending{cred: c, secret: iss.Token.Reveal(), digest: c.Fingerprint}, nil
	}
	return pending{}, errors.New("the kubeconfig has neither a client certificate nor a token")
}

// setCertFields copies what the X.509 says into c.
func setCertFields(c *Credential, info CertInfo) {
	c.Subject, c.Serial, c.Fingerprint, c.Issuer = info.Subject, info.Serial, info.FingerprintSHA256, info.Issuer
	c.NotBefore, c.NotAfter, c.CertPEM = info.NotBefore, info.NotAfter, info.PEM
	c.HasKey = true
}

// save encrypts the secrets, then stores every item in one transaction.
// existed[i] is true when item i was already stored (same certificate).
func (s *Store) save(ctx context.Context, items []pending) ([]Credential, []bool, error) {
	enc := make([][]byte, len(items))
	for i, p := range items {
		if p.secret == nil {
			continue
		}
		var err error
		if enc[i], err = s.encrypt(p.secret); err != nil {
			return nil, nil, err
		}
	}
	out := make([]Credential, len(items))
	existed := make([]bool, len(items))
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		for i, p := range items {
			var err error
			if out[i], existed[i], err = storeOne(ctx, tx, p, enc[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("write %s: %w", s.paths.db, err)
	}
	return out, existed, nil
}

// storeOne inserts p under the shortest free id prefix (8 hex, longer on a
// clash with a different certificate), or finds it already stored.
func storeOne(ctx context.Context, tx *sql.Tx, p pending, enc []byte) (Credential, bool, error) {
	for n := 8; n <= len(p.digest); n += 4 {
		id := p.digest[:n]
		old, found, err := getCredential(ctx, tx, id)
		if err != nil {
			return Credential{}, false, err
		}
		if !found {
			c := p.cred
			c.ID = id
			c.HasKey = enc != nil
			return c, false, insertRow(ctx, tx, c, enc)
		}
		if old.Fingerprint != p.cred.Fingerprint {
			continue
		}
		if !old.HasKey && enc != nil {
			c := p.cred
			c.ID, c.CreatedAt, c.HasKey = id, old.CreatedAt, true
			c.RevokedAt, c.ReplacedBy = old.RevokedAt, old.ReplacedBy
			return c, true, upgradeRow(ctx, tx, c, enc)
		}
		return old, true, nil
	}
	return Credential{}, false, errors.New("no free credential id")
}
