package store

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// What only tests use: kept out of the product.

// LoadKubeconfigs reads kubeconfig files as kubectl does with a $KUBECONFIG
// list: merged, the first file winning for a name and for current-context.
// Missing files are skipped; a malformed, oversized or irregular one is an
// error naming it.
func LoadKubeconfigs(paths []string) (*clientcmdapi.Config, error) {
	out := clientcmdapi.NewConfig()
	for _, p := range paths {
		cfg, err := readKubeconfigFile(p)
		if err != nil {
			return nil, fmt.Errorf("read kubeconfig: %w", err)
		}
		if cfg == nil {
			continue
		}
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		for _, c := range cfg.Clusters {
			c.LocationOfOrigin = p
		}
		for _, a := range cfg.AuthInfos {
			a.LocationOfOrigin = p
		}
		if err := clientcmd.ResolveLocalPaths(cfg); err != nil {
			return nil, fmt.Errorf("read kubeconfig %s: %w", p, err)
		}
		mergeFirstWins(out, cfg)
	}
	return out, nil
}

// mergeFirstWins adds to dst what src has that dst does not.
func mergeFirstWins(dst, src *clientcmdapi.Config) {
	if dst.CurrentContext == "" {
		dst.CurrentContext = src.CurrentContext
	}
	for n, c := range src.Clusters {
		if _, ok := dst.Clusters[n]; !ok {
			dst.Clusters[n] = c
		}
	}
	for n, a := range src.AuthInfos {
		if _, ok := dst.AuthInfos[n]; !ok {
			dst.AuthInfos[n] = a
		}
	}
	for n, c := range src.Contexts {
		if _, ok := dst.Contexts[n]; !ok {
			dst.Contexts[n] = c
		}
	}
}

// RemoveContexts is RemoveContextsFile without a context or notices.
func RemoveContexts(path string, contexts []string) (removed, kept []string, err error) {
	r, err := RemoveContextsFile(context.Background(), path, contexts)
	return r.Removed, r.Kept, err
}

// ID is the short stable credential id of the certificate: the first 8 hex
// digits of its SHA-256 fingerprint.
func (c CertInfo) ID() string { return shortID(c.FingerprintSHA256, 8) }

// Lifetime is NotAfter − NotBefore.
func (c CertInfo) Lifetime() time.Duration { return c.NotAfter.Sub(c.NotBefore) }
