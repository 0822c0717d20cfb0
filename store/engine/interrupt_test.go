package engine

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"ccecert/api"
	"ccecert/store"

	"k8s.io/client-go/tools/clientcmd"
)

// TestLockCheckedBeforeIssue: with a live process holding the kubeconfig
// lock, get and import fail with the holder named, and nothing is issued
// or stored.
func TestLockCheckedBeforeIssue(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	seedKube(t, e)
	tg := e.target(t, "prod-web")
	download := consoleDownload(t, e, "data-pipeline")
	if err := os.WriteFile(e.kube+".lock", []byte("1 held 0\n"), 0o600); err != nil { // pid 1: alive, not us
		t.Fatal(err)
	}
	e.eng.LockTimeout = 100 * time.Millisecond
	issued := e.cloud.issues.Load()
	_, err := e.eng.Fetch(t.Context(), FetchRequest{Target: tg, Validity: api.Days(30)})
	var le *store.LockError
	if !errors.As(err, &le) || le.PID != 1 {
		t.Fatalf("fetch under a live lock: %v", err)
	}
	if _, err := e.eng.Import(t.Context(), download, "dl.yaml"); !errors.As(err, &le) {
		t.Fatalf("import under a live lock: %v", err)
	}
	if n := e.cloud.issues.Load() - issued; n != 0 {
		t.Errorf("%d certificates issued while the kubeconfig was locked", n)
	}
	if creds, _ := e.store.Credentials(t.Context(), store.Filter{All: true}); len(creds) != 0 {
		t.Errorf("%d credentials stored while the kubeconfig was locked", len(creds))
	}
}

// diesAfterRevoke revokes at the cloud, then ends the calling goroutine
// as a kill would end the process: nothing after the call runs.
type diesAfterRevoke struct{ Cloud }

func (d diesAfterRevoke) Revoke(ctx context.Context, t api.Target, user string) (*api.RevokeResult, error) {
	_, _ = d.Cloud.Revoke(ctx, t, user)
	runtime.Goexit()
	return nil, nil
}

// TestInterruptedRevokeIsReconciled: a revoke killed after the cloud
// revoked shows its credentials as unknown (never OK) with what happened,
// and the next run's Reconcile records it and removes the contexts.
func TestInterruptedRevokeIsReconciled(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	c := e.fetch(t, FetchRequest{Target: e.target(t, "prod-payments")})
	e.eng.Cloud = func() (Cloud, error) { return diesAfterRevoke{e.cloud}, nil }
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = e.eng.Revoke(context.Background(), c.Credential)
	}()
	<-done
	// The process is gone: its pid is a dead one.
	db := rawDB(t, e)
	if _, err := db.Exec("UPDATE intents SET pid = 4194303"); err != nil {
		t.Fatal(err)
	}
	list, err := e.store.Credentials(t.Context(), store.Filter{})
	if err != nil || len(list) != 1 {
		t.Fatalf("status after the kill: %d credentials, %v", len(list), err)
	}
	if h := list[0].Health(e.clock.Now(), e.eng.Config.Thresholds); h == store.HealthOK || !list[0].RevokePending || !strings.Contains(list[0].Attention(), "revoke") {
		t.Fatalf("after a killed revoke: health %v, pending %v, %q", h, list[0].RevokePending, list[0].Attention())
	}
	e.eng.Cloud = func() (Cloud, error) { return e.cloud, nil }
	rec, err := e.eng.Reconcile(t.Context())
	if err != nil || len(rec.Revoked) != 1 || len(rec.Problems) != 0 {
		t.Fatalf("reconcile: %+v, %v", rec, err)
	}
	got := e.find(t, c.Credential.ID)
	if !got.Revoked() || got.RevokePending {
		t.Errorf("after reconcile: revoked %v, pending %v", got.Revoked(), got.RevokePending)
	}
	if cfg := readKube(t, e.kube); cfg.Contexts[c.Contexts[0]] != nil {
		t.Error("the revoked context is still in the kubeconfig")
	}
	if in, _ := e.store.Intents(t.Context()); len(in) != 0 {
		t.Errorf("intents left: %+v", in)
	}
	if rec, _ := e.eng.Reconcile(t.Context()); len(rec.Revoked)+len(rec.Written)+len(rec.Problems) != 0 {
		t.Errorf("a second reconcile did more: %+v", rec)
	}
}

// breaksKubeconfig makes the kubeconfig read-only once the certificate is
// issued: the merge after storing fails, as a kill between storing and
// writing would leave it.
type breaksKubeconfig struct {
	Cloud
	path string
}

func (b breaksKubeconfig) Issue(ctx context.Context, t api.Target, r api.CertRequest) (*api.Issued, error) {
	iss, err := b.Cloud.Issue(ctx, t, r)
	_ = os.Chmod(b.path, 0o400)
	return iss, err
}

