//go:build bench

package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// builtBench is ccecert built from this module once per test run: the
// binary the bench times, as an operator installs it.
var builtBench struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// benchBinary returns the path of ccecert built from the module root
// (`go build -o <tmp>/ccecert .`), building it on first use; the test is
// skipped without a go toolchain.
func benchBinary(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go toolchain on PATH to build ccecert: %v", err)
	}
	b := &builtBench
	b.once.Do(func() {
		if b.dir, b.err = os.MkdirTemp("", "ccecert-bench-bin-*"); b.err != nil {
			return
		}
		b.path = filepath.Join(b.dir, "ccecert")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, goBin, "build", "-o", b.path, ".") // the test runs in the module root
		if out, err := cmd.CombinedOutput(); err != nil {
			b.err = fmt.Errorf("go build ccecert: %w\n%s", err, out)
		}
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.path
}

// removeBenchBinary removes what benchBinary built, if anything.
func removeBenchBinary() {
	if builtBench.dir != "" {
		os.RemoveAll(builtBench.dir)
	}
}

// binaryVersion is the version `exe version` prints on its first line
// ("ccecert VERSION"; commit and toolchain follow).
func binaryVersion(ctx context.Context, exe string) (string, error) {
	out, err := exec.CommandContext(ctx, exe, "version").Output()
	if err != nil {
		return "", fmt.Errorf("%s version: %w", exe, err)
	}
	first, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return strings.TrimPrefix(strings.TrimSpace(first), "ccecert "), nil
}
