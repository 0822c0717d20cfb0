package store

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ccecert/api"
)

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// cceDownload is a console kubeconfig shaped like seeds 000/004, with real
// data: internal (CA) and external (insecure) contexts, user "user".
func cceDownload(tgt api.Target, caPEM, cert, key []byte) []byte {
	return []byte(fmt.Sprintf(`{ "kind" : "Config", "apiVersion" : "v1", "preferences" : { },
  "clusters" : [
    { "name" : "internalCluster", "cluster" : { "server" : %q, "certificate-authority-data" : %q } },
    { "name" : "externalCluster", "cluster" : { "server" : %q, "insecure-skip-tls-verify" : true } } ],
  "users" : [ { "name" : "user", "user" : { "client-certificate-data" : %q, "client-key-data" : %q } } ],
  "contexts" : [
    { "name" : "internal", "context" : { "cluster" : "internalCluster", "user" : "user" } },
    { "name" : "external", "context" : { "cluster" : "externalCluster", "user" : "user" } } ],
  "current-context" : "external" }`, tgt.Endpoints.Internal, b64(caPEM), tgt.Endpoints.External, b64(cert), b64(key)))
}

// ucsDownload is a UCS fleet kubeconfig (seed 003) in YAML with UCS's string
// boolean; cert and key may be empty (token-only).
func ucsDownload(server string, caPEM, cert, key []byte, token string) []byte {
	return []byte(fmt.Sprintf(`kind: Config
apiVersion: v1
clusters:
- name: cluster-demo
  cluster:
    server: %s
    certificate-authority-data: %s
    insecure-skip-tls-verify: "false"
users:
- name: user
  user:
    client-certificate-data: "%s"
    client-key-data: "%s"
    token: "%s"
contexts:
- name: demo
  context:
    cluster: cluster-demo
    user: user
current-context: demo
`, server, b64(caPEM), b64(cert), b64(key), token))
}

func TestImportCCEMatched(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	ca := newCA(t)
	tgt := cceTarget("prod", "cn-north-4", "c1")
	if err := s.SaveTargets(ctx, []api.Target{tgt, cceTarget("dev", "cn-north-4", "c2")}, Scope{}, t0); err != nil {
		t.Fatal(err)
	}
	cert, key := ca.issue(t, "u-1", t0.Add(-Day), t0.Add(300*Day))
	file := filepath.Join(t.TempDir(), "prod-kubeconfig.json")
	res, err := s.Import(ctx, cceDownload(tgt, ca.PEM, cert, key), file)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Credentials) != 1 || !res.Matched[0] || res.Existed[0] || len(res.Warnings) != 0 {
		t.Fatalf("result %+v", res)
	}
	c := res.Credentials[0]
	if c.Target.Key() != tgt.Key() || c.Source != SourceImported || c.Subject != "u-1" || c.Kubeconfig != "" || len(c.Contexts) != 0 {
		t.Fatalf("credential %+v", c)
	}
	if len(c.Clusters) != 2 || c.Clusters[0].Role != api.RoleExternal || !c.Clusters[0].Insecure || c.Clusters[1].Role != api.RoleInternal || !bytes.Equal(c.Clusters[1].CAData, ca.PEM) {
		t.Fatalf("clusters %+v", c.Clusters)
	}
	if k, err := s.Key(ctx, c.ID); err != nil || !bytes.Equal(k.Reveal(), key) {
		t.Fatalf("key: %v", err)
	}
	again, err := s.Import(ctx, cceDownload(tgt, ca.PEM, cert, key), file)
	if err != nil || !again.Existed[0] || again.Credentials[0].ID != c.ID {
		t.Fatalf("second import: %+v %v", again, err)
	}
}

func TestImportUCS(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	ca := newCA(t)
	fleet := api.Target{Kind: api.KindFleet, ID: "f1", Name: "fleet", Region: "global", Endpoints: api.Endpoints{Internal: "https://127.0.0.1:30443/"}}
	_ = s.SaveTargets(ctx, []api.Target{fleet}, Scope{}, t0)
	// Token only: a credential with no expiry info.
	res, err := s.Import(ctx, ucsDownload("https://127.0.0.1:30443", ca.PEM, nil, nil, "tok-abc"), "-")
	if err != nil {
		t.Fatal(err)
	}
	c := res.Credentials[0]
	if !c.TokenOnly || !res.Matched[0] || c.Target.Key() != fleet.Key() || c.Roles[0] != api.RoleFederation || c.Health(t0, DefaultThresholds()) != HealthUnknown {
		t.Fatalf("token import %+v", c)
	}
	if tok, _ := s.Token(ctx, c.ID); string(tok.Reveal()) != "tok-abc" {
		t.Fatal("token not stored")
	}
	// With a certificate, YAML, string boolean.
	cert, key := ca.issue(t, "u-2", t0, t0.Add(100*Day))
	res, err = s.Import(ctx, ucsDownload("https://127.0.0.1:30443", ca.PEM, cert, key, ""), "-")
	if err != nil {
		t.Fatal(err)
	}
	if c := res.Credentials[0]; c.TokenOnly || c.Clusters[0].Insecure || c.Subject != "u-2" {
		t.Fatalf("cert import %+v", c)
	}
}

