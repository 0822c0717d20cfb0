package api

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"ccecert/api/emulator"
)

// testEnv is an emulator and a Client pointed at it, with HOME and the XDG
// dirs in temp dirs.
type testEnv struct {
	srv    *emulator.Server
	client *Client
	cfg    Config
	home   string
	sleeps *sleepLog
}

// sleepLog records the retry waits instead of sleeping them.
type sleepLog struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleepLog) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleepLog) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// isolateHome points HOME, XDG_* and KUBECONFIG at fresh temp dirs.
func isolateHome(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"} {
		t.Setenv(v, filepath.Join(home, v))
	}
	t.Setenv("KUBECONFIG", filepath.Join(home, "kubeconfig"))
	return home
}

func startEmulator(t *testing.T, opts emulator.Options) *emulator.Server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	srv, err := emulator.Start(ctx, opts)
	if err != nil {
		cancel()
		t.Fatalf("start emulator: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		_ = srv.Close()
	})
	return srv
}

// newTestEnv starts an emulator and a client for it; mod adjusts the config.
func newTestEnv(t *testing.T, opts emulator.Options, mod func(*Config)) *testEnv {
	t.Helper()
	home := isolateHome(t)
	srv := startEmulator(t, opts)
	caFile, err := srv.WriteCAFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	for _, kv := range srv.Env(caFile) {
		k, v, _ := cut(kv, "=")
		env[k] = v
	}
	cfg, err := ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("ConfigFromEnv: %v", err)
	}
	sl := &sleepLog{}
	cfg.UserAgent = "ccecert/test"
	cfg.Timeout = 10 * time.Second
	cfg.RegionTimeout = 20 * time.Second
	cfg.Retry = RetryPolicy{Sleep: sl.sleep}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(c.Close)
	return &testEnv{srv: srv, client: c, cfg: cfg, home: home, sleeps: sl}
}

func cut(s, sep string) (string, string, bool) {
	for i := 0; i+len(sep) <= len(s); i++ {
		if s[i:i+len(sep)] == sep {
			return s[:i], s[i+len(sep):], true
		}
	}
	return s, "", false
}

// limitedClient is a client whose key (user "limited-user") reaches only
// the project projectID: a call in any other project gets a 403.
func (e *testEnv) limitedClient(t *testing.T, projectID string) *Client {
	t.Helper()
	e.srv.AddKey("LIMITEDAK0000000000", "limited-secret-0000000000", "limited-user", projectID)
	lim, err := New(Config{AK: "LIMITEDAK0000000000", SK: Secret("limited-secret-0000000000"), Endpoint: e.cfg.Endpoint,
		CAFile: e.cfg.CAFile, UserAgent: "ccecert/test", Retry: RetryPolicy{Sleep: e.sleeps.sleep}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(lim.Close)
	return lim
}

// target finds a listed target by name.
func (e *testEnv) target(t *testing.T, name string) Target {
	t.Helper()
	inv, err := e.client.Inventory(context.Background(), InventoryOptions{})
	if err != nil {
		t.Fatalf("Inventory: %v", err)
	}
	for _, tg := range inv.Targets {
		if tg.Name == name {
			return tg
		}
	}
	t.Fatalf("target %q not listed", name)
	return Target{}
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }
