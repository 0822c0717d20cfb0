package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// loadFile parses a kubeconfig with clientcmd itself.
func loadFile(t *testing.T, path string) *clientcmdapi.Config {
	t.Helper()
	cfg, err := clientcmd.LoadFromFile(path)
	if err != nil {
		t.Fatalf("kubeconfig %s does not parse: %v", path, err)
	}
	return cfg
}

func mergeT(t *testing.T, path string, e Entry, opts MergeOptions) []string {
	t.Helper()
	names, err := mergeFile(path, e, opts)
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func TestMergeIntoEmpty(t *testing.T) {
	path := filepath.Join(hermetic(t), "kube", "config")
	ca := newCA(t)
	tgt := cceTarget("prod", "cn-north-4", "c1")
	iss := issuedFor(t, ca, tgt, t0, t0.Add(Day))
	names := mergeT(t, path, entryFor(tgt, iss), MergeOptions{SetCurrent: true})
	if strings.Join(names, ",") != "prod-internal,prod-external" {
		t.Fatalf("names %v", names)
	}
	cfg := loadFile(t, path)
	if cfg.CurrentContext != "prod-internal" {
		t.Errorf("current-context %q, want the TLS-verifying one", cfg.CurrentContext)
	}
	in, ex := cfg.Clusters["prod-internal"], cfg.Clusters["prod-external"]
	if in.Server != tgt.Endpoints.Internal || !bytes.Equal(in.CertificateAuthorityData, ca.PEM) || in.InsecureSkipTLSVerify {
		t.Errorf("internal cluster %+v", in)
	}
	if ex.Server != tgt.Endpoints.External || len(ex.CertificateAuthorityData) != 0 || !ex.InsecureSkipTLSVerify {
		t.Errorf("external cluster %+v", ex)
	}
	u := cfg.AuthInfos["ccecert-prod"]
	if u == nil || !bytes.Equal(u.ClientCertificateData, iss.CertPEM) || !bytes.Equal(u.ClientKeyData, iss.Key.Reveal()) {
		t.Fatalf("user entry %+v", u)
	}
	for _, n := range names {
		if c := cfg.Contexts[n]; c.AuthInfo != "ccecert-prod" || c.Cluster != n {
			t.Errorf("context %s: %+v", n, c)
		}
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %o", fi.Mode().Perm())
	}
	if _, err := os.Stat(path + ".bak"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("backup of a file that did not exist: %v", err)
	}
	if _, err := os.Stat(path + ".lock"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("lock left behind: %v", err)
	}
}

// userKubeconfig is an operator's file with their own entries.
const userKubeconfig = `apiVersion: v1
kind: Config
clusters:
- name: minikube
  cluster:
    server: https://127.0.0.1:8443
    certificate-authority: /home/op/.minikube/ca.crt
users:
- name: minikube
  user:
    token: op-token
contexts:
- name: minikube
  context:
    cluster: minikube
    user: minikube
    namespace: default
current-context: minikube
`

func TestMergeKeepsUnrelatedEntriesAndUserEdits(t *testing.T) {
	path := filepath.Join(hermetic(t), "config")
	if err := os.WriteFile(path, []byte(userKubeconfig), 0o644); err != nil {
		t.Fatal(err)
	}
	ca := newCA(t)
	tgt := cceTarget("prod", "cn-north-4", "c1")
	mergeT(t, path, entryFor(tgt, issuedFor(t, ca, tgt, t0, t0.Add(Day))), MergeOptions{})

	// The operator edits our entries: namespace, proxy-url, an extension,
	// impersonation, and renames a context.
	cfg := loadFile(t, path)
	cfg.Contexts["prod-internal"].Namespace = "team-a"
	cfg.Clusters["prod-internal"].ProxyURL = "socks5://127.0.0.1:1080"
	cfg.Clusters["prod-internal"].TLSServerName = "kubernetes"
	cfg.Contexts["work"] = cfg.Contexts["prod-external"]
	delete(cfg.Contexts, "prod-external")
	cfg.AuthInfos["ccecert-prod"].Impersonate = "admin"
	cfg.Clusters["prod-internal"].Extensions["example.com/team"] = cfg.Clusters["prod-internal"].Extensions[ownerExtension]
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)

	// Renewal: the same target merged again with a new certificate.
	iss2 := issuedFor(t, ca, tgt, t0, t0.Add(2*Day))
	iss2.Contexts[0].Server = "https://127.0.0.3:5443"
	names := mergeT(t, path, entryFor(tgt, iss2), MergeOptions{})
	if strings.Join(names, ",") != "prod-internal,work" {
		t.Fatalf("names after rename %v", names)
	}
	cfg = loadFile(t, path)
	if len(cfg.Contexts) != 3 || len(cfg.Clusters) != 3 || len(cfg.AuthInfos) != 2 {
		t.Fatalf("entries: %d contexts %d clusters %d users", len(cfg.Contexts), len(cfg.Clusters), len(cfg.AuthInfos))
	}
	mk := cfg.Contexts["minikube"]
	if cfg.CurrentContext != "minikube" || mk.Namespace != "default" || cfg.AuthInfos["minikube"].Token != "op-token" ||
		cfg.Clusters["minikube"].CertificateAuthority != "/home/op/.minikube/ca.crt" {
		t.Errorf("operator's entries changed")
	}
	in := cfg.Clusters["prod-internal"]
	if cfg.Contexts["prod-internal"].Namespace != "team-a" || in.ProxyURL != "socks5://127.0.0.1:1080" || in.TLSServerName != "kubernetes" {
		t.Errorf("edits on our entries lost: %+v", in)
	}
	if _, ok := in.Extensions["example.com/team"]; !ok {
		t.Errorf("operator's extension lost")
	}
	if in.Server != "https://127.0.0.3:5443" {
		t.Errorf("server not updated: %s", in.Server)
	}
	u := cfg.AuthInfos["ccecert-prod"]
	if u.Impersonate != "admin" || !bytes.Equal(u.ClientCertificateData, iss2.CertPEM) {
		t.Errorf("user entry: impersonate %q, cert updated %v", u.Impersonate, bytes.Equal(u.ClientCertificateData, iss2.CertPEM))
	}
	if bak, _ := os.ReadFile(path + ".bak"); !bytes.Equal(bak, before) {
		t.Errorf(".bak is not the previous content")
	}
}

