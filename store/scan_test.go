package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScan(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	ca := newCA(t)
	dir := t.TempDir()
	// A kubeconfig ccecert wrote (inline), with the operator's token user.
	a, b := cceTarget("prod", "r", "c1"), cceTarget("dev", "r", "c2")
	kc := filepath.Join(dir, "config")
	_ = os.WriteFile(kc, []byte(userKubeconfig), 0o600)
	issA := issuedFor(t, ca, a, t0.Add(-60*Day), t0.Add(5*Day))
	mergeT(t, kc, entryFor(a, issA), MergeOptions{})
	mergeT(t, kc, entryFor(b, issuedFor(t, ca, b, t0, t0.Add(Day))), MergeOptions{})
	// One with a certificate file and a key file that is gone.
	cert, _ := ca.issue(t, "other", t0, t0.Add(400*Day))
	_ = os.WriteFile(filepath.Join(dir, "c.crt"), cert, 0o600)
	other := filepath.Join(dir, "other")
	_ = os.WriteFile(other, []byte("users: [{name: o, user: {client-certificate: c.crt, client-key: gone.key}}]\n"), 0o600)
	broken := filepath.Join(dir, "broken")
	_ = os.WriteFile(broken, []byte("clusters: [\n"), 0o600)
	_ = s.SaveTargets(ctx, nil, Scope{}, t0)

	res, err := s.Scan(ctx, []string{kc, other, broken, filepath.Join(dir, "missing")})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 3 || len(res.Problems) != 2 {
		t.Fatalf("findings %d problems %v", len(res.Findings), res.Problems)
	}
	byUser := map[string]ScanFinding{}
	for _, f := range res.Findings {
		byUser[f.User] = f
		if !f.New || f.Credential.Source != SourceScanned || f.Credential.HasKey {
			t.Errorf("finding %+v", f)
		}
	}
	prod := byUser["ccecert-prod"].Credential
	if prod.Health(t0, DefaultThresholds()) != HealthCritical || prod.Kubeconfig != kc || len(prod.Contexts) != 2 {
		t.Errorf("prod finding %+v", prod)
	}
	if o := byUser["o"].Credential; o.Subject != "other" || !strings.HasPrefix(o.Target.ID, "unmatched:") {
		t.Errorf("file-based finding %+v", o)
	}
	for _, p := range res.Problems {
		if p.File != broken && !strings.HasSuffix(p.File, "missing") {
			t.Errorf("problem %v", p)
		}
	}
	again, err := s.Scan(ctx, []string{kc})
	if err != nil || len(again.Findings) != 2 || again.Findings[0].New || again.Findings[1].New {
		t.Fatalf("second scan %+v %v", again, err)
	}
	if all, _ := s.Credentials(ctx, Filter{Source: SourceScanned}); len(all) != 3 {
		t.Fatalf("%d scanned credentials stored", len(all))
	}
}
