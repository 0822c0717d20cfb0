package store

import (
	"fmt"
	"slices"

	"k8s.io/apimachinery/pkg/runtime"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// RemoveContexts deletes the named contexts from the kubeconfig at path,
// and the cluster and user entries they used when ccecert wrote them and no
// other context still uses them. Unknown names are ignored; a removed
// current-context is cleared.
func RemoveContexts(path string, contexts []string) error {
	return updateKubeconfig(path, fileOptions{}, func(cfg *clientcmdapi.Config) error {
		for _, name := range contexts {
			c, ok := cfg.Contexts[name]
			if !ok {
				continue
			}
			delete(cfg.Contexts, name)
			if cfg.CurrentContext == name {
				cfg.CurrentContext = ""
			}
			if cl, ok := cfg.Clusters[c.Cluster]; ok && isOurs(cl.Extensions) && !inUse(cfg, func(o *clientcmdapi.Context) bool { return o.Cluster == c.Cluster }) {
				delete(cfg.Clusters, c.Cluster)
			}
			if ai, ok := cfg.AuthInfos[c.AuthInfo]; ok && isOurs(ai.Extensions) && !inUse(cfg, func(o *clientcmdapi.Context) bool { return o.AuthInfo == c.AuthInfo }) {
				delete(cfg.AuthInfos, c.AuthInfo)
			}
		}
		return nil
	})
}

// SetCurrentContext makes name the kubeconfig's current context; it must
// exist in that file.
func SetCurrentContext(path, name string) error {
	return updateKubeconfig(path, fileOptions{}, func(cfg *clientcmdapi.Config) error {
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