func TestMergeTwiceOneSet(t *testing.T) {
	path := filepath.Join(hermetic(t), "config")
	ca := newCA(t)
	tgt := cceTarget("prod", "cn-north-4", "c1")
	first := mergeT(t, path, entryFor(tgt, issuedFor(t, ca, tgt, t0, t0.Add(Day))), MergeOptions{})
	second := mergeT(t, path, entryFor(tgt, issuedFor(t, ca, tgt, t0, t0.Add(Day))), MergeOptions{})
	if strings.Join(first, ",") != strings.Join(second, ",") {
		t.Fatalf("names changed: %v then %v", first, second)
	}
	cfg := loadFile(t, path)
	if len(cfg.Contexts) != 2 || len(cfg.Clusters) != 2 || len(cfg.AuthInfos) != 1 {
		t.Fatalf("two merges: %d contexts %d clusters %d users", len(cfg.Contexts), len(cfg.Clusters), len(cfg.AuthInfos))
	}
}

func TestMergeTwoClustersNeverCollide(t *testing.T) {
	path := filepath.Join(hermetic(t), "config")
	ca := newCA(t)
	a, b := cceTarget("prod", "cn-north-4", "c1"), cceTarget("dev", "cn-north-4", "c2")
	issA, issB := issuedFor(t, ca, a, t0, t0.Add(Day)), issuedFor(t, ca, b, t0, t0.Add(Day))
	mergeT(t, path, entryFor(a, issA), MergeOptions{})
	mergeT(t, path, entryFor(b, issB), MergeOptions{})
	cfg := loadFile(t, path)
	if len(cfg.Contexts) != 4 || len(cfg.Clusters) != 4 || len(cfg.AuthInfos) != 2 {
		t.Fatalf("%d contexts %d clusters %d users", len(cfg.Contexts), len(cfg.Clusters), len(cfg.AuthInfos))
	}
	if !bytes.Equal(cfg.AuthInfos[cfg.Contexts["prod-internal"].AuthInfo].ClientCertificateData, issA.CertPEM) ||
		!bytes.Equal(cfg.AuthInfos[cfg.Contexts["dev-external"].AuthInfo].ClientCertificateData, issB.CertPEM) {
		t.Fatal("a context uses the other cluster's certificate")
	}
	if cfg.Clusters[cfg.Contexts["dev-external"].Cluster].Server != b.Endpoints.External {
		t.Fatal("dev-external points at the wrong server")
	}
}

