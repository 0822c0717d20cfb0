package cli

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/client-go/tools/clientcmd"

	"ccecert/api/emulator"
	"ccecert/store"
)

// relRun is one command of the secrets sweep and where its output may
// carry a private key by design (export and credential print one).
type relRun struct {
	args      []string
	keyStdout bool
	code      int // expected exit code
}

// relNeedles are the forms a private key could leak in: the PEM, its
// base64 (kubeconfig client-key-data), a line of its body (the DER's
// base64) and the DER's hex.
func relNeedles(keyPEM []byte) []string {
	b, _ := pem.Decode(keyPEM)
	out := []string{string(keyPEM), base64.StdEncoding.EncodeToString(keyPEM)}
	if b != nil {
		out = append(out, base64.StdEncoding.EncodeToString(b.Bytes)[:48], hex.EncodeToString(b.Bytes)[:48])
	}
	return out
}

// TestReliabilityNoSecretLeaks runs every command (there is no debug or
// verbose logging to turn on: ccecert has no such flag or variable), then
// looks for every private key and the SK in every output, the events log,
// the database files, the data, config and cache dirs, an exec-mode
// kubeconfig and the TUI's golden files. A key may appear only in export
// and credential output, an export file and the inline-mode kubeconfig.
func TestReliabilityNoSecretLeaks(t *testing.T) {
	relLeakCheck(t)
	e := newRelEnv(t, emulator.Options{})
	execKube := filepath.Join(e.root, "exec", "config")
	exported := filepath.Join(e.root, "export.yaml")
	download, dlKey := e.relConsoleKubeconfig("prod-gz", filepath.Join(e.root, "Downloads", "prod-gz.yaml"), 1)
	mismatch, mmKey := e.relMismatchedKubeconfig()

	e.must("list", "--refresh")
	pay := e.must("get", "prod-payments", "--duration", "1", "--context", "both", "-q").stdout
	dev := e.must("get", "dev-sandbox", "--duration", "1", "--mode", "exec", "--kubeconfig", execKube, "-q").stdout
	payID, devID := strings.TrimSpace(pay), strings.TrimSpace(dev)
	runs := []relRun{
		{args: []string{"list"}}, {args: []string{"list", "-o", "json"}},
		{args: []string{"get", "staging-web", "--duration", "1", "-o", "json"}},
		{args: []string{"get", "ops-tools", "--duration", "2"}},
		{args: []string{"status"}}, {args: []string{"status", "-o", "json"}}, {args: []string{"status", "-o", "prometheus"}},
		{args: []string{"status", "--all"}}, {args: []string{"status", "--within", "30d"}, code: 3},
		{args: []string{"renew", "--dry-run", "--within", "30d"}},
		{args: []string{"renew", "--yes", "--within", "30d"}},
		{args: []string{"export", "prod-payments-internal"}, keyStdout: true},
		{args: []string{"export", "prod-payments-external", "--file", exported}},
		{args: []string{"credential", "dev-sandbox-external"}, keyStdout: true},
		{args: []string{"credential", devID}, keyStdout: true}, // replaced: answers with its renewal
		{args: []string{"import", download}},
		{args: []string{"import", mismatch}, code: 1},
		{args: []string{"scan"}}, {args: []string{"scan", execKube, download}},
		{args: []string{"revoke", "ops-tools-internal", "--yes"}},
		{args: []string{"export", payID}, keyStdout: true},
	}
	outs := e.relSweep(runs)
	outs = append(outs, e.relFailingRuns()...)

	keys := e.relStoredKeys()
	if len(keys) < 6 {
		t.Fatalf("only %d keys stored", len(keys))
	}
	keys = append(keys, dlKey, mmKey)
	var needles []string
	for _, k := range keys {
		needles = append(needles, relNeedles(k)...)
	}
	sk := []string{e.srv.SK, relWrongSK}
	haystacks := map[string]string{}
	for i, o := range outs {
		haystacks["output #"+string(rune('A'+i%26))+strings.Repeat("'", i/26)] = o
	}
	haystacks["events log"] = e.relEvents()
	for _, dir := range []string{e.data, filepath.Join(e.root, "config"), filepath.Join(e.root, "cache"), filepath.Dir(execKube), "ui/testdata"} {
		relAddFiles(t, haystacks, dir)
	}
	if len(haystacks) < len(outs)+4 {
		t.Fatalf("too few places searched: %d", len(haystacks))
	}
	for where, text := range haystacks {
		for i, n := range append(needles, sk...) {
			if strings.Contains(text, n) {
				t.Errorf("%s holds secret #%d (%d bytes; not printed)", where, i, len(n))
			}
		}
	}
	relCheckWhereKeysBelong(t, []string{e.kube, e.kube + ".bak", exported}, needles, sk)
	t.Logf("searched %d outputs and files for %d keys (%d forms) and the SK", len(haystacks), len(keys), len(needles))
}

