package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"ccecert/api"
)

// TestKubectlTakesSecuredContexts: kubectl reaches each EIP cluster through
// the context SecureContexts wrote, and refuses a verified context through
// the man in the middle, where CCE's insecure one would have connected.
func TestKubectlTakesSecuredContexts(t *testing.T) {
	needKubectl(t)
	env := newEngineEnv(t, envOptions{inventory: tlsInventory()})
	for _, tt := range tlsCases() {
		t.Run(tt.cluster, func(t *testing.T) {
			iss, err := env.client.Issue(t.Context(), env.target(t, tt.cluster), api.CertRequest{Validity: api.Days(1)})
			if err != nil {
				t.Fatal(err)
			}
			issued, _ := iss.Context(api.RoleExternal)
			secured := issued
			for _, c := range SecureContexts(t.Context(), iss.Contexts, api.VerifyServer, 10*time.Second, time.Now) {
				if c.Role == api.RoleExternal {
					secured = c
				}
			}
			if secured.TLS() != tt.want {
				t.Fatalf("external context %s (%s), want %s", secured.TLS(), secured.TLSReason, tt.want)
			}
			// What a verified context would be, whatever the check said.
			forced := issued
			forced.InsecureSkipTLSVerify, forced.CAData, forced.TLSServerName = false, issued.ClusterCA, issued.InternalHost
			caOnly := forced
			caOnly.TLSServerName = ""
			file := writeTestKubeconfig(t, iss, map[string]api.IssuedContext{"secured": secured, "as-issued": issued, "forced": forced, "ca-only": caOnly})

			mustKubectl(t, file, "as-issued") // CCE's insecure context always connects
			switch tt.want {
			case api.TLSVerified:
				mustKubectl(t, file, "secured")
			case api.TLSServerName:
				mustKubectl(t, file, "secured")
				assertKubectlRefuses(t, file, "ca-only") // the EIP is not in the certificate
			case api.TLSInsecure:
				if !secured.InsecureSkipTLSVerify || secured.TLSReason == "" {
					t.Fatalf("the man in the middle's context should stay insecure, with a reason: %+v", secured)
				}
				assertKubectlRefuses(t, file, "forced")
			}
		})
	}
}

// assertKubectlRefuses fails unless kubectl refuses the server's certificate.
func assertKubectlRefuses(t *testing.T, file, ctxName string) {
	t.Helper()
	out, err := kubectl(t, file, ctxName)
	if err == nil || !strings.Contains(out, "x509") {
		t.Fatalf("kubectl --context %s: %v, want a refused certificate\n%s", ctxName, err, out)
	}
}

// writeTestKubeconfig writes one context per entry of cs, all with the
// issued user, the way clientcmd writes cluster entries.
func writeTestKubeconfig(t *testing.T, iss *api.Issued, cs map[string]api.IssuedContext) string {
	t.Helper()
	cfg := clientcmdapi.NewConfig()
	cfg.AuthInfos["user"] = &clientcmdapi.AuthInfo{ClientCertificateData: iss.CertPEM, ClientKeyData: iss.Key.Reveal()}
	for name, c := range cs {
		cfg.Clusters[name] = &clientcmdapi.Cluster{Server: c.Server, CertificateAuthorityData: c.CAData, InsecureSkipTLSVerify: c.InsecureSkipTLSVerify, TLSServerName: c.TLSServerName}
		cfg.Contexts[name] = &clientcmdapi.Context{Cluster: name, AuthInfo: "user"}
	}
	path := filepath.Join(t.TempDir(), "kubeconfig")
	if err := os.WriteFile(path, writeKubeBytes(t, cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}
