package api

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ccecert/api/emulator"
)

// rootsChildEnv, set, makes TestSystemRootsChild the child of
// TestWithoutACAFileTheSystemRootsVerify: crypto/x509 reads the system
// roots (SSL_CERT_FILE on Linux) once a process, so each case needs a
// process of its own.
const rootsChildEnv = "CCECERT_TEST_ROOTS_CHILD"

// TestWithoutACAFileTheSystemRootsVerify: with no CCECERT_CA_FILE the
// client trusts the system's roots and nothing else. The emulator's CA as
// the system store (SSL_CERT_FILE) lists the projects; another CA there
// gets the untrusted-certificate error, with no answer read.
func TestWithoutACAFileTheSystemRootsVerify(t *testing.T) {
	isolateHome(t)
	srv := startEmulator(t, emulator.Options{})
	dir := t.TempDir()
	caFile, err := srv.WriteCAFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	other := startEmulator(t, emulator.Options{}) // a CA of its own
	otherCA, err := other.WriteCAFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	env := os.Environ()
	for _, kv := range srv.Env(caFile) {
		if !strings.HasPrefix(kv, EnvCAFile+"=") {
			env = append(env, kv)
		}
	}
	env = append(env, EnvCAFile+"=", "SSL_CERT_DIR="+filepath.Join(dir, "no-certs-dir"))
	for _, tc := range []struct {
		name, roots, want string
	}{
		{"the emulator's CA", caFile, "ok: p"},
		{"another CA", otherCA, "error: list projects: the endpoint's TLS certificate is not trusted"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestSystemRootsChild$", "-test.count=1")
			cmd.Env = append(env, rootsChildEnv+"=1", "SSL_CERT_FILE="+tc.roots)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			if !strings.Contains(string(out), "\n"+tc.want) && !strings.HasPrefix(string(out), tc.want) {
				t.Errorf("child printed %q, want a line starting %q", out, tc.want)
			}
		})
	}
}

// TestSystemRootsChild is the child process of
// TestWithoutACAFileTheSystemRootsVerify; alone, it has nothing to do.
func TestSystemRootsChild(t *testing.T) {
	if os.Getenv(rootsChildEnv) == "" {
		t.Skip("the child process of TestWithoutACAFileTheSystemRootsVerify")
	}
	cfg, err := ConfigFromEnv(os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.CAFile != "" {
		t.Fatalf("CAFile = %q, want none", cfg.CAFile)
	}
	cfg.UserAgent = "ccecert/test"
	cfg.Retry = RetryPolicy{Sleep: func(context.Context, time.Duration) error { return nil }}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	projects, err := c.Projects(t.Context())
	if err != nil {
		os.Stdout.WriteString("error: " + err.Error() + "\n")
		return
	}
	os.Stdout.WriteString("ok: " + strings.Repeat("p", len(projects)) + "\n")
}