// TestUnwrittenCredentialIsFinished: a credential stored but written to no
// kubeconfig is shown as such, and the next run writes it — or, when a
// newer one has taken its context meanwhile, retires it.
func TestUnwrittenCredentialIsFinished(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	seedKube(t, e)
	e.eng.Cloud = func() (Cloud, error) { return breaksKubeconfig{e.cloud, e.kube}, nil }
	tg := e.target(t, "prod-web")
	_, err := e.eng.Fetch(t.Context(), FetchRequest{Target: tg, Validity: api.Days(30), Mode: store.ModeExec})
	if err == nil || !strings.Contains(err.Error(), "in no kubeconfig") {
		t.Fatalf("fetch whose write fails: %v", err)
	}
	_ = os.Chmod(e.kube, 0o600)
	e.eng.Cloud = func() (Cloud, error) { return e.cloud, nil }
	list, _ := e.store.Credentials(t.Context(), store.Filter{})
	if len(list) != 1 || !list[0].Unwritten() || !strings.Contains(list[0].Attention(), "no kubeconfig") {
		t.Fatalf("the unwritten credential is not shown as such: %+v", list)
	}
	if rec, _ := e.eng.Reconcile(t.Context()); len(rec.Written) != 0 {
		t.Fatal("a credential just stored (a fetch perhaps under way) was written by another run")
	}
	e.clock.Advance(2 * time.Minute)
	rec, err := e.eng.Reconcile(t.Context())
	if err != nil || len(rec.Written) != 1 || rec.Written[0] != list[0].ID {
		t.Fatalf("reconcile: %+v, %v", rec, err)
	}
	c := e.find(t, list[0].ID)
	if c.Unwritten() || len(c.Contexts) != 1 || readKube(t, e.kube).Contexts[c.Contexts[0]] == nil {
		t.Fatalf("not written: contexts %v", c.Contexts)
	}

	// A second orphan, then a newer fetch: the orphan is not written over it.
	e.eng.Cloud = func() (Cloud, error) { return breaksKubeconfig{e.cloud, e.kube}, nil }
	_, _ = e.eng.Fetch(t.Context(), FetchRequest{Target: tg, Validity: api.Days(30)})
	_ = os.Chmod(e.kube, 0o600)
	e.eng.Cloud = func() (Cloud, error) { return e.cloud, nil }
	live := e.fetch(t, FetchRequest{Target: tg, Validity: api.Days(90)})
	e.clock.Advance(2 * time.Minute)
	rec, err = e.eng.Reconcile(t.Context())
	if err != nil || len(rec.Written) != 0 {
		t.Fatalf("reconcile with a newer live one: %+v, %v", rec, err)
	}
	if cfg := readKube(t, e.kube); string(cfg.AuthInfos[cfg.Contexts[live.Contexts[0]].AuthInfo].ClientCertificateData) != string(live.Credential.CertPEM) {
		t.Error("the reconcile rolled the context back to the orphan")
	}
	for _, c := range mustList(t, e) {
		if c.Unwritten() {
			t.Errorf("%s still unwritten after reconcile", c.ID)
		}
	}
}

// rawDB opens the store's database directly, to play an older ccecert or a
// process that died.
func rawDB(t *testing.T, e *engineEnv) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", e.store.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func mustList(t *testing.T, e *engineEnv) []store.Credential {
	t.Helper()
	list, err := e.store.Credentials(t.Context(), store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// TestRelativeRecordResolvedOnceOrReported: a credential an older ccecert
// recorded with a relative kubeconfig path renews from the directory it
// was written in (and is then recorded absolute), and from anywhere else
// is refused with the fix, writing nothing there.
func TestRelativeRecordResolvedOnceOrReported(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	c := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web")}).Credential
	db := rawDB(t, e)
	if _, err := db.Exec("UPDATE credentials SET kubeconfig = 'kube/config' WHERE id = ?", c.ID); err != nil {
		t.Fatal(err)
	}
	elsewhere := filepath.Join(e.dir, "elsewhere")
	_ = os.MkdirAll(elsewhere, 0o700)
	t.Chdir(elsewhere)
	_, err := e.eng.Renew(t.Context(), e.find(t, c.ID))
	if err == nil || !strings.Contains(err.Error(), "relative kubeconfig path") || !strings.Contains(err.Error(), "directory it was written in") {
		t.Fatalf("renew from elsewhere: %v", err)
	}
	if _, err := os.Stat(filepath.Join(elsewhere, "kube", "config")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a kubeconfig was created in the wrong directory")
	}
	t.Chdir(filepath.Dir(filepath.Dir(e.kube)))
	res, err := e.eng.Renew(t.Context(), e.find(t, c.ID))
	if err != nil {
		t.Fatalf("renew from the directory it was written in: %v", err)
	}
	if res.Credential.Kubeconfig != e.kube || e.find(t, c.ID).Kubeconfig != e.kube {
		t.Errorf("recorded %q / %q, want %q", res.Credential.Kubeconfig, e.find(t, c.ID).Kubeconfig, e.kube)
	}
}

// TestFetchAvoidsNamesOfOtherKubeconfigFiles: with KUBECONFIG=a:b, where b
// has a context named as ours would be, the fetch into a picks another
// name, so kubectl's merged view shadows nothing.
func TestFetchAvoidsNamesOfOtherKubeconfigFiles(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	other := filepath.Join(e.dir, "team.kubeconfig")
	_ = os.WriteFile(other, []byte(`apiVersion: v1
kind: Config
clusters: [{name: team, cluster: {server: "https://127.0.0.1:9"}}]
users: [{name: team, user: {token: t}}]
contexts: [{name: prod-web-internal, context: {cluster: team, user: team}}, {name: prod-web-external, context: {cluster: team, user: team}}]
`), 0o600)
	e.eng.KubeconfigPaths = []string{e.kube, other}
	res := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web")})
	merged, err := (&clientcmd.ClientConfigLoadingRules{Precedence: e.eng.KubeconfigPaths}).Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range res.Contexts {
		if n == "prod-web-internal" || n == "prod-web-external" {
			t.Errorf("context %q shadows the team file's", n)
		}
		if merged.Contexts[n] == nil || merged.Contexts[n].AuthInfo != res.Credential.User {
			t.Errorf("context %q is not ours in the merged view", n)
		}
	}
}
