package store

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestLocalInputBoundedAndRegularOnly: every reader of local outside input
// (kubeconfig merge, check and scan, config, certificate files a kubeconfig
// names, the $KUBECONFIG merge) refuses a device, a FIFO with no writer and
// a directory by name, and stops at its size limit, promptly.
func TestLocalInputBoundedAndRegularOnly(t *testing.T) {
	dir := hermetic(t)
	fifo := filepath.Join(dir, "fifo")
	hasFIFO := mkfifo(fifo) == nil
	huge := filepath.Join(dir, "huge.yaml")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	// Sparse: 40 MiB of size, no disk.
	if err := f.Truncate(40 << 20); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	cfgDir := filepath.Join(dir, "a-directory")
	_ = os.Mkdir(cfgDir, 0o700)
	readers := map[string]func(p string) error{
		"ReadLocalFile":   func(p string) error { _, err := ReadLocalFile(p, MaxKubeconfigSize); return err },
		"LoadConfig":      func(p string) error { _, _, err := LoadConfig(p); return err },
		"CheckKubeconfig": func(p string) error { return new(Store).CheckKubeconfig(p) },
		"LoadKubeconfigs": func(p string) error { _, err := LoadKubeconfigs([]string{p}); return err },
		"scan": func(p string) error {
			_, problems := scanFile(p, endpointIndex{}, t0)
			if len(problems) == 0 {
				return nil
			}
			return problems[0]
		},
		"certificate file": func(p string) error { _, err := readSmall(p, ""); return err },
	}
	inputs := map[string]string{"/dev/zero": "/dev/zero", "/dev/urandom": "/dev/urandom", "FIFO": fifo, "40 MiB file": huge, "directory": cfgDir}
	for rname, read := range readers {
		for iname, path := range inputs {
			if (runtime.GOOS == "windows" && strings.HasPrefix(path, "/dev")) || (iname == "FIFO" && !hasFIFO) {
				continue
			}
			t.Run(rname+"/"+iname, func(t *testing.T) {
				done := make(chan error, 1)
				go func() { done <- read(path) }()
				var err error
				select {
				case err = <-done:
				case <-time.After(30 * time.Second): // a hang, not a timing assertion
					t.Fatalf("%s of %s did not return", rname, iname)
				}
				if err == nil {
					t.Fatalf("%s of %s: no error", rname, iname)
				}
				if !strings.Contains(err.Error(), path) && !strings.Contains(err.Error(), filepath.Base(path)) {
					t.Errorf("%s of %s: error does not name the file: %v", rname, iname, err)
				}
				if iname == "40 MiB file" && !errors.Is(err, ErrTooLarge) {
					t.Errorf("%s of a 40 MiB file: %v, want ErrTooLarge", rname, err)
				}
				if iname != "40 MiB file" && !errors.Is(err, ErrNotRegular) && !errors.Is(err, ErrNotWritable) {
					t.Errorf("%s of %s: %v, want it refused as not a regular file", rname, iname, err)
				}
			})
		}
	}
}

// TestReadLimitedStream: a stream (standard input) is cut at the limit.
func TestReadLimitedStream(t *testing.T) {
	data, err := ReadLimited(bytes.NewReader(make([]byte, 100)), "stdin", 100)
	if err != nil || len(data) != 100 {
		t.Fatalf("at the limit: %d bytes, %v", len(data), err)
	}
	if _, err := ReadLimited(bytes.NewReader(make([]byte, 101)), "standard input", 100); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "standard input") {
		t.Fatalf("over the limit: %v", err)
	}
}

// TestMergeRefusesOversizedKubeconfig: a kubeconfig over the limit is
// never rewritten.
func TestMergeRefusesOversizedKubeconfig(t *testing.T) {
	path := filepath.Join(hermetic(t), "config")
	big := append([]byte(userKubeconfig), bytes.Repeat([]byte("# padding line\n"), (MaxKubeconfigSize/15)+10)...)
	if err := os.WriteFile(path, big, 0o600); err != nil {
		t.Fatal(err)
	}
	tgt := cceTarget("prod", "cn-north-4", "c1")
	if _, err := mergeFile(path, entryFor(tgt, issuedFor(t, newCA(t), tgt, t0, t0.Add(Day))), MergeOptions{}); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("merge into a %d-byte kubeconfig: %v", len(big), err)
	}
	assertUnchanged(t, path, big)
}