// relCheckWhereKeysBelong: where a key belongs by design the SK still never
// goes, and the needles do find the keys there (the search is not blind).
func relCheckWhereKeysBelong(t *testing.T, files, needles, sk []string) {
	t.Helper()
	for _, f := range files {
		data, _ := os.ReadFile(f)
		found := false
		for _, n := range needles {
			found = found || bytes.Contains(data, []byte(n))
		}
		if !found {
			t.Errorf("no key found in %s, where inline keys belong: the search is blind", f)
		}
		for _, s := range sk {
			if bytes.Contains(data, []byte(s)) {
				t.Errorf("%s holds the SK", f)
			}
		}
	}
}

// relSweep runs each command, checks its exit code, and returns every
// output that must hold no key.
func (e *relEnv) relSweep(runs []relRun) []string {
	e.t.Helper()
	var outs []string
	for _, r := range runs {
		res := e.run(r.args...)
		if res.code != r.code {
			e.t.Fatalf("ccecert %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(r.args, " "), res.code, r.code, res.stdout, res.stderr)
		}
		outs = append(outs, res.stderr)
		if !r.keyStdout {
			outs = append(outs, res.stdout)
		} else if !strings.Contains(res.stdout, "PRIVATE KEY") && !strings.Contains(res.stdout, "client-key-data") {
			e.t.Errorf("ccecert %s printed no key", strings.Join(r.args, " "))
		}
	}
	return outs
}

// relWrongSK is a secret key the emulator does not know.
const relWrongSK = "RELwrongSecretKey0123456789abcdefghijklmnop"

// relFailingRuns runs commands that fail at the cloud (401, 500, timeout)
// and returns their outputs.
func (e *relEnv) relFailingRuns() []string {
	var outs []string
	sk := e.vars["CLOUD_SDK_SK"]
	e.vars["CLOUD_SDK_SK"] = relWrongSK
	for _, args := range [][]string{{"list", "--refresh"}, {"get", "prod-web", "--duration", "1"}, {"renew", "--yes", "--within", "30d"}} {
		r := e.run(args...)
		if r.code == 0 {
			e.t.Errorf("ccecert %v with a wrong SK succeeded", args)
		}
		outs = append(outs, r.stdout, r.stderr)
	}
	e.vars["CLOUD_SDK_SK"] = sk
	e.srv.SetFaults(emulator.Faults{ErrorRate: 1})
	r := e.run("get", "prod-web", "--duration", "1")
	e.srv.SetFaults(emulator.Faults{})
	if r.code == 0 || !strings.Contains(r.stderr, "500") {
		e.t.Errorf("get with every request failing: exit %d, %s", r.code, r.stderr)
	}
	return append(outs, r.stdout, r.stderr)
}

// relStoredKeys decrypts every stored private key.
func (e *relEnv) relStoredKeys() [][]byte {
	st := e.openStore()
	defer st.Close()
	all, err := st.Credentials(context.Background(), store.Filter{All: true})
	if err != nil {
		e.t.Fatal(err)
	}
	var keys [][]byte
	for _, c := range all {
		if c.HasKey && !c.TokenOnly {
			k, err := st.Key(context.Background(), c.ID)
			if err != nil {
				e.t.Fatal(err)
			}
			keys = append(keys, k.Reveal())
		}
	}
	return keys
}

// relEvents is the whole events log as text.
func (e *relEnv) relEvents() string {
	st := e.openStore()
	defer st.Close()
	evs, err := st.Events(context.Background(), 0)
	if err != nil || len(evs) == 0 {
		e.t.Fatalf("events: %d, %v", len(evs), err)
	}
	var b strings.Builder
	for _, ev := range evs {
		b.WriteString(ev.Action + " " + ev.Target + " " + ev.Credential + " " + ev.Result + "\n")
	}
	return b.String()
}

// relAddFiles adds every file under dir (the database and its -wal/-shm
// included) to haystacks.
func relAddFiles(t *testing.T, haystacks map[string]string, dir string) {
	t.Helper()
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		return // never created: nothing written there
	}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		haystacks[p] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// relMismatchedKubeconfig is a console kubeconfig whose key belongs to
// another certificate: its import fails, and the error must not quote it.
func (e *relEnv) relMismatchedKubeconfig() (string, []byte) {
	e.t.Helper()
	a, _ := e.relConsoleKubeconfig("prod-web", filepath.Join(e.root, "Downloads", "a.yaml"), 1)
	_, bKey := e.relConsoleKubeconfig("prod-web", filepath.Join(e.root, "Downloads", "b.yaml"), 1)
	cfg, err := clientcmd.LoadFromFile(a)
	if err != nil {
		e.t.Fatal(err)
	}
	cfg.AuthInfos["user"].ClientKeyData = bKey
	if err := clientcmd.WriteToFile(*cfg, a); err != nil {
		e.t.Fatal(err)
	}
	return a, bKey
}
