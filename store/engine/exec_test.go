package engine

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	clientauthv1 "k8s.io/client-go/pkg/apis/clientauthentication/v1"

	"ccecert/api"
	"ccecert/store"
)

// pluginDataEnv makes the test binary act as `ccecert credential <id>` for
// kubectl: TestExecPluginHelper opens the store in that data dir.
const pluginDataEnv = "CCECERT_TEST_PLUGIN_DATA"

func TestExecPluginHelper(t *testing.T) {
	dir := os.Getenv(pluginDataEnv)
	if dir == "" {
		return // not a plugin run: nothing to test here
	}
	args := flag.Args() // after "--": credential <id>
	if len(args) != 2 || args[0] != "credential" {
		fmt.Fprintf(os.Stderr, "plugin helper: args %q\n", args)
		os.Exit(2)
	}
	eng, err := pluginEngine(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	s := eng.Store
	out, err := eng.ExecCredential(context.Background(), args[1])
	_ = s.Close()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	_, _ = os.Stdout.Write(out)
	os.Exit(0)
}

// execCred runs the engine's exec plugin and decodes its answer.
func execCred(t *testing.T, e *engineEnv, ref string) clientauthv1.ExecCredential {
	t.Helper()
	out, err := e.eng.ExecCredential(t.Context(), ref)
	if err != nil {
		t.Fatal(err)
	}
	var ec clientauthv1.ExecCredential
	if err := json.Unmarshal(out, &ec); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	return ec
}

func TestExecCredentialAnswer(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	c := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web"), Mode: store.ModeExec}).Credential
	e.eng.Cloud = nil // the plugin never needs the cloud
	for _, ref := range []string{c.ID, c.ID[:6], "prod-web-internal"} {
		ec := execCred(t, e, ref)
		st := ec.Status
		if ec.APIVersion != store.ExecAPIVersion || ec.Kind != "ExecCredential" || st == nil {
			t.Fatalf("%s: %+v", ref, ec)
		}
		if st.ClientCertificateData != string(c.CertPEM) || !strings.HasPrefix(st.ClientKeyData, "-----BEGIN") {
			t.Errorf("%s: certificate or key not PEM", ref)
		}
		if err := store.KeyMatches([]byte(st.ClientCertificateData), []byte(st.ClientKeyData)); err != nil {
			t.Errorf("%s: %v", ref, err)
		}
		if st.ExpirationTimestamp == nil || !st.ExpirationTimestamp.Time.Equal(c.NotAfter.Truncate(1e9)) {
			t.Errorf("%s: expirationTimestamp %v, want NotAfter %v", ref, st.ExpirationTimestamp, c.NotAfter)
		}
	}
	if _, err := e.eng.ExecCredential(t.Context(), "zzzzzzzz"); err == nil {
		t.Error("an unknown credential got an answer")
	}
}

func TestExecCredentialRefusesRevokedAndExpired(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	revoked := e.fetch(t, FetchRequest{Target: e.target(t, "prod-payments")}).Credential
	expiring := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web")}).Credential
	if _, err := e.eng.Revoke(t.Context(), revoked); err != nil {
		t.Fatal(err)
	}
	_, err := e.eng.ExecCredential(t.Context(), revoked.ID)
	if err == nil || !strings.Contains(err.Error(), "revoked") || !strings.Contains(err.Error(), "ccecert get prod-payments") {
		t.Errorf("revoked: %v, want how to get a new one", err)
	}
	e.clock.Advance(31 * store.Day)
	_, err = e.eng.ExecCredential(t.Context(), expiring.ID)
	if err == nil || !strings.Contains(err.Error(), "expired") || !strings.Contains(err.Error(), "ccecert renew") {
		t.Errorf("expired: %v, want `ccecert renew`", err)
	}
	if e.find(t, expiring.ID).ReplacedBy != "" {
		t.Error("an expired credential was renewed with exec_auto_renew off")
	}
}

func TestExecCredentialAutoRenew(t *testing.T) {
	cases := []struct {
		name     string
		advance  time.Duration // of a 30-day certificate
		readOnly bool          // the kubeconfig refuses the renewal
		renewed  bool
		wantErr  string
	}{
		{"ok is served as it is", 10 * store.Day, false, false, ""},
		{"critical is renewed", 28 * store.Day, false, true, ""},
		{"expired is renewed", 31 * store.Day, false, true, ""},
		{"critical is served when the renewal fails", 28 * store.Day, true, false, ""},
		{"expired fails when the renewal fails", 31 * store.Day, true, false, "read-only"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEngineEnv(t, envOptions{})
			e.eng.Config.ExecAutoRenew = true
			old := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web"), Validity: api.Days(30), Mode: store.ModeExec}).Credential
			if c.readOnly {
				if err := os.Chmod(e.kube, 0o400); err != nil {
					t.Fatal(err)
				}
			}
			e.clock.Advance(c.advance)
			out, err := e.eng.ExecCredential(t.Context(), old.ID)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			nu := e.find(t, old.ID).ReplacedBy
			if (nu != "") != c.renewed {
				t.Fatalf("renewed %v (replaced by %q), want %v", nu != "", nu, c.renewed)
			}
			want := old.CertPEM
			if c.renewed {
				want = e.find(t, nu).CertPEM
			}
			var ec clientauthv1.ExecCredential
			if err := json.Unmarshal(out, &ec); err != nil || ec.Status.ClientCertificateData != string(want) {
				t.Errorf("the answer is not the expected certificate (%v)", err)
			}
		})
	}
}

func TestExecCredentialServesTheLatestReplacement(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	first := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web"), Mode: store.ModeExec}).Credential
	second, err := e.eng.Renew(t.Context(), first)
	if err != nil {
		t.Fatal(err)
	}
	if ec := execCred(t, e, first.ID); ec.Status.ClientCertificateData != string(second.Credential.CertPEM) {
		t.Fatal("a replaced credential does not serve its replacement")
	}
	third, err := e.eng.Renew(t.Context(), second.Credential)
	if err != nil {
		t.Fatal(err)
	}
	if ec := execCred(t, e, first.ID); ec.Status.ClientCertificateData != string(third.Credential.CertPEM) {
		t.Error("after two renewals the first credential does not serve the latest")
	}
}

func TestExecModeContextWorksWithKubectl(t *testing.T) {
	needKubectl(t)
	e := newEngineEnv(t, envOptions{})
	e.eng.ExecCommand, e.eng.ExecPrefix = os.Args[0], []string{"-test.run=^TestExecPluginHelper$", "-test.count=1", "--"}
	both := []api.ContextRole{api.RoleInternal, api.RoleExternal}
	c := e.fetch(t, FetchRequest{Target: e.target(t, "prod-payments"), Roles: both, Mode: store.ModeExec}).Credential
	env := pluginDataEnv + "=" + e.data
	for _, name := range c.Contexts {
		mustKubectl(t, e.kube, name, env)
	}
	res, err := e.eng.Renew(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	mustKubectl(t, e.kube, res.Contexts[0], env)
	if _, err := e.eng.Revoke(t.Context(), res.Credential); err != nil {
		t.Fatal(err)
	}
	// The revoke removed the contexts: write them back as they were.
	if _, _, err := e.eng.write(t.Context(), e.find(t, res.Credential.ID), e.kube, store.ModeExec, false); err != nil {
		t.Fatal(err)
	}
	out, err := kubectl(t, e.kube, res.Contexts[0], env)
	if err == nil || !strings.Contains(out, "ccecert get prod-payments") {
		t.Errorf("kubectl on a revoked exec credential: %v\n%s", err, out)
	}
}
