package engine

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"ccecert/api"
	"ccecert/store"
)

// consoleDownload is what the CCE console hands out for a cluster: the
// emulator's certificate in CCE's names (internal/external, user "user").
func consoleDownload(t *testing.T, e *engineEnv, name string) []byte {
	t.Helper()
	iss, err := e.client.Issue(t.Context(), e.target(t, name), api.CertRequest{Validity: api.Days(60)})
	if err != nil {
		t.Fatal(err)
	}
	cfg := clientcmdapi.NewConfig()
	for _, c := range iss.Contexts {
		cl := clientcmdapi.NewCluster()
		cl.Server, cl.CertificateAuthorityData, cl.InsecureSkipTLSVerify = c.Server, c.CAData, c.InsecureSkipTLSVerify
		cfg.Clusters[c.ClusterName] = cl
		cfg.Contexts[c.Name] = &clientcmdapi.Context{Cluster: c.ClusterName, AuthInfo: iss.UserName}
	}
	ai := clientcmdapi.NewAuthInfo()
	ai.ClientCertificateData, ai.ClientKeyData = iss.CertPEM, iss.Key.Reveal()
	cfg.AuthInfos[iss.UserName] = ai
	cfg.CurrentContext = iss.CurrentContext
	data, err := clientcmd.Write(*cfg)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestImportMergesIntoTheKubeconfig(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	seedKube(t, e)
	data := consoleDownload(t, e, "prod-payments") // also fills the cache
	out, err := e.eng.Import(t.Context(), data, "prod-payments-kubeconfig.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Credentials) != 1 || !out.Matched[0] || len(out.Contexts) != 1 {
		t.Fatalf("import outcome %+v", out)
	}
	c := e.find(t, out.Credentials[0].ID)
	want := sorted("prod-payments-internal", "prod-payments-external")
	if c.Source != store.SourceImported || c.Target.Name != "prod-payments" || c.Kubeconfig != e.kube || !slices.Equal(sorted(c.Contexts...), want) || c.User != "ccecert-prod-payments" {
		t.Fatalf("imported credential: source %s target %s file %s contexts %v user %q", c.Source, c.Target.Name, c.Kubeconfig, c.Contexts, c.User)
	}
	cfg := readKube(t, e.kube)
	if !slices.Equal(keys(cfg.Contexts), sorted(append(want, "minikube")...)) || cfg.CurrentContext != "minikube" {
		t.Errorf("kubeconfig contexts %v, current %q", keys(cfg.Contexts), cfg.CurrentContext)
	}
	if evs := e.events(t); evs[0].Action != "import" || evs[0].Result != "ok" || evs[0].Credential != c.ID {
		t.Errorf("last event %+v", evs[0])
	}
	// A matched import renews like a fetched one, for the same lifetime.
	res, err := e.eng.Renew(t.Context(), c)
	if err != nil || res.Credential.Validity != api.Days(60) || !slices.Equal(sorted(res.Contexts...), want) {
		t.Fatalf("renew the import: %v, validity %v contexts %v", err, res.Credential.Validity, res.Contexts)
	}
	if n := len(readKube(t, e.kube).Contexts); n != 3 {
		t.Errorf("renewing the import left %d contexts, want 3", n)
	}
	if haveKubectl() {
		mustKubectl(t, e.kube, "prod-payments-internal")
	}
}

func TestImportUnmatchedIsStoredButNotRenewedOrRevoked(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	data := consoleDownload(t, e, "prod-web")
	if err := e.store.SaveTargets(t.Context(), nil, store.Scope{}, e.clock.Now()); err != nil { // forget the inventory
		t.Fatal(err)
	}
	out, err := e.eng.Import(t.Context(), data, "-")
	if err != nil {
		t.Fatal(err)
	}
	c := out.Credentials[0]
	if out.Matched[0] || !strings.HasPrefix(c.Target.ID, "unmatched:") || len(out.Warnings) == 0 {
		t.Fatalf("unmatched import: %+v", out)
	}
	issues := e.cloud.issues.Load()
	if _, err := e.eng.Renew(t.Context(), c); err == nil || !strings.Contains(err.Error(), "no known cluster") {
		t.Errorf("renew unmatched: %v", err)
	}
	if _, err := e.eng.Revoke(t.Context(), c); err == nil || hintOf(err) != HintRefreshThenImport || !strings.Contains(err.Error(), "import it again") {
		t.Errorf("revoke unmatched: %v", err)
	}
	if e.cloud.issues.Load() != issues || e.cloud.revokes.Load() != 0 {
		t.Error("refused operations reached the cloud")
	}
}

func TestImportStoresNothingWhenTheKubeconfigCannotTakeIt(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	good := consoleDownload(t, e, "prod-web")
	seedKube(t, e)
	cases := []struct {
		name       string
		kube       []byte
		perm       os.FileMode
		data, want string
	}{
		{"malformed target", []byte("users: {broken\n"), 0o600, string(good), "malformed"},
		{"read-only target", []byte(userKubeconfig), 0o400, string(good), "read-only"},
		{"malformed import", []byte(userKubeconfig), 0o600, "clusters: [", "import"},
		{"masked import", []byte(userKubeconfig), 0o600, strings.Replace(string(good), "client-key-data: ", "client-key-data: ******", 1), "import"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_ = os.Chmod(e.kube, 0o600)
			if err := os.WriteFile(e.kube, c.kube, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(e.kube, c.perm); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = os.Chmod(e.kube, 0o600) })
			_, err := e.eng.Import(t.Context(), []byte(c.data), "console.yaml")
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
			if (hintOf(err) == HintChooseKubeconfig) != (c.perm == 0o400) {
				t.Errorf("hint %q: only a read-only kubeconfig wants another one", hintOf(err))
			}
			assertNoSecret(t, "import error", err.Error())
			if creds, _ := e.store.Credentials(t.Context(), store.Filter{All: true}); len(creds) != 0 {
				t.Errorf("%d credentials stored", len(creds))
			}
			if !bytes.Equal(readBytes(t, e.kube), c.kube) {
				t.Error("the kubeconfig changed")
			}
			if evs := e.events(t); evs[0].Action != "import" || !strings.HasPrefix(evs[0].Result, "error: ") {
				t.Errorf("last event %+v", evs[0])
			}
		})
	}
}

func TestUseContext(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	seedKube(t, e)
	res := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web")})
	if err := e.eng.UseContext(t.Context(), "", res.Contexts[0]); err != nil {
		t.Fatal(err)
	}
	if cur := readKube(t, e.kube).CurrentContext; cur != res.Contexts[0] {
		t.Fatalf("current-context %q", cur)
	}
	err := e.eng.UseContext(t.Context(), "", "nope")
	if err == nil || !strings.Contains(err.Error(), "minikube") || readKube(t, e.kube).CurrentContext != res.Contexts[0] {
		t.Errorf("using an unknown context: %v", err)
	}
}
