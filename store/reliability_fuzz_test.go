package store

import (
	"bytes"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/tools/clientcmd"

	"ccecert/api"
	"ccecert/assets"
)

// Fuzz targets for the outside input store parses beyond imports and
// certificates: the config file, its durations, and the operator's own
// kubeconfig that a merge reads and rewrites.

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"30s", "10m", "1h30m", "30d", "2w", "0d", "-5s", "-1d", "99999d", "15250w", "15251w",
		"31000w", "99999w", "100000d", "9223372036854775807ns", "1e3d", "d", "", " 7d "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDuration(s)
		if err != nil {
			return
		}
		in := strings.TrimSpace(s)
		if n := len(in); n > 1 && (in[n-1] == 'd' || in[n-1] == 'w') {
			v, ok := new(big.Int).SetString(in[:n-1], 10)
			if !ok {
				return // a Go duration ending in d? not possible; ParseDuration said ok
			}
			unit := int64(Day)
			if in[n-1] == 'w' {
				unit *= 7
			}
			if want := v.Mul(v, big.NewInt(unit)); want.Cmp(big.NewInt(int64(d))) != 0 {
				t.Fatalf("ParseDuration(%q) = %v, want %s ns: overflow", s, d, want)
			}
		}
	})
}

func FuzzConfigFile(f *testing.F) {
	for _, s := range []string{string(assets.DefaultConfig), "timeouts: {request: -5s}", "concurrency: 0", "concurrency: 1024",
		"duration: 99999w", "duration: max", "thresholds: {warning: {within: 31000w}}", "thresholds: {critical: {within: 60d}}",
		"naming: '{{.Name}}'", "naming: '{{.Name}}-{{.Context}}\n'", "naming: '{{.Nope}}'", "mode: exec", "[]", "\xff\xfe",
		"inventory_stale: 0s", "regions: [cn-north-4, '']", "keyring: yes", "bogus: 1", "timeouts: 5"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := DefaultConfig()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.apply(data, "fuzz.yaml"); err != nil {
			if !strings.Contains(err.Error(), "fuzz.yaml") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		switch {
		case c.Concurrency < 1 || c.Concurrency > 1024:
			t.Fatalf("concurrency %d accepted", c.Concurrency)
		case c.Timeouts.Request <= 0 || c.Timeouts.Region <= 0 || c.InventoryStale <= 0:
			t.Fatalf("non-positive timeouts accepted: %+v, stale %v", c.Timeouts, c.InventoryStale)
		case c.Thresholds.Warning.Within < 0 || c.Thresholds.Critical.Within < 0 || c.Thresholds.Critical.Within > c.Thresholds.Warning.Within:
			t.Fatalf("thresholds accepted: %+v", c.Thresholds)
		case c.Mode != ModeInline && c.Mode != ModeExec:
			t.Fatalf("mode %q accepted", c.Mode)
		case ValidateNaming(c.Naming) != nil:
			t.Fatalf("naming %q accepted: %v", c.Naming, ValidateNaming(c.Naming))
		case c.Duration.Days != api.MaxDuration && (c.Duration.Days < 1 || c.Duration.Days > 1827):
			t.Fatalf("duration %v accepted", c.Duration)
		}
	})
}

// FuzzMergeIntoExisting merges a credential into an arbitrary existing
// kubeconfig: a malformed one is refused and left byte for byte; otherwise
// the result parses, holds the new contexts with their certificate, and
// keeps every context that was there.
func FuzzMergeIntoExisting(f *testing.F) {
	ca := newCA(f)
	tgt := cceTarget("prod", "cn-north-4", "c1")
	iss := issuedFor(f, ca, tgt, t0, t0.Add(Day))
	entry := entryFor(tgt, iss)
	cert, key := ca.issue(f, "u", t0, t0.Add(Day))
	for _, s := range [][]byte{[]byte(userKubeconfig), cceDownload(tgt, ca.PEM, cert, key), nil, []byte("{}"),
		[]byte("apiVersion: v1\nclusters: ["), []byte("- a\n- b"), []byte(maskedSeed),
		[]byte("contexts: [{name: prod-internal, context: {cluster: mine, user: mine}}]\nclusters: [{name: mine, cluster: {server: 'https://x'}}]\nusers: [{name: mine, user: {token: t}}]\n"),
		[]byte("clusters: [{name: a, cluster: {server: 'https://a', insecure-skip-tls-verify: 'false'}}]"),
		[]byte("apiVersion: v1\x00"), []byte("users: " + strings.Repeat("[", 20000))} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "config")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		names, err := mergeFile(path, entry, MergeOptions{LockTimeout: time.Second})
		after, rerr := os.ReadFile(path)
		if rerr != nil {
			t.Fatal(rerr)
		}
		if err != nil {
			if !bytes.Equal(after, data) {
				t.Fatalf("merge failed (%v) but changed the file", err)
			}
			return
		}
		cfg, err := clientcmd.Load(after)
		if err != nil {
			t.Fatalf("merged kubeconfig does not parse: %v", err)
		}
		for _, n := range names {
			c := cfg.Contexts[n]
			if c == nil || cfg.AuthInfos[c.AuthInfo] == nil || !bytes.Equal(cfg.AuthInfos[c.AuthInfo].ClientCertificateData, iss.CertPEM) {
				t.Fatalf("context %s missing or without the new certificate", n)
			}
		}
		if before, err := loadKubeconfig(data); err == nil {
			for n := range before.Contexts {
				if cfg.Contexts[n] == nil {
					t.Fatalf("context %q was lost", n)
				}
			}
		}
	})
}
