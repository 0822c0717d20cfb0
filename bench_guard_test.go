//go:build !bench

package main

import (
	"os/exec"
	"testing"
)

// TestBenchHarnessVets keeps the performance harness (the bench_*_test.go
// files behind the bench build tag, run with `go test -tags bench -run
// '^TestBench$' -v .`) compiling and vet-clean in a plain `go test`, so an
// API it uses cannot change under it unseen.
func TestBenchHarnessVets(t *testing.T) {
	if testing.Short() {
		t.Skip("vets the bench-tagged harness; skipped with -short")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go toolchain on PATH to vet the bench harness: %v", err)
	}
	if out, err := exec.Command(goBin, "vet", "-tags", "bench", ".").CombinedOutput(); err != nil {
		t.Fatalf("go vet -tags bench .: %v\n%s", err, out)
	}
}