func TestImportUnmatched(t *testing.T) {
	s, _ := openStore(t)
	ca := newCA(t)
	cert, key := ca.issue(t, "u", t0, t0.Add(30*Day))
	res, err := s.Import(context.Background(), cceDownload(cceTarget("x", "r", "zz"), ca.PEM, cert, key), "")
	if err != nil {
		t.Fatal(err)
	}
	c := res.Credentials[0]
	if res.Matched[0] || !strings.HasPrefix(c.Target.ID, "unmatched:") || c.Target.Name != "externalCluster" || c.Target.Kind != api.KindCCE {
		t.Fatalf("unmatched %+v", c.Target)
	}
	if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "unmatched") {
		t.Fatalf("warnings %q", res.Warnings)
	}
}

func TestImportExpiredStoredWithWarning(t *testing.T) {
	s, _ := openStore(t)
	ca := newCA(t)
	cert, key := ca.issue(t, "u", t0.Add(-60*Day), t0.Add(-3*Day))
	res, err := s.Import(context.Background(), cceDownload(cceTarget("x", "r", "c1"), ca.PEM, cert, key), "")
	if err != nil {
		t.Fatal(err)
	}
	if h := res.Credentials[0].Health(t0, DefaultThresholds()); h != HealthExpired {
		t.Fatalf("health %s", h)
	}
	joined := strings.Join(res.Warnings, "\n")
	if !strings.Contains(joined, "expired 3d ago") {
		t.Fatalf("warnings %q", res.Warnings)
	}
}

// maskedSeed is seed 000's example response, verbatim.
const maskedSeed = `{ "kind" : "Config", "apiVersion" : "v1", "preferences" : { }, "clusters" : [ { "name" : "internalCluster", "cluster" : { "server" : "https://192.168.1.7:5443", "certificate-authority-data" : "Q2VydGlmaWNhdGU6******FTkQgQ0VSVElGSUNBVEUtLS0tLQo=" } } ], "users" : [ { "name" : "user", "user" : { "client-certificate-data" : "LS0tLS1CRUdJTiBDR******QVRFLS0tLS0K", "client-key-data" : "LS0tLS1CRUdJTi******BLRVktLS0tLQo=" } } ], "contexts" : [ { "name" : "internal", "context" : { "cluster" : "internalCluster", "user" : "user" } } ], "current-context" : "internal" }`

func TestImportBadInputChangesNothing(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	ca := newCA(t)
	tgt := cceTarget("prod", "r", "c1")
	_ = s.SaveTargets(ctx, []api.Target{tgt}, Scope{}, t0)
	cert, key := ca.issue(t, "u", t0, t0.Add(30*Day))
	_, otherKey := ca.issue(t, "v", t0, t0.Add(30*Day))
	good := string(cceDownload(tgt, ca.PEM, cert, key))
	cases := map[string]struct {
		data string
		want string
	}{
		"masked seed":      {maskedSeed, "masked"},
		"truncated":        {good[:len(good)*2/3], "YAML or JSON"},
		"empty":            {"  \n", "empty"},
		"not a kubeconfig": {"hello: world\n", "not a kubeconfig"},
		"cert not a cert":  {strings.Replace(good, b64(cert), b64([]byte("hello, I am not a certificate")), 1), "not a certificate"},
		"key mismatch":     {strings.Replace(good, b64(key), b64(otherKey), 1), "does not match"},
		"no key":           {strings.Replace(good, `, "client-key-data" : "`+b64(key)+`"`, "", 1), "no client key"},
		"http server":      {strings.Replace(good, tgt.Endpoints.Internal, "http://127.0.0.1:80", 1), "https"},
		"CA not a cert":    {strings.Replace(good, b64(ca.PEM), b64([]byte("nope")), 1), "certificate-authority-data"},
		"bad base64":       {strings.Replace(good, b64(cert), "@@@@", 1), "does not parse"},
		"exec user only":   {`{"apiVersion":"v1","kind":"Config","users":[{"name":"u","user":{"exec":{"apiVersion":"client.authentication.k8s.io/v1","command":"x"}}}]}`, "no client certificate or token"},
		"bool not bool":    {strings.Replace(good, `"insecure-skip-tls-verify" : true`, `"insecure-skip-tls-verify" : "perhaps"`, 1), "insecure-skip-tls-verify"},
	}
	for name, c := range cases {
		_, err := s.Import(ctx, []byte(c.data), "bad.json")
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "bad.json") {
			t.Errorf("%s: err %v, want %q and the file name", name, err, c.want)
		}
		if err != nil && (strings.Contains(err.Error(), "PRIVATE KEY") || strings.Contains(err.Error(), b64(key)[:30])) {
			t.Errorf("%s: error leaks the key", name)
		}
	}
	if _, err := s.Import(ctx, []byte(maskedSeed), ""); !errors.Is(err, ErrMasked) {
		t.Errorf("masked: %v, want ErrMasked", err)
	}
	if all, _ := s.Credentials(ctx, Filter{All: true}); len(all) != 0 {
		t.Fatalf("bad imports stored %d credentials", len(all))
	}
	if targets, _ := s.Targets(ctx); len(targets) != 1 {
		t.Fatalf("targets changed: %d", len(targets))
	}
}

