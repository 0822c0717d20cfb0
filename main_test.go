package main

import (
	"bytes"
	"ccecert/ui/cli"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe for one writer and one reader.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// isolateMain points HOME, XDG dirs, KUBECONFIG and TMPDIR at temp dirs.
func isolateMain(t *testing.T) string {
	t.Helper()
	for _, v := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"} {
		t.Setenv(v, t.TempDir())
	}
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "config"))
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	return tmp
}

// waitForReady waits until serve prints "# ready" on out.
func waitForReady(t *testing.T, out *lockedBuffer, done <-chan int) {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for !strings.Contains(out.String(), "# ready\n") {
		select {
		case code := <-done:
			t.Fatalf("serve exited with %d before # ready; stdout:\n%s", code, out.String())
		case <-deadline:
			t.Fatalf("no # ready; stdout:\n%s", out.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// waitReady waits for "# ready" on out and returns the export lines.
func waitReady(t *testing.T, out *lockedBuffer, done <-chan int) map[string]string {
	t.Helper()
	waitForReady(t, out, done)
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	names := []string{"CCECERT_ENDPOINT", "CCECERT_CA_FILE", "CLOUD_SDK_AK", "CLOUD_SDK_SK"}
	if len(lines) != 5 || lines[4] != "# ready" {
		t.Fatalf("stdout = %q, want four exports and # ready", lines)
	}
	env := map[string]string{}
	for i, name := range names {
		value, ok := strings.CutPrefix(lines[i], "export "+name+"=")
		if !ok || value == "" {
			t.Fatalf("line %d = %q, want export %s=...", i+1, lines[i], name)
		}
		env[name] = value
	}
	return env
}

func TestEmulatorServeRefusesNonLoopback(t *testing.T) {
	isolateMain(t)
	for _, addr := range []string{"0.0.0.0:8443", "10.1.2.3:443", ":0"} {
		var stdout, stderr bytes.Buffer
		code := cli.Run(context.Background(), deps(), []string{"emulator", "serve", "--addr", addr}, strings.NewReader(""), &stdout, &stderr)
		if code != 1 || !strings.Contains(stderr.String(), "not loopback") || stdout.Len() != 0 {
			t.Errorf("--addr %s: exit %d, stderr %q, stdout %q; want exit 1 and a loopback message", addr, code, stderr.String(), stdout.String())
		}
	}
}

func TestEmulatorServeBadFlags(t *testing.T) {
	isolateMain(t)
	for name, args := range map[string][]string{
		"error rate above 1": {"--error-rate", "2"},
		"missing inventory":  {"--inventory", filepath.Join(t.TempDir(), "nope.yaml")},
		"negative latency":   {"--latency", "-1s"},
		"negative rtt":       {"--rtt", "-1s"},
		"tls round trips 3":  {"--rtt", "1ms", "--tls-round-trips", "3"},
	} {
		var stdout, stderr bytes.Buffer
		code := cli.Run(context.Background(), deps(), append([]string{"emulator", "serve"}, args...), strings.NewReader(""), &stdout, &stderr)
		if code != 1 || stderr.Len() == 0 || stdout.Len() != 0 {
			t.Errorf("%s: exit %d, stderr %q", name, code, stderr.String())
		}
	}
}

// TestEmulatorServePrintsEnvAndServes runs the command with a cancellable
// context: it prints the exports and # ready, serves the API with the
// printed CA, and removes its temp dir on exit.
func TestEmulatorServePrintsEnvAndServes(t *testing.T) {
	tmp := isolateMain(t)
	inv := filepath.Join(t.TempDir(), "inv.yaml")
	doc := "domain: {name: d}\nuser: {name: u}\nprojects: [{name: cn-north-4}]\nclusters: [{name: c1, project: cn-north-4, version: v1.31}]\n"
	if err := os.WriteFile(inv, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &lockedBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- cli.Run(ctx, deps(), []string{"emulator", "serve", "--inventory", inv, "--latency", "1ms"}, strings.NewReader(""), out, io.Discard)
	}()
	env := waitReady(t, out, done)
	caFile := env["CCECERT_CA_FILE"]
	if !strings.HasPrefix(caFile, tmp) || !strings.HasPrefix(env["CCECERT_ENDPOINT"], "https://127.0.0.1:") {
		t.Errorf("env = %v", env)
	}
	fi, err := os.Stat(caFile)
	di, err2 := os.Stat(filepath.Dir(caFile))
	if err != nil || err2 != nil || fi.Mode().Perm() != 0o600 || di.Mode().Perm() != 0o700 {
		t.Fatalf("CA file %s: %v %v, modes %v %v", caFile, err, err2, fi.Mode(), di.Mode())
	}
	if status, body := getWithCA(t, env["CCECERT_ENDPOINT"]+"/v3/auth/projects", caFile); status != http.StatusUnauthorized || !strings.Contains(body, "APIGW.0301") {
		t.Errorf("unsigned request = %d %s, want 401 APIGW.0301", status, body)
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("serve returned %d after cancel", code)
	}
	if _, err := os.Stat(filepath.Dir(caFile)); !os.IsNotExist(err) {
		t.Errorf("temp dir %s still exists after exit (%v)", filepath.Dir(caFile), err)
	}
}

func getWithCA(t *testing.T, url, caFile string) (int, string) {
	t.Helper()
	pem, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("CA file is not PEM")
	}
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, Timeout: 30 * time.Second}).Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestEmulatorServeProxyModePrintsTheProxyEnvironment: with --proxy the
// emulator plays the named site behind an HTTPS proxy, and says so.
func TestEmulatorServeProxyModePrintsTheProxyEnvironment(t *testing.T) {
	isolateMain(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &lockedBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- cli.Run(ctx, deps(), []string{"emulator", "serve", "--proxy", "--site", "huaweicloud-eu"}, strings.NewReader(""), out, io.Discard)
	}()
	waitForReady(t, out, done)
	for _, want := range []string{"export HTTPS_PROXY=http://127.0.0.1:", "export CCECERT_SITE=huaweicloud-eu\n", "export CCECERT_CA_FILE="} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "CCECERT_ENDPOINT") {
		t.Errorf("proxy mode printed CCECERT_ENDPOINT, which would bypass the real host names:\n%s", out.String())
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d after cancel", code)
	}
}
