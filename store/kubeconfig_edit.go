package store

import (
	"context"
	"fmt"
	"slices"

	"k8s.io/apimachinery/pkg/runtime"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// RemoveResult is what RemoveContextsFile did.
type RemoveResult struct {
	Removed []string // context names taken out
	Kept    []string // context names left: no longer ccecert's
	Notices []string // the write's news for the operator, once (see MergeResult)
	// ClearedCurrent is the current-context the removal took away; none
	// is set in its place (ccecert never picks one).
	ClearedCurrent string
}

// RemoveContextsFile takes the named contexts out of the kubeconfig at
// path, with the clusters and users only they used that ccecert wrote. A
// context is removed only while it is still ccecert's: written by it (its
// extension) and using a user ccecert wrote; one the operator made or
// pointed at a user of their own is left, and named in Kept. Absent names
// are neither. A removed current-context is cleared. The context ends the
// wait for another writer's lock.
func RemoveContextsFile(ctx context.Context, path string, contexts []string) (RemoveResult, error) {
	var removed, kept []string
	var cleared string
	notices, err := updateKubeconfig(path, fileOptions{ctx: ctx}, func(cfg *clientcmdapi.Config) error {
		removed, kept, cleared = nil, nil, "" // a retried update starts over
		for _, name := range contexts {
			c, ok := cfg.Contexts[name]
			if !ok {
				continue
			}
			if ai, ok := cfg.AuthInfos[c.AuthInfo]; !isOurs(c.Extensions) || !ok || !isOurs(ai.Extensions) {
				kept = append(kept, name)
				continue
			}
			removed = append(removed, name)
			delete(cfg.Contexts, name)
			if cfg.CurrentContext == name {
				cfg.CurrentContext, cleared = "", name
			}
			if cl, ok := cfg.Clusters[c.Cluster]; ok && isOurs(cl.Extensions) && !inUse(cfg, func(o *clientcmdapi.Context) bool { return o.Cluster == c.Cluster }) {
				delete(cfg.Clusters, c.Cluster)
			}
			if !inUse(cfg, func(o *clientcmdapi.Context) bool { return o.AuthInfo == c.AuthInfo }) {
				delete(cfg.AuthInfos, c.AuthInfo)
			}
		}
		return nil
	})
	if err != nil {
		return RemoveResult{}, err
	}
	return RemoveResult{Removed: removed, Kept: kept, Notices: notices, ClearedCurrent: cleared}, nil
}

// SetCurrentContext makes name the kubeconfig's current context; it must
// exist in that file.
func SetCurrentContext(path, name string) error {
	_, err := updateKubeconfig(path, fileOptions{}, func(cfg *clientcmdapi.Config) error {
		if _, ok := cfg.Contexts[name]; !ok {
			names := make([]string, 0, len(cfg.Contexts))
			for n := range cfg.Contexts {
				names = append(names, n)
			}
			slices.Sort(names)
			return fmt.Errorf("no context %q in it (has %d: %v)", name, len(names), names)
		}
		cfg.CurrentContext = name
		return nil
	})
	return err
}

func isOurs(ext map[string]runtime.Object) bool {
	_, ok := ownerOf(ext)
	return ok
}

func inUse(cfg *clientcmdapi.Config, match func(*clientcmdapi.Context) bool) bool {
	for _, c := range cfg.Contexts {
		if match(c) {
			return true
		}
	}
	return false
}