func TestImportFromFilesAndScanUpgrade(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	ca := newCA(t)
	dir := t.TempDir()
	cert, key := ca.issue(t, "u", t0, t0.Add(30*Day))
	_ = os.WriteFile(filepath.Join(dir, "client.crt"), cert, 0o600)
	_ = os.WriteFile(filepath.Join(dir, "client.key"), key, 0o600)
	kc := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: %s}}]
users: [{name: u, user: {client-certificate: client.crt, client-key: %s}}]
contexts: [{name: home, context: {cluster: c, user: u}}]
`, b64(ca.PEM), filepath.Join(dir, "client.key"))
	file := filepath.Join(dir, "config")
	_ = os.WriteFile(file, []byte(kc), 0o600)
	// Scan first: recorded without a key.
	sr, err := s.Scan(ctx, []string{file})
	if err != nil || len(sr.Findings) != 1 || !sr.Findings[0].New || sr.Findings[0].Credential.HasKey {
		t.Fatalf("scan %+v %v", sr, err)
	}
	id := sr.Findings[0].Credential.ID
	if _, err := s.Key(ctx, id); err == nil || !strings.Contains(err.Error(), "scanned") {
		t.Fatalf("key of a scanned credential: %v", err)
	}
	// Import the same file: the credential gains its key.
	data, _ := os.ReadFile(file)
	res, err := s.Import(ctx, data, file)
	if err != nil {
		t.Fatal(err)
	}
	if c := res.Credentials[0]; c.ID != id || !c.HasKey || c.Source != SourceImported || !res.Existed[0] {
		t.Fatalf("upgrade %+v", res)
	}
	if k, err := s.Key(ctx, id); err != nil || !bytes.Equal(k.Reveal(), key) {
		t.Fatalf("key after import: %v", err)
	}
}

func FuzzImport(f *testing.F) {
	ca := newCA(f)
	tgt := cceTarget("prod", "r", "c1")
	cert, key := ca.issue(f, "u", t0, t0.Add(Day))
	f.Add(cceDownload(tgt, ca.PEM, cert, key))
	f.Add(ucsDownload("https://127.0.0.1:1", ca.PEM, nil, nil, "tok"))
	f.Add(ucsDownload("https://127.0.0.1:1", ca.PEM, cert, key, ""))
	f.Add([]byte(maskedSeed))
	f.Add([]byte(userKubeconfig))
	f.Add([]byte("clusters: [{name: a, cluster: {insecure-skip-tls-verify: \"yes\"}}]"))
	f.Add([]byte("contexts: [{name: a, context: {cluster: missing, user: u}}]\nusers: [{name: u, user: {token: t}}]"))
	f.Add([]byte("users: [{name: u, user: {client-certificate: /nonexistent/x.crt}}]"))
	f.Add([]byte("{}"))
	f.Add([]byte("- a\n- b"))
	targets := []TargetRecord{{Target: tgt}}
	f.Fuzz(func(t *testing.T, data []byte) {
		items, matched, _, err := planImport(data, "", targets, t0)
		if err != nil {
			return
		}
		if len(items) == 0 || len(items) != len(matched) {
			t.Fatalf("%d items, %d matched flags, no error", len(items), len(matched))
		}
		for _, p := range items {
			if p.digest == "" || len(p.secret) == 0 || len(p.cred.Clusters) == 0 {
				t.Fatalf("incomplete credential without error: %+v", p.cred)
			}
		}
	})
}