func TestMergeSameNameTwoRegions(t *testing.T) {
	path := filepath.Join(hermetic(t), "config")
	ca := newCA(t)
	a, b := cceTarget("prod", "cn-north-4", "c1"), cceTarget("prod", "ap-southeast-1", "c9")
	mergeT(t, path, entryFor(a, issuedFor(t, ca, a, t0, t0.Add(Day))), MergeOptions{})
	names := mergeT(t, path, entryFor(b, issuedFor(t, ca, b, t0, t0.Add(Day))), MergeOptions{})
	if strings.Join(names, ",") != "prod-ap-southeast-1-internal,prod-ap-southeast-1-external" {
		t.Fatalf("clashing names %v", names)
	}
	cfg := loadFile(t, path)
	if cfg.Contexts["prod-internal"].AuthInfo != "ccecert-prod" || cfg.Contexts[names[0]].AuthInfo != "ccecert-prod-ap-southeast-1" {
		t.Fatalf("users: %q %q", cfg.Contexts["prod-internal"].AuthInfo, cfg.Contexts[names[0]].AuthInfo)
	}
	// Merging the first again keeps its plain names; the second keeps its own.
	again := mergeT(t, path, entryFor(a, issuedFor(t, ca, a, t0, t0.Add(Day))), MergeOptions{})
	if again[0] != "prod-internal" || len(loadFile(t, path).Contexts) != 4 {
		t.Fatalf("re-merge of the first: %v", again)
	}
	// Same name, same region (two projects): the region, then the id.
	c, d := cceTarget("prod", "cn-north-4", "c7"), cceTarget("prod", "cn-north-4", "c8")
	third := mergeT(t, path, entryFor(c, issuedFor(t, ca, c, t0, t0.Add(Day))), MergeOptions{})
	fourth := mergeT(t, path, entryFor(d, issuedFor(t, ca, d, t0, t0.Add(Day))), MergeOptions{})
	if third[0] != "prod-cn-north-4-internal" || fourth[0] != "prod-cn-north-4-c8-internal" {
		t.Fatalf("third %v fourth %v", third, fourth)
	}
	if users := loadFile(t, path).AuthInfos; len(users) != 4 || users["ccecert-prod-cn-north-4-c8"] == nil {
		t.Fatalf("users %d", len(users))
	}
	// The operator's own context of that name is never taken over.
	path2 := filepath.Join(t.TempDir(), "config")
	_ = os.WriteFile(path2, []byte(strings.ReplaceAll(userKubeconfig, "name: minikube\n  context", "name: prod-internal\n  context")), 0o600)
	names = mergeT(t, path2, entryFor(a, issuedFor(t, ca, a, t0, t0.Add(Day))), MergeOptions{})
	if names[0] != "prod-cn-north-4-internal" {
		t.Fatalf("operator's name taken: %v", names)
	}
}

func TestMergeExecMode(t *testing.T) {
	path := filepath.Join(hermetic(t), "config")
	tgt := cceTarget("prod", "cn-north-4", "c1")
	iss := issuedFor(t, newCA(t), tgt, t0, t0.Add(Day))
	e := Entry{Target: tgt, Contexts: iss.Contexts, Mode: ModeExec, CredentialID: "0a1b2c3d"}
	mergeT(t, path, e, MergeOptions{})
	data, _ := os.ReadFile(path)
	if bytes.Contains(data, []byte("PRIVATE KEY")) || bytes.Contains(data, []byte("client-key-data")) {
		t.Fatal("exec mode wrote key data")
	}
	ex := loadFile(t, path).AuthInfos["ccecert-prod"].Exec
	if ex == nil || ex.APIVersion != "client.authentication.k8s.io/v1" || ex.Command != "ccecert" ||
		strings.Join(ex.Args, " ") != "credential 0a1b2c3d" || ex.InteractiveMode != clientcmdapi.NeverExecInteractiveMode || ex.ProvideClusterInfo {
		t.Fatalf("exec %+v", ex)
	}
	// Switching back to inline clears the exec config.
	mergeT(t, path, entryFor(tgt, iss), MergeOptions{})
	if u := loadFile(t, path).AuthInfos["ccecert-prod"]; u.Exec != nil || len(u.ClientKeyData) == 0 {
		t.Fatalf("inline after exec: %+v", u)
	}
}

func TestRemoveContextsAndSetCurrent(t *testing.T) {
	path := filepath.Join(hermetic(t), "config")
	_ = os.WriteFile(path, []byte(userKubeconfig), 0o600)
	ca := newCA(t)
	a, b := cceTarget("prod", "r", "c1"), cceTarget("dev", "r", "c2")
	mergeT(t, path, entryFor(a, issuedFor(t, ca, a, t0, t0.Add(Day))), MergeOptions{})
	mergeT(t, path, entryFor(b, issuedFor(t, ca, b, t0, t0.Add(Day))), MergeOptions{})
	if err := SetCurrentContext(path, "dev-external"); err != nil {
		t.Fatal(err)
	}
	if err := SetCurrentContext(path, "nope"); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("unknown context: %v", err)
	}
	removed, kept, err := RemoveContexts(path, []string{"prod-internal", "dev-external", "absent"})
	if err != nil || !slices.Equal(removed, []string{"prod-internal", "dev-external"}) || len(kept) != 0 {
		t.Fatalf("removed %v, kept %v, %v", removed, kept, err)
	}
	cfg := loadFile(t, path)
	if cfg.CurrentContext != "" {
		t.Errorf("removed current context still current: %q", cfg.CurrentContext)
	}
	if _, ok := cfg.Clusters["prod-internal"]; ok {
		t.Error("unused ccecert cluster kept")
	}
	if _, ok := cfg.AuthInfos["ccecert-prod"]; !ok {
		t.Error("user still used by prod-external was removed")
	}
	if _, ok := cfg.Contexts["minikube"]; !ok || len(cfg.Contexts) != 3 {
		t.Errorf("contexts left: %d", len(cfg.Contexts))
	}
	removed, kept, err = RemoveContexts(path, []string{"minikube"})
	if err != nil || len(removed) != 0 || !slices.Equal(kept, []string{"minikube"}) {
		t.Fatalf("the operator's own context: removed %v, kept %v, %v", removed, kept, err)
	}
	if cfg := loadFile(t, path); cfg.Contexts["minikube"] == nil || cfg.Clusters["minikube"] == nil || cfg.AuthInfos["minikube"] == nil {
		t.Error("the operator's context, cluster or user was removed")
	}
}

