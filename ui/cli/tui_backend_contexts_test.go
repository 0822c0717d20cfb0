package cli

import (
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"ccecert/api"
	"ccecert/store"
	"ccecert/store/engine"
)

// TestTUIBackendChangesSeesOtherProcesses: Changes reports a commit by
// another app on the same data dir (another ccecert process) and an edit
// of the kubeconfig, once each, and nothing while nothing changes.
func TestTUIBackendChangesSeesOtherProcesses(t *testing.T) {
	f := newTUIFixture(t, true)
	t.Cleanup(f.b.closeLive) // before the app closes
	ctx := t.Context()
	target := f.refresh(t, "prod-gz")
	assertChanges := func(what string, want, wantKube bool) {
		t.Helper()
		ch, err := f.b.Changes(ctx)
		if err != nil || ch.Store != want || ch.Kubeconfigs != wantKube {
			t.Fatalf("%s: changes %+v, %v; want store %v, kubeconfigs %v", what, ch, err, want, wantKube)
		}
	}
	assertChanges("the first call (a baseline)", false, false)
	assertChanges("nothing happened", false, false)

	e := env{getenv: func(k string) string { return f.vars[k] }, now: time.Now, stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, deps: testDeps}
	other, err := openApp(ctx, &globalFlags{quiet: true}, e)
	if err != nil {
		t.Fatal(err)
	}
	defer other.close()
	if _, err := other.engine.Fetch(ctx, engine.FetchRequest{Target: target, Validity: api.Days(7), Roles: []api.ContextRole{api.RoleExternal}, Mode: store.ModeInline, Kubeconfig: f.kube}); err != nil {
		t.Fatal(err)
	}
	assertChanges("another process fetched", true, true)
	assertChanges("nothing since", false, false)

	data, err := os.ReadFile(f.kube)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.kube, append(data, "\n# edited\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	assertChanges("the kubeconfig was edited", false, true)
}

// TestTUIBackendContexts: the fetched context is listed as ccecert's, a
// foreign one beside it; switch, back with "-", a namespace on the foreign
// one, and its delete refused.
func TestTUIBackendContexts(t *testing.T) {
	f := newTUIFixture(t, true)
	t.Cleanup(f.b.closeLive) // before the app closes
	ctx := t.Context()
	target := f.refresh(t, "prod-gz")
	if _, err := f.b.Fetch(ctx, engine.FetchRequest{Target: target, Validity: api.Days(7), Roles: []api.ContextRole{api.RoleExternal}, Mode: store.ModeInline, Kubeconfig: f.kube}); err != nil {
		t.Fatal(err)
	}
	kc, err := clientcmd.LoadFromFile(f.kube)
	if err != nil {
		t.Fatal(err)
	}
	kc.Clusters["kind"] = &clientcmdapi.Cluster{Server: "https://127.0.0.1:6443"}
	kc.AuthInfos["kind"] = &clientcmdapi.AuthInfo{Token: "kind-token"}
	kc.Contexts["kind-kind"] = &clientcmdapi.Context{Cluster: "kind", AuthInfo: "kind"}
	if err := clientcmd.WriteToFile(*kc, f.kube); err != nil {
		t.Fatal(err)
	}
	l, err := f.b.Contexts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := l.Find("prod-gz-external"); !ok || !c.Ours {
		t.Fatalf("ccecert's context: %+v", l.Contexts)
	}
	if c, ok := l.Find("kind-kind"); !ok || c.Ours || c.Server != "https://127.0.0.1:6443" {
		t.Fatalf("the foreign context: %+v", l.Contexts)
	}
	for _, name := range []string{"kind-kind", "prod-gz-external", "-"} {
		if _, err := f.b.SwitchContext(ctx, name); err != nil {
			t.Fatalf("switch to %s: %v", name, err)
		}
	}
	if cur := currentContext(t, f.kube); cur != "kind-kind" {
		t.Fatalf("after kind-kind, prod-gz-external and -: current %q", cur)
	}
	if err := f.b.SetNamespace(ctx, "kind-kind", "team-a"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.b.DeleteContext(ctx, "kind-kind"); !errors.Is(err, store.ErrForeignContext) {
		t.Fatalf("deleting a foreign context: %v", err)
	}
	kc, _ = clientcmd.LoadFromFile(f.kube)
	if c := kc.Contexts["kind-kind"]; c == nil || c.Namespace != "team-a" {
		t.Fatalf("kind-kind after namespace and a refused delete: %+v", c)
	}
}

func currentContext(t *testing.T, path string) string {
	t.Helper()
	kc, err := clientcmd.LoadFromFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return kc.CurrentContext
}
