package cli

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// The environment the test run started with, before any test isolated
// HOME: the build uses it, so it finds the warm build cache.
var startEnv []string

// builtBinary is ccecert built once for every test of this package that
// runs it as a process.
var builtBinary struct {
	once sync.Once
	dir  string
	path string
	err  error
}

func TestMain(m *testing.M) {
	startEnv = os.Environ()
	code := m.Run()
	if builtBinary.dir != "" {
		os.RemoveAll(builtBinary.dir)
	}
	os.Exit(code)
}

// ccecertBinary returns the path of ccecert built from this tree, building
// it on first use; the test is skipped without a go toolchain.
func ccecertBinary(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skipf("no go toolchain on PATH to build the binary: %v", err)
	}
	b := &builtBinary
	b.once.Do(func() {
		if b.dir, b.err = os.MkdirTemp("", "ccecert-test-bin-*"); b.err != nil {
			return
		}
		b.path = filepath.Join(b.dir, "ccecert")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "go", "build", "-o", b.path, "ccecert")
		cmd.Env = startEnv
		if out, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build: %w\n%s", err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}
