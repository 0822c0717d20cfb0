package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// otherKubeconfig is a second $KUBECONFIG file: a foreign kind context, a
// minikube context that the first file's shadows, and a current-context
// the first file's wins over.
const otherKubeconfig = `apiVersion: v1
kind: Config
clusters:
- name: kind
  cluster:
    server: https://127.0.0.1:6443
- name: minikube
  cluster:
    server: https://shadowed.example:1
users:
- name: kind
  user:
    token: kind-token
contexts:
- name: kind-kind
  context:
    cluster: kind
    user: kind
- name: minikube
  context:
    cluster: minikube
    user: kind
    namespace: shadowed
current-context: kind-kind
`

// twoFiles is a $KUBECONFIG list: a missing file, the operator's own with
// a ccecert target merged in, and another file.
func twoFiles(t *testing.T) (paths []string, first, second string) {
	t.Helper()
	dir := hermetic(t)
	first, second = filepath.Join(dir, "config"), filepath.Join(dir, "other")
	must(t, os.WriteFile(first, []byte(userKubeconfig), 0o600))
	must(t, os.WriteFile(second, []byte(otherKubeconfig), 0o600))
	ca := newCA(t)
	a := cceTarget("prod", "r", "c1")
	mergeT(t, first, entryFor(a, issuedFor(t, ca, a, t0, t0.Add(Day))), MergeOptions{})
	return []string{filepath.Join(dir, "missing"), first, second}, first, second
}

func names(l ContextList) []string {
	var out []string
	for _, c := range l.Contexts {
		out = append(out, c.Name)
	}
	return out
}

func TestListContextsMergesAsKubectl(t *testing.T) {
	paths, first, second := twoFiles(t)
	l := ListContexts(paths)
	if want := []string{"kind-kind", "minikube", "prod-external", "prod-internal"}; !slices.Equal(names(l), want) {
		t.Fatalf("contexts %v, want %v", names(l), want)
	}
	if l.Current != "minikube" || l.CurrentFile != first || len(l.Problems) != 0 || !slices.Equal(l.Files, []string{first, second}) {
		t.Fatalf("current %q from %q, files %v, problems %v", l.Current, l.CurrentFile, l.Files, l.Problems)
	}
	mk, _ := l.Find("minikube")
	if mk.File != first || mk.Namespace != "default" || mk.Server != "https://127.0.0.1:8443" || !mk.Current || mk.Ours {
		t.Errorf("minikube (the first file's wins): %+v", mk)
	}
	kind, _ := l.Find("kind-kind")
	if kind.File != second || kind.Server != "https://127.0.0.1:6443" || kind.User != "kind" || kind.Current || kind.Ours {
		t.Errorf("kind-kind: %+v", kind)
	}
	prod, _ := l.Find("prod-internal")
	if !prod.Ours || prod.Target == "" || prod.Fingerprint == "" || prod.File != first {
		t.Errorf("prod-internal is ccecert's, with its certificate: %+v", prod)
	}
}

func TestListContextsNamesABadFileAndListsTheRest(t *testing.T) {
	paths, _, second := twoFiles(t)
	must(t, os.WriteFile(second, []byte("clusters: [oops"), 0o600))
	l := ListContexts(paths)
	if len(l.Problems) != 1 || !slices.Contains(names(l), "minikube") || slices.Contains(names(l), "kind-kind") {
		t.Fatalf("problems %v, contexts %v", l.Problems, names(l))
	}
}

