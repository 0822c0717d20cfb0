package keysource

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ccecert/api"
	"ccecert/api/emulator"
)

// emu is an emulator and what a client needs to reach it.
type emu struct {
	srv    *emulator.Server
	caFile string
	home   string
}

func startEmu(t *testing.T) *emu { t.Helper(); return startEmuWith(t, emulator.Options{}) }

func startEmuWith(t *testing.T, opts emulator.Options) *emu {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"} {
		t.Setenv(v, filepath.Join(home, v))
	}
	t.Setenv("KUBECONFIG", filepath.Join(home, "kubeconfig"))
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := emulator.Start(ctx, opts)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = srv.Close() })
	ca, err := srv.WriteCAFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return &emu{srv: srv, caFile: ca, home: home}
}

// client is an api client of the emulator signing with src's keys.
func (e *emu) client(t *testing.T, src api.KeySource) *api.Client {
	t.Helper()
	c, err := api.New(api.Config{Keys: src, Endpoint: e.srv.URL, CAFile: e.caFile, UserAgent: "ccecert/test",
		Timeout: 10 * time.Second, RegionTimeout: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func mapEnv(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// TestEnvSource: the SDK's HUAWEICLOUD_SDK_* work alone; CLOUD_SDK_* win
// when both are set; a half-set pair names the missing variable.
func TestEnvSource(t *testing.T) {
	e := startEmu(t)
	ctx := context.Background()
	sdkOnly, _ := Opener{Getenv: mapEnv(map[string]string{EnvSDKAK: e.srv.AK, EnvSDKSK: e.srv.SK})}.Open("default", Spec{})
	if _, err := e.client(t, sdkOnly).Projects(ctx); err != nil {
		t.Fatalf("HUAWEICLOUD_SDK_AK/SK: %v", err)
	}
	both, _ := Opener{Getenv: mapEnv(map[string]string{
		api.EnvAK: e.srv.AK, api.EnvSK: e.srv.SK, EnvSDKAK: "WRONGAK", EnvSDKSK: "wrong-secret-key"})}.Open("default", Spec{Type: "env"})
	if _, err := e.client(t, both).Projects(ctx); err != nil {
		t.Fatalf("CLOUD_SDK_* did not win: %v", err)
	}
	half, _ := Opener{Getenv: mapEnv(map[string]string{EnvSDKAK: "AK"})}.Open("work", Spec{})
	_, err := half.Keys(ctx)
	if err == nil || !strings.Contains(err.Error(), `profile "work"`) || !strings.Contains(err.Error(), EnvSDKSK+" is not") {
		t.Fatalf("half-set pair: %v", err)
	}
}

// TestSDKFileSource: the SDK's credentials file, as its profile provider
// reads it; read again when it changes (temporary keys with their
// security_token); bad permissions and syntax get one line naming the
// profile, the file and the fix, never the file's text.
func TestSDKFileSource(t *testing.T) {
	e := startEmu(t)
	ctx := context.Background()
	path := filepath.Join(e.home, ".huaweicloud", "credentials")
	write := func(text string, mode os.FileMode) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), mode); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
	}
	write("; the SDK's file\n[basic]\nak = "+e.srv.AK+"\nsk = "+e.srv.SK+"\nproject_id = ignored\n", 0o600)
	src, err := Opener{Home: e.home, Getenv: mapEnv(nil)}.Open("work", Spec{Type: "sdk-file"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(src.Describe(), path) {
		t.Fatalf("Describe %q does not name the file", src.Describe())
	}
	c := e.client(t, src)
	if _, err := c.Projects(ctx); err != nil {
		t.Fatalf("[basic] keys: %v", err)
	}

	tmp := e.srv.MintTempKeys(time.Hour)
	write("[global]\nak = "+tmp.AK+"\nsk = "+tmp.SK+"\nsecurity_token = "+tmp.SecurityToken+"\n", 0o600)
	if _, err := c.Projects(ctx); err != nil {
		t.Fatalf("after the file changed to temporary keys: %v", err)
	}
	if k, _ := src.Keys(ctx); k.AK != tmp.AK || string(k.SecurityToken) != tmp.SecurityToken {
		t.Fatal("the changed file was not read again")
	}

	write("[basic]\nak = "+e.srv.AK+"\nsk = "+e.srv.SK+"\n", 0o644)
	_, err = src.Keys(ctx)
	if err == nil || !strings.Contains(err.Error(), "chmod 600 "+path) || !strings.Contains(err.Error(), `profile "work"`) {
		t.Fatalf("group/world-readable file: %v", err)
	}
	write("[basic]\nak = "+e.srv.AK+"\n"+e.srv.SK+"\n", 0o600)
	_, err = src.Keys(ctx)
	if err == nil || !strings.Contains(err.Error(), "line 3") || strings.Contains(err.Error(), e.srv.SK) {
		t.Fatalf("syntax error: %v", err)
	}
}

// TestProcessRenewsDuringLongListing: keys living 5 s, minted by the
// emulator and printed by a credential process (this test binary), are
// renewed while listings run back to back for 11 s: no listing fails, no
// request is refused, and each expiry gets exactly one renewal (one run of
// the process, one refresh event), none before its time.
func TestProcessRenewsDuringLongListing(t *testing.T) {
	e := startEmu(t)
	const lifetime = 5 * time.Second
	var mints atomic.Int32
	mint := e.srv.TempKeysHandler(lifetime)
	minter := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mints.Add(1)
		mint.ServeHTTP(w, r)
	}))
	t.Cleanup(minter.Close)

	type refresh struct {
		at  time.Time
		exp time.Time
	}
	var mu sync.Mutex
	var refreshes []refresh
	o := Opener{Environ: helperEnviron("mint", "KEYSOURCE_TEST_MINT_URL="+minter.URL),
		OnRefresh: func(ev RefreshEvent) {
			if ev.Err != nil {
				t.Errorf("refresh failed: %v", ev.Err)
			}
			mu.Lock()
			refreshes = append(refreshes, refresh{time.Now(), ev.Expires})
			mu.Unlock()
		}}
	src, err := o.Open("temp", helperSpec(t, 10*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	c := e.client(t, src)
	ctx := context.Background()
	start := time.Now()
	listings := 0
	for time.Since(start) < 11*time.Second {
		inv, err := c.Inventory(ctx, api.InventoryOptions{})
		if err != nil || len(inv.Errors) > 0 || len(inv.Targets) == 0 {
			t.Fatalf("listing %d at %s: %v %v", listings, time.Since(start), err, inv.Errors)
		}
		listings++
	}
	for _, r := range e.srv.Log() {
		if r.Status >= 400 {
			t.Fatalf("a request was refused: %+v", r)
		}
	}
	// A renewal started by the last listing may still be running: its
	// event follows its process run.
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		mu.Lock()
		n := len(refreshes)
		mu.Unlock()
		if n == int(mints.Load()) {
			break
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(refreshes) < 3 || int(mints.Load()) != len(refreshes) {
		t.Fatalf("%d refreshes, %d process runs over 11 s of %d listings; want ≥ 3, one run each", len(refreshes), mints.Load(), listings)
	}
	for i := 1; i < len(refreshes); i++ {
		prev, cur := refreshes[i-1], refreshes[i]
		if !cur.exp.After(prev.exp) {
			t.Fatalf("refresh %d renewed keys expiring %s again", i, prev.exp)
		}
		if due := renewAt(prev.exp, prev.at); cur.at.Before(due.Add(-time.Second)) {
			t.Fatalf("refresh %d at %s, before its keys were due (%s)", i, cur.at, due)
		}
	}
	t.Logf("%d listings, %d refreshes", listings, len(refreshes))
}

// TestProcessScript: the README's kind of script (testdata), run by path
// without ccecert's shell, prints keys the emulator accepts.
func TestProcessScript(t *testing.T) {
	e := startEmu(t)
	keys := filepath.Join(t.TempDir(), "keys")
	if err := os.WriteFile(keys, []byte(e.srv.AK+"\n"+e.srv.SK+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	script, err := filepath.Abs(filepath.Join("testdata", "keys-from-file.sh"))
	if err != nil {
		t.Fatal(err)
	}
	src, err := Opener{Environ: func() []string { return []string{"PATH=" + os.Getenv("PATH"), "KEYS_FILE=" + keys} }}.
		Open("script", Spec{Type: "process", Command: []string{script}})
	if err != nil {
		t.Fatal(err)
	}
	if src.Describe() != "process keys-from-file.sh" {
		t.Fatalf("Describe: %q", src.Describe())
	}
	if _, err := e.client(t, src).Projects(context.Background()); err != nil {
		t.Fatal(err)
	}
}
