package store

import (
	"context"
	"fmt"
	"path/filepath"
	"time"
)

// ScanFinding is one client certificate found in a kubeconfig.
type ScanFinding struct {
	File       string
	User       string // user entry name
	Credential Credential
	New        bool // recorded by this scan
	Matched    bool // its server is a known target's endpoint
}

// ScanProblem is a file or user entry that could not be read.
type ScanProblem struct {
	File string
	User string // empty for the whole file
	Err  error
}

// Error names the file (and user entry).
func (p ScanProblem) Error() string {
	if p.User == "" {
		return p.File + ": " + p.Err.Error()
	}
	return fmt.Sprintf("%s: user %q: %v", p.File, p.User, p.Err)
}

// Unwrap is the cause, for errors.Is.
func (p ScanProblem) Unwrap() error { return p.Err }

// ScanResult is what a scan found.
type ScanResult struct {
	Findings []ScanFinding
	Problems []ScanProblem
}

// Scan reads kubeconfig files and records every client certificate in them
// (any cluster; inline data or a certificate file) as a scanned credential
// with its expiry. Keys are not stored and no server is contacted. A file
// that cannot be read is a problem in the result, not an error; the error is
// for the store itself.
func (s *Store) Scan(ctx context.Context, files []string) (ScanResult, error) {
	targets, err := s.Targets(ctx)
	if err != nil {
		return ScanResult{}, err
	}
	idx := newEndpointIndex(targets)
	var res ScanResult
	var items []pending
	for _, f := range files {
		found, problems := scanFile(f, idx, s.now())
		res.Problems = append(res.Problems, problems...)
		for _, fp := range found {
			items = append(items, fp.p)
			res.Findings = append(res.Findings, ScanFinding{File: f, User: fp.user, Matched: fp.matched})
		}
	}
	if len(items) == 0 {
		return res, nil
	}
	creds, existed, err := s.save(ctx, items)
	if err != nil {
		return res, fmt.Errorf("record scanned certificates: %w", err)
	}
	for i := range res.Findings {
		res.Findings[i].Credential, res.Findings[i].New = creds[i], !existed[i]
	}
	return res, nil
}

type scanned struct {
	p       pending
	user    string
	matched bool
}

// scanFile finds the certificates of one file.
func scanFile(file string, idx endpointIndex, now time.Time) ([]scanned, []ScanProblem) {
	data, err := ReadLocalFile(file, MaxKubeconfigSize)
	if err != nil {
		return nil, []ScanProblem{{File: file, Err: err}}
	}
	cfg, err := loadOutsideKubeconfig(data)
	if err != nil {
		return nil, []ScanProblem{{File: file, Err: err}}
	}
	abs, _ := filepath.Abs(file)
	var out []scanned
	var problems []ScanProblem
	for _, u := range collectUsers(cfg, filepath.Dir(file)) {
		if u.certErr != nil {
			problems = append(problems, ScanProblem{File: file, User: u.name, Err: u.certErr})
			continue
		}
		if len(u.cert) == 0 {
			continue // token, exec plugin or auth provider: no certificate
		}
		info, err := ParseCert(u.cert)
		if err != nil {
			problems = append(problems, ScanProblem{File: file, User: u.name, Err: err})
			continue
		}
		t, refs, ok := idx.match(u.clusters)
		if !ok {
			clusterName := u.name
			if len(u.contexts) > 0 {
				clusterName = cfg.Contexts[u.contexts[0]].Cluster
			}
			t = unmatchedTarget(clusterName, u.clusters)
		}
		c := Credential{Target: t, Contexts: u.contexts, Clusters: refs, User: u.name, Source: SourceScanned, Kubeconfig: abs, CreatedAt: now.UTC()}
		for _, r := range refs {
			c.Roles = append(c.Roles, r.Role)
		}
		setCertFields(&c, info)
		c.HasKey = false
		out = append(out, scanned{p: pending{cred: c, digest: info.FingerprintSHA256}, user: u.name, matched: ok})
	}
	return out, problems
}
