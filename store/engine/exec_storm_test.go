package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	clientauthv1 "k8s.io/client-go/pkg/apis/clientauthentication/v1"

	"ccecert/api"
	"ccecert/store"
)

// pluginCloudEnv gives the plugin helper (TestExecPluginHelper) a cloud,
// exec_auto_renew, a kubeconfig and a clock offset, as JSON.
const pluginCloudEnv = "CCECERT_TEST_PLUGIN_CLOUD"

// pluginCloud is pluginCloudEnv's content.
type pluginCloud struct {
	Endpoint, AK, SK, CAFile string
	Kubeconfig               string
	Offset                   time.Duration
}

// pluginEngine is the plugin helper's engine on the store in dir: with
// pluginCloudEnv set, one that renews through the emulator.
func pluginEngine(dir string) (*Engine, error) {
	var pc pluginCloud
	if v := os.Getenv(pluginCloudEnv); v != "" {
		if err := json.Unmarshal([]byte(v), &pc); err != nil {
			return nil, err
		}
	}
	now := func() time.Time { return time.Now().Add(pc.Offset) }
	s, err := store.Open(context.Background(), dir, store.Options{Now: now})
	if err != nil {
		return nil, err
	}
	e := &Engine{Store: s, Now: now}
	if pc.Endpoint == "" {
		return e, nil
	}
	if e.Config, err = store.DefaultConfig(); err != nil {
		return nil, err
	}
	e.Config.ExecAutoRenew, e.Kubeconfig = true, pc.Kubeconfig
	client, err := api.New(api.Config{AK: pc.AK, SK: api.Secret(pc.SK), Endpoint: pc.Endpoint, CAFile: pc.CAFile, UserAgent: "ccecert-test", Timeout: time.Minute})
	if err != nil {
		return nil, err
	}
	e.Cloud = func() (Cloud, error) { return client, nil }
	return e, nil
}

// stormCredential fetches a 30-day exec credential for prod-web whose
// renewal asks for 60 days: the tests' clock runs 28 days ahead of the
// emulator's, so a 30-day renewal would look as critical as the original
// and be renewed again by every later call.
func stormCredential(t *testing.T, e *engineEnv) store.Credential {
	t.Helper()
	old := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web"), Validity: api.Days(30), Mode: store.ModeExec}).Credential
	v, _ := json.Marshal(api.Days(60))
	if _, err := rawDB(t, e).Exec("UPDATE credentials SET validity = ? WHERE id = ?", string(v), old.ID); err != nil {
		t.Fatal(err)
	}
	return e.find(t, old.ID)
}

// issuedSince counts the certificates the emulator issued after its
// request number mark.
func issuedSince(e *engineEnv, mark int) int {
	n := 0
	for _, r := range e.srv.Log()[mark:] {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/clustercert") && r.Status == 200 {
			n++
		}
	}
	return n
}

// checkStorm checks the answers of a storm of plugin calls on old: each
// an ExecCredential whose certificate and key match, all the one renewal
// of old, which was issued once.
func checkStorm(t *testing.T, e *engineEnv, old store.Credential, mark int, outs [][]byte) {
	t.Helper()
	if n := issuedSince(e, mark); n != 1 {
		t.Errorf("%d certificates issued for %d parallel plugin calls, want exactly 1", n, len(outs))
	}
	nu := e.find(t, old.ID).ReplacedBy
	if nu == "" {
		t.Fatal("the due credential was not renewed")
	}
	want := e.find(t, nu)
	for i, out := range outs {
		var ec clientauthv1.ExecCredential
		if err := json.Unmarshal(out, &ec); err != nil || ec.Status == nil {
			t.Fatalf("call %d: not an ExecCredential (%v): %.200s", i, err, out)
		}
		if err := store.KeyMatches([]byte(ec.Status.ClientCertificateData), []byte(ec.Status.ClientKeyData)); err != nil {
			t.Errorf("call %d: %v", i, err)
		}
		if ec.Status.ClientCertificateData != string(want.CertPEM) {
			t.Errorf("call %d did not get the renewed certificate", i)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(e.data, "claims", "*.lock")); len(left) > 0 {
		t.Errorf("claims left behind: %v", left)
	}
	all, err := e.store.Credentials(t.Context(), store.Filter{TargetKey: old.Target.Key(), All: true})
	if err != nil || len(all) != 2 {
		t.Errorf("%d credentials for the target, want the old one and its one renewal (%v)", len(all), err)
	}
}

// TestExecStormRenewsOnceAcrossStores: 50 plugin calls at once, each with
// its own Store on the same data dir (as 50 kubectl-run processes have),
// on a critical credential with exec_auto_renew: one renewal, and every
// call answers with it.
func TestExecStormRenewsOnceAcrossStores(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	old := stormCredential(t, e)
	e.clock.Advance(28 * store.Day) // critical: 2 days of 30 left
	mark := len(e.srv.Log())
	const n = 50
	outs := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			s, err := store.Open(context.Background(), e.data, store.Options{Now: e.clock.Now})
			if err != nil {
				errs[i] = err
				return
			}
			defer s.Close()
			eng := &Engine{Store: s, Config: e.eng.Config, Kubeconfig: e.kube, Now: e.clock.Now, Cloud: e.eng.Cloud}
			eng.Config.ExecAutoRenew = true
			<-start
			outs[i], errs[i] = eng.ExecCredential(context.Background(), old.ID)
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	checkStorm(t, e, old, mark, outs)
}

// TestExecStormRenewsOnceAcrossProcesses: the same with 50 processes (this
// test binary as the plugin), as kubectl runs them.
func TestExecStormRenewsOnceAcrossProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 50 processes")
	}
	e := newEngineEnv(t, envOptions{})
	old := stormCredential(t, e)
	caFile, err := e.srv.WriteCAFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	pc, _ := json.Marshal(pluginCloud{Endpoint: e.srv.URL, AK: e.srv.AK, SK: e.srv.SK, CAFile: caFile, Kubeconfig: e.kube, Offset: 28 * store.Day})
	mark := len(e.srv.Log())
	const n = 50
	outs := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestExecPluginHelper$", "-test.count=1", "--", "credential", old.ID)
			cmd.Env = append(os.Environ(), pluginDataEnv+"="+e.data, pluginCloudEnv+"="+string(pc))
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				errs[i] = fmt.Errorf("%w: %s", err, stderr.String())
			}
			outs[i] = stdout.Bytes()
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("process %d: %v", i, err)
		}
	}
	checkStorm(t, e, old, mark, outs)
}