// A context that is no longer ccecert's is left in place by a removal: one
// the operator made under a name ccecert used, and one of ccecert's that
// the operator pointed at a user of their own.
func TestRemoveContextsLeavesTheOperators(t *testing.T) {
	path := filepath.Join(hermetic(t), "config")
	_ = os.WriteFile(path, []byte(userKubeconfig), 0o600)
	ca := newCA(t)
	a := cceTarget("prod", "r", "c1")
	mergeT(t, path, entryFor(a, issuedFor(t, ca, a, t0, t0.Add(Day))), MergeOptions{})
	cfg := loadFile(t, path)
	// prod-internal: recreated by the operator (no ccecert extension);
	// prod-external: ours, re-pointed at the operator's user.
	mine := clientcmdapi.NewContext()
	mine.Cluster, mine.AuthInfo = "minikube", "minikube"
	cfg.Contexts["prod-internal"] = mine
	cfg.Contexts["prod-external"].AuthInfo = "minikube"
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	removed, kept, err := RemoveContexts(path, []string{"prod-internal", "prod-external"})
	if err != nil || len(removed) != 0 || !slices.Equal(kept, []string{"prod-internal", "prod-external"}) {
		t.Fatalf("removed %v, kept %v, %v; want both kept", removed, kept, err)
	}
	after := loadFile(t, path)
	if after.Contexts["prod-internal"] == nil || after.Contexts["prod-external"] == nil || after.AuthInfos["minikube"] == nil {
		t.Fatalf("the operator's entries were touched:\nbefore\n%s", before)
	}
}

func TestMergeUCSStringBooleanExisting(t *testing.T) {
	path := filepath.Join(hermetic(t), "config")
	ucs := `{"kind":"Config","apiVersion":"v1","clusters":[{"name":"f","cluster":{"server":"https://10.0.0.1:443","insecure-skip-tls-verify":"true"}}],
"users":[{"name":"u","user":{"token":"t"}}],"contexts":[{"name":"f","context":{"cluster":"f","user":"u"}}],"current-context":"f"}`
	_ = os.WriteFile(path, []byte(ucs), 0o600)
	tgt := cceTarget("prod", "r", "c1")
	mergeT(t, path, entryFor(tgt, issuedFor(t, newCA(t), tgt, t0, t0.Add(Day))), MergeOptions{})
	if cfg := loadFile(t, path); !cfg.Clusters["f"].InsecureSkipTLSVerify || cfg.CurrentContext != "f" {
		t.Fatal("UCS file's entries not kept")
	}
}

func TestLoadKubeconfigsFirstWins(t *testing.T) {
	dir := hermetic(t)
	first, second := filepath.Join(dir, "one"), filepath.Join(dir, "two")
	ca := newCA(t)
	tgt := cceTarget("prod", "r", "c1")
	mergeT(t, first, entryFor(tgt, issuedFor(t, ca, tgt, t0, t0.Add(Day))), MergeOptions{SetCurrent: true})
	_ = os.WriteFile(second, []byte(userKubeconfig), 0o600)
	cfg, err := LoadKubeconfigs([]string{first, filepath.Join(dir, "missing"), second})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.CurrentContext != "prod-internal" || len(cfg.Contexts) != 3 {
		t.Fatalf("merged view: current %q, %d contexts", cfg.CurrentContext, len(cfg.Contexts))
	}
	bad := filepath.Join(dir, "bad")
	_ = os.WriteFile(bad, []byte("clusters: [\n"), 0o600)
	if _, err := LoadKubeconfigs([]string{first, bad}); err == nil || !strings.Contains(err.Error(), bad) {
		t.Fatalf("malformed file: %v", err)
	}
}
