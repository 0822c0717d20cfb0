package engine

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"ccecert/api"
	"ccecert/api/emulator"
	"ccecert/store"
)

// TestFetchWritesVerifiedExternalContexts: a get with the default context
// of each EIP cluster writes the strongest context that verifies, records
// it, makes it current when asked, and kubectl with no --context reaches
// the cluster over the EIP; the man in the middle's context stays insecure,
// with the reason, and a renewal leaves the current context alone.
func TestFetchWritesVerifiedExternalContexts(t *testing.T) {
	needKubectl(t)
	e := newEngineEnv(t, envOptions{inventory: tlsInventory()})
	for _, tt := range tlsCases() {
		t.Run(tt.cluster, func(t *testing.T) {
			res := e.fetch(t, FetchRequest{Target: e.target(t, tt.cluster), Use: DefaultUse})
			name := tt.cluster + "-external"
			if len(res.Contexts) != 1 || res.Contexts[0] != name {
				t.Fatalf("contexts %v, want the default %s", res.Contexts, name)
			}
			ref := e.find(t, res.Credential.ID).Clusters[0]
			if ref.TLS() != tt.want || ref.TLSServerName != tt.serverName || (tt.want == api.TLSInsecure) != (ref.TLSReason != "") {
				t.Fatalf("recorded %s, server name %q, reason %q; want %s %q", ref.TLS(), ref.TLSServerName, ref.TLSReason, tt.want, tt.serverName)
			}
			cfg := readKube(t, e.kube)
			cl := cfg.Clusters[cfg.Contexts[name].Cluster]
			if cfg.CurrentContext != name {
				t.Fatalf("current context %q, want the new %s", cfg.CurrentContext, name)
			}
			if cl.InsecureSkipTLSVerify != (tt.want == api.TLSInsecure) || cl.TLSServerName != tt.serverName || (len(cl.CertificateAuthorityData) > 0) == cl.InsecureSkipTLSVerify {
				t.Fatalf("cluster entry: insecure %v, tls-server-name %q, %d bytes of CA", cl.InsecureSkipTLSVerify, cl.TLSServerName, len(cl.CertificateAuthorityData))
			}
			if !strings.HasPrefix(cl.Server, "https://"+emulator.EIPHost+":") {
				t.Fatalf("server %s, want the EIP", cl.Server)
			}
			mustKubectl(t, e.kube, "") // no --context: the current one, over the EIP

			// Exported, the context keeps what the check found.
			exported, err := e.eng.Export(t.Context(), e.find(t, res.Credential.ID), "")
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "exported")
			if err := os.WriteFile(out, exported, 0o600); err != nil {
				t.Fatal(err)
			}
			ecfg := readKube(t, out)
			if ecl := ecfg.Clusters[ecfg.Contexts[ecfg.CurrentContext].Cluster]; ecl.TLSServerName != tt.serverName || ecl.InsecureSkipTLSVerify != cl.InsecureSkipTLSVerify {
				t.Fatalf("exported entry: tls-server-name %q insecure %v", ecl.TLSServerName, ecl.InsecureSkipTLSVerify)
			}
			mustKubectl(t, out, "")
		})
	}

	// A renewal never changes the current context.
	if err := e.eng.UseContext(t.Context(), e.kube, "eip-plain-external"); err != nil {
		t.Fatal(err)
	}
	old, err := e.store.Find(t.Context(), "eip-in-sans-external")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.eng.Renew(t.Context(), old); err != nil {
		t.Fatal(err)
	}
	if cur := readKube(t, e.kube).CurrentContext; cur != "eip-plain-external" {
		t.Fatalf("renewal moved the current context to %q", cur)
	}
	if got := e.find(t, mustRenewed(t, e, old)).Clusters[0].TLS(); got != api.TLSVerified {
		t.Fatalf("renewed context %s, want verified again", got)
	}
}

// mustRenewed is the id of the credential that replaced old.
func mustRenewed(t *testing.T, e *engineEnv, old store.Credential) string {
	t.Helper()
	c, err := e.store.Find(t.Context(), old.Contexts[0])
	if err != nil {
		t.Fatal(err)
	}
	if c.ID == old.ID {
		t.Fatal("the context still points at the old credential")
	}
	return c.ID
}
