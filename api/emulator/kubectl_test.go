package emulator

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// kubectl runs kubectl with HOME and KUBECONFIG in temp dirs.
func kubectl(t *testing.T, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "kubectl", args...)
	home := t.TempDir()
	cmd.Env = append(os.Environ(), "HOME="+home, "KUBECONFIG="+filepath.Join(home, "none"))
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestKubectlUsesIssuedKubeconfig proves the whole chain: the kubeconfig as
// CCE returns it works with kubectl on both contexts (internal verified with
// the cluster CA, external with insecure-skip-tls-verify), and stops
// working once the user's certificates are revoked.
func TestKubectlUsesIssuedKubeconfig(t *testing.T) {
	if _, err := exec.LookPath("kubectl"); err != nil {
		t.Skip("kubectl is not installed")
	}
	srv := start(t, Options{})
	pay := target(t, srv, "prod-payments")
	_, resp := postCert(t, srv, pay)
	file := filepath.Join(t.TempDir(), "kubeconfig.json")
	if err := os.WriteFile(file, resp.body, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, ctxName := range []string{"internal", "external"} {
		out, err := kubectl(t, "--kubeconfig", file, "--context", ctxName, "get", "--raw", "/version")
		if err != nil || !strings.Contains(out, `"gitVersion":"v1.31.1-r0"`) {
			t.Fatalf("kubectl --context %s get --raw /version: %v\n%s", ctxName, err, out)
		}
	}
	out, err := kubectl(t, "--kubeconfig", file, "get", "namespaces", "-o", "name")
	if err != nil || !strings.Contains(out, "namespace/kube-system") {
		t.Errorf("kubectl get namespaces: %v\n%s", err, out)
	}

	path := "/api/v3/projects/" + pay.ProjectID + "/clusters/" + pay.ID + "/clustercertrevoke"
	rev := rawCall(t, srv, mainKey(srv), http.MethodPost, path, nil, []byte(`{"userId":"`+srv.UserID+`"}`+"\n"),
		map[string]string{"X-Project-Id": pay.ProjectID})
	if rev.status != http.StatusOK {
		t.Fatalf("revoke = %d %s", rev.status, rev.body)
	}
	if out, err := kubectl(t, "--kubeconfig", file, "--context", "internal", "get", "--raw", "/version"); err == nil {
		t.Errorf("kubectl after revoke succeeded:\n%s", out)
	}
}
