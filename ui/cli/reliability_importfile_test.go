package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"ccecert/api/emulator"
)

// TestReliabilityRenewNeverWritesTheDownloadedFile: an import whose merge
// fails leaves its credential stored (as the error says), recorded against
// the downloaded file. `renew` must still write only to the kubeconfig,
// never into the operator's download. The same happens, by a race, when a
// renew runs while another ccecert imports (TestReliabilityProcesses).
func TestReliabilityRenewNeverWritesTheDownloadedFile(t *testing.T) {
	e := newRelEnv(t, emulator.Options{})
	e.must("list", "--refresh")
	var id string
	for _, c := range e.srv.Inventory().Clusters {
		if c.Name == "prod-gz" {
			id = c.ID
		}
	}
	// The operator's own contexts take every name ccecert could give
	// prod-gz's internal context, so the merge of the import fails.
	own := clientcmdapi.NewConfig()
	own.Clusters["mine"] = &clientcmdapi.Cluster{Server: "https://10.0.0.1:6443"}
	own.AuthInfos["mine"] = &clientcmdapi.AuthInfo{Token: "operator-token"}
	for _, name := range []string{"prod-gz-internal", "prod-gz-cn-south-1-internal", "prod-gz-cn-south-1-" + id[:8] + "-internal"} {
		own.Contexts[name] = &clientcmdapi.Context{Cluster: "mine", AuthInfo: "mine"}
	}
	if err := os.MkdirAll(filepath.Dir(e.kube), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := clientcmd.WriteToFile(*own, e.kube); err != nil {
		t.Fatal(err)
	}
	download, _ := e.relConsoleKubeconfig("prod-gz", filepath.Join(e.root, "Downloads", "prod-gz.yaml"), 1)
	before, err := os.ReadFile(download)
	if err != nil {
		t.Fatal(err)
	}
	r := e.run("import", download)
	if r.code != 1 || !strings.Contains(r.stderr, "no free context name") {
		t.Fatalf("import with every name taken: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	e.run("renew", "--yes", "--within", "30d")
	if after, _ := os.ReadFile(download); string(after) != string(before) {
		cfg, _ := clientcmd.Load(after)
		var names []string
		if cfg != nil {
			for n := range cfg.Contexts {
				names = append(names, n)
			}
		}
		t.Errorf("renew wrote into the downloaded file %s (it now has contexts %v): it must write only to %s", download, names, e.kube)
	}
}
