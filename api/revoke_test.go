package api

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"ccecert/api/emulator"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// writeKubeconfig writes an Issued as a kubeconfig file (0600).
func writeKubeconfig(t *testing.T, is *Issued) string {
	t.Helper()
	cfg := clientcmdapi.NewConfig()
	cfg.AuthInfos["user"] = &clientcmdapi.AuthInfo{ClientCertificateData: is.CertPEM, ClientKeyData: is.Key.Reveal()}
	for _, c := range is.Contexts {
		cfg.Clusters[c.ClusterName] = &clientcmdapi.Cluster{Server: c.Server, CertificateAuthorityData: c.CAData, InsecureSkipTLSVerify: c.InsecureSkipTLSVerify}
		cfg.Contexts[c.Name] = &clientcmdapi.Context{Cluster: c.ClusterName, AuthInfo: "user"}
	}
	cfg.CurrentContext = is.CurrentContext
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := clientcmd.WriteToFile(*cfg, path); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func kubectlVersion(t *testing.T, kubeconfig, context string) (string, error) {
	t.Helper()
	cmd := exec.Command("kubectl", "--kubeconfig", kubeconfig, "--context", context, "--request-timeout", "20s", "get", "--raw", "/version")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestKubectlWithIssuedCertThenRevoke(t *testing.T) {
	if _, err := exec.LookPath("kubectl"); err != nil {
		t.Skip("kubectl is not installed")
	}
	e := newTestEnv(t, emulator.Options{}, nil)
	tg := e.target(t, "prod-payments")
	is, err := e.client.Issue(context.Background(), tg, CertRequest{Validity: Days(1)})
	if err != nil {
		t.Fatal(err)
	}
	kc := writeKubeconfig(t, is)
	for _, ctx := range []string{"internal", "external"} {
		out, err := kubectlVersion(t, kc, ctx)
		if err != nil || !strings.Contains(out, `"gitVersion"`) {
			t.Fatalf("kubectl --context %s: %v\n%s", ctx, err, out)
		}
	}
	res, err := e.client.Revoke(context.Background(), tg, e.srv.UserID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Message, "every certificate") || res.UserID != e.srv.UserID || res.RequestID == "" {
		t.Fatalf("revoke result %+v", res)
	}
	for _, ctx := range []string{"internal", "external"} {
		if out, err := kubectlVersion(t, kc, ctx); err == nil {
			t.Fatalf("kubectl --context %s still works after revoke:\n%s", ctx, out)
		}
	}
}

func TestRevoke(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	ctx := context.Background()
	for _, name := range []string{"prod-web", "serverless-api"} {
		tg := e.target(t, name)
		before := len(e.srv.Log())
		res, err := e.client.Revoke(ctx, tg, e.srv.UserID)
		if tg.Kind == KindAutopilot {
			// The Autopilot API documents no revoke: refused, no request.
			if !errors.Is(err, ErrAutopilotRevoke) || !strings.Contains(err.Error(), "revocation is not available for Autopilot clusters") ||
				len(e.srv.Log()) != before {
				t.Fatalf("%s: %v, %d requests", name, err, len(e.srv.Log())-before)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		log := e.srv.Log()[before:]
		if len(log) != 1 || log[0].Method != http.MethodPost || !strings.HasSuffix(log[0].Path, "/clustercertrevoke") || log[0].Status != 200 {
			t.Fatalf("%s: requests %+v", name, log)
		}
		if tg.Kind == KindAutopilot && !strings.HasPrefix(log[0].Path, "/autopilot/v3/") {
			t.Fatalf("autopilot revoke went to %s", log[0].Path)
		}
		if !strings.Contains(res.Message, name) {
			t.Fatalf("message %q", res.Message)
		}
	}
	tg := e.target(t, "prod-web")
	before := e.srv.Requests()
	if _, err := e.client.Revoke(ctx, tg, " "); err == nil || e.srv.Requests() != before {
		t.Fatalf("empty user id: %v", err)
	}
	tg.ID = "00000000-0000-0000-0000-000000000000"
	if _, err := e.client.Revoke(ctx, tg, e.srv.UserID); err == nil {
		t.Fatal("revoke on an unknown cluster succeeded")
	} else if ae, ok := asError(err); !ok || ae.Status != 404 {
		t.Fatalf("unknown cluster: %v", err)
	}
}

// A 403 names the permission of the call that got it: revoking is not
// fetching.
func TestRevokeForbiddenNamesTheRevokePermission(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	tg := e.target(t, "prod-web")
	other := e.target(t, "prod-gz")
	lim := e.limitedClient(t, other.ProjectID)
	_, err := lim.Revoke(t.Context(), tg, "limited-user")
	ae, ok := asError(err)
	if !ok || ae.Status != 403 || !strings.Contains(err.Error(), "cce:cluster:revokeClientCredential") ||
		strings.Contains(err.Error(), "generateClientCredential") {
		t.Fatalf("revoke in another project: %v", err)
	}
}
