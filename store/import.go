package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"time"

	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"ccecert/api"
)

// ImportResult is what an import stored.
type ImportResult struct {
	Credentials []Credential
	Matched     []bool   // per credential: its server is a known target's endpoint
	Existed     []bool   // per credential: it was already stored
	Warnings    []string // e.g. an expired certificate, stored and flagged
}

// Import stores the credentials of a kubeconfig downloaded from the console
// (CCE or UCS, JSON or YAML). source is its file name ("" or "-" for
// stdin), used in messages and for relative certificate paths. Its servers
// are matched against the cached inventory; an unknown cluster becomes an
// unmatched target. Nothing is stored unless every credential in it is
// valid; an expired certificate is the exception: stored, with a warning.
// The servers named inside are never contacted.
func (s *Store) Import(ctx context.Context, data []byte, source string) (ImportResult, error) {
	name := source
	if name == "" || name == "-" {
		name = "standard input"
	}
	targets, err := s.Targets(ctx)
	if err != nil {
		return ImportResult{}, err
	}
	items, matched, warnings, err := planImport(data, source, targets, s.now())
	if err != nil {
		return ImportResult{}, fmt.Errorf("import %s: %w", name, err)
	}
	creds, existed, err := s.save(ctx, items)
	if err != nil {
		return ImportResult{}, fmt.Errorf("import %s: %w", name, err)
	}
	return ImportResult{Credentials: creds, Matched: matched, Existed: existed, Warnings: warnings}, nil
}

// planImport parses and validates an import without touching the store.
func planImport(data []byte, source string, targets []TargetRecord, now time.Time) ([]pending, []bool, []string, error) {
	cfg, err := loadOutsideKubeconfig(data)
	if err != nil {
		return nil, nil, nil, err
	}
	baseDir := ""
	if source != "" && source != "-" {
		if abs, err := filepath.Abs(source); err == nil {
			source = abs
		}
		baseDir = filepath.Dir(source)
	}
	idx := newEndpointIndex(targets)
	var items []pending
	var matched []bool
	var warnings []string
	for _, u := range collectUsers(cfg, baseDir) {
		if err := errors.Join(u.certErr, u.keyErr); err != nil {
			return nil, nil, nil, fmt.Errorf("user %q: %w", u.name, err)
		}
		if len(u.cert) == 0 && u.token == "" {
			warnings = append(warnings, fmt.Sprintf("user %q has no client certificate or token; skipped", u.name))
			continue
		}
		if len(u.clusters) == 0 {
			warnings = append(warnings, fmt.Sprintf("user %q is used by no context with a cluster; skipped", u.name))
			continue
		}
		p, ok, w, err := importUser(cfg, u, idx, source, now)
		if err != nil {
			return nil, nil, nil, fmt.Errorf("user %q: %w", u.name, err)
		}
		items, matched, warnings = append(items, p), append(matched, ok), append(warnings, w...)
	}
	if len(items) == 0 {
		return nil, nil, warnings, errors.New("it holds no client certificate or token to import")
	}
	return items, matched, warnings, nil
}

// importUser validates one user entry and builds its credential.
func importUser(cfg *clientcmdapi.Config, u foundUser, idx endpointIndex, source string, now time.Time) (pending, bool, []string, error) {
	var warnings []string
	for _, r := range u.clusters {
		if err := checkServer(r); err != nil {
			return pending{}, false, nil, err
		}
	}
	t, refs, ok := idx.match(u.clusters)
	if !ok {
		t = unmatchedTarget(cfg.Contexts[u.contexts[0]].Cluster, u.clusters)
		warnings = append(warnings, fmt.Sprintf("no known cluster has server %s; stored as unmatched target %q (refresh the cluster list and import again to match it)", u.clusters[0].Server, t.Name))
	}
	iss := &api.Issued{Key: api.Secret(u.key), Token: api.Secret(u.token), UserName: u.name, CurrentContext: cfg.CurrentContext}
	if len(u.cert) > 0 {
		iss.CertPEM, iss.Token = u.cert, nil
	}
	for _, r := range refs {
		iss.Contexts = append(iss.Contexts, r.context())
	}
	// Not written anywhere yet: the download is the operator's file, never a
	// place ccecert writes to (a renew goes to the engine's kubeconfig).
	p, err := newPending(t, iss, Meta{Source: SourceImported}, now)
	if err != nil {
		return pending{}, false, nil, err
	}
	if !p.cred.TokenOnly {
		warnings = append(warnings, certWarnings(u.name, p.cred, refs, now)...)
	}
	return p, ok, warnings, nil
}

// checkServer refuses a server that is not an https URL and CA data that
// is not a certificate.
func checkServer(r ClusterRef) error {
	u, err := url.Parse(r.Server)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("context %q: server %q is not an https URL", r.Name, r.Server)
	}
	if len(r.CAData) > 0 {
		if _, err := ParseCert(r.CAData); err != nil {
			return fmt.Errorf("context %q: certificate-authority-data: %w", r.Name, err)
		}
	}
	return nil
}

// certWarnings notes an expired or not-yet-valid certificate and a chain
// that does not verify against the cluster CA.
func certWarnings(user string, c Credential, refs []ClusterRef, now time.Time) []string {
	var w []string
	switch {
	case !c.NotAfter.After(now):
		w = append(w, fmt.Sprintf("certificate of user %q (CN %s) %s (on %s); stored and flagged expired — fetch a new one",
			user, c.Subject, Countdown(c.NotAfter, now), c.NotAfter.Format(time.RFC3339)))
	case c.NotBefore.After(now):
		w = append(w, fmt.Sprintf("certificate of user %q is not valid before %s: check this machine's clock", user, c.NotBefore.Format(time.RFC3339)))
	}
	for _, r := range refs {
		if len(r.CAData) == 0 {
			continue
		}
		if err := VerifyChain(c.CertPEM, r.CAData); err != nil {
			w = append(w, fmt.Sprintf("context %q: %v", r.Name, err))
		}
		break
	}
	return w
}