func TestSwitchContextWritesWhereKubectlDoes(t *testing.T) {
	paths, first, second := twoFiles(t)
	prev := filepath.Join(t.TempDir(), "previous-context")
	before, _ := os.ReadFile(second)
	res, err := SwitchContext(context.Background(), paths, "kind-kind", prev)
	if err != nil || res.File != first || res.Previous != "minikube" {
		t.Fatalf("switch: %+v, %v", res, err)
	}
	if l := ListContexts(paths); l.Current != "kind-kind" || l.CurrentFile != first {
		t.Fatalf("current %q from %q", l.Current, l.CurrentFile)
	}
	if after, _ := os.ReadFile(second); string(after) != string(before) {
		t.Error("the second file was written")
	}
	if p, err := PreviousContext(prev); err != nil || p != "minikube" {
		t.Fatalf("previous %q, %v", p, err)
	}
	if _, err := SwitchContext(context.Background(), paths, "minikube", prev); err != nil {
		t.Fatal(err)
	}
	if p, _ := PreviousContext(prev); p != "kind-kind" { // `-` twice goes back and forth
		t.Fatalf("previous after going back: %q", p)
	}
	if _, err := SwitchContext(context.Background(), paths, "nope", prev); err == nil {
		t.Fatal("an unknown context was switched to")
	}
	if l := ListContexts(paths); l.Current != "minikube" {
		t.Fatalf("a refused switch changed current-context to %q", l.Current)
	}
	if _, err := PreviousContext(filepath.Join(t.TempDir(), "none")); err == nil {
		t.Error("no previous context: no error")
	}
}

func TestCurrentContextFile(t *testing.T) {
	dir := t.TempDir()
	a, b, c := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "c")
	must(t, os.WriteFile(b, nil, 0o600))
	for _, tc := range []struct {
		paths []string
		want  string
	}{
		{[]string{a}, a}, {[]string{a, b, c}, b}, {[]string{a, c}, c}, {nil, ""},
	} {
		if got := CurrentContextFile(tc.paths); got != tc.want {
			t.Errorf("CurrentContextFile(%v) = %q, want %q", tc.paths, got, tc.want)
		}
	}
}

func TestSetContextNamespaceInItsOwnFile(t *testing.T) {
	paths, first, second := twoFiles(t)
	before, _ := os.ReadFile(first)
	if _, err := SetContextNamespace(context.Background(), paths, "kind-kind", "team-a"); err != nil {
		t.Fatal(err)
	}
	if c := loadFile(t, second).Contexts["kind-kind"]; c.Namespace != "team-a" {
		t.Errorf("namespace in its file: %q", c.Namespace)
	}
	if after, _ := os.ReadFile(first); string(after) != string(before) {
		t.Error("the first file was written")
	}
	if _, err := SetContextNamespace(context.Background(), paths, "kind-kind", "Bad_NS"); err == nil {
		t.Error("a bad namespace was set")
	}
	if c := loadFile(t, second).Contexts["kind-kind"]; c.Namespace != "team-a" {
		t.Errorf("a refused namespace changed it to %q", c.Namespace)
	}
}

func TestDeleteContextOnlyCcecerts(t *testing.T) {
	paths, first, _ := twoFiles(t)
	before, _ := os.ReadFile(first)
	if _, err := DeleteContext(context.Background(), paths, "minikube"); !errors.Is(err, ErrForeignContext) {
		t.Fatalf("deleting the operator's context: %v", err)
	}
	if after, _ := os.ReadFile(first); string(after) != string(before) {
		t.Fatal("a refused delete changed the file")
	}
	res, err := DeleteContext(context.Background(), paths, "prod-internal")
	if err != nil || !slices.Equal(res.Removed, []string{"prod-internal"}) {
		t.Fatalf("delete: %+v, %v", res, err)
	}
	cfg := loadFile(t, first)
	if cfg.Contexts["prod-internal"] != nil || cfg.Contexts["prod-external"] == nil || cfg.AuthInfos["ccecert-prod"] == nil || cfg.Contexts["minikube"] == nil {
		t.Errorf("after delete: contexts %v", sortedKeys(cfg.Contexts))
	}
}

func TestMatchCredentials(t *testing.T) {
	paths, first, _ := twoFiles(t)
	l := ListContexts(paths)
	prod, _ := l.Find("prod-external")
	creds := []Credential{
		{ID: "named", Kubeconfig: first, Contexts: []string{"prod-internal"}, Source: SourceFetched},
		{ID: "printed", Fingerprint: prod.Fingerprint, Source: SourceScanned},
		{ID: "old", Kubeconfig: first, Contexts: []string{"minikube"}, ReplacedBy: "x"},
	}
	l.MatchCredentials(creds)
	for name, want := range map[string]string{"prod-internal": "named", "prod-external": "printed", "minikube": "", "kind-kind": ""} {
		if c, _ := l.Find(name); c.Credential != want {
			t.Errorf("%s maps to %q, want %q", name, c.Credential, want)
		}
	}
}
