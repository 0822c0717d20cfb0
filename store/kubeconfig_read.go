package store

import (
	"fmt"
	"path/filepath"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

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

// readKubeconfigFile reads and parses one kubeconfig with the size limit;
// nil, nil when it does not exist.
func readKubeconfigFile(path string) (*clientcmdapi.Config, error) {
	data, err := ReadLocalFile(path, MaxKubeconfigSize)
	if errIsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	cfg, err := loadKubeconfig(data)
	if err != nil {
		return nil, fmt.Errorf("kubeconfig %s is malformed: %w", path, err)
	}
	return cfg, nil
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

// takenNames are the context, cluster and user names of other kubeconfig
// files in the same $KUBECONFIG list: kubectl's first-file-wins merge would
// let one name shadow the other, so a new entry must not reuse them.
type takenNames struct {
	contexts, clusters, users map[string]string // name → the file that has it
}

// namesIn collects the names of the files in others, skipping self and
// missing files. A file that cannot be read is an error: a name in it
// could clash unseen.
func namesIn(others []string, self string) (takenNames, error) {
	t := takenNames{contexts: map[string]string{}, clusters: map[string]string{}, users: map[string]string{}}
	selfAbs, _ := filepath.Abs(self)
	for _, p := range others {
		if abs, _ := filepath.Abs(p); p == "" || abs == selfAbs || resolveLink(abs) == resolveLink(selfAbs) {
			continue
		}
		cfg, err := readKubeconfigFile(p)
		if err != nil {
			return takenNames{}, fmt.Errorf("check names in the other $KUBECONFIG file %s: %w", p, err)
		}
		if cfg == nil {
			continue
		}
		addNames(t.contexts, cfg.Contexts, p)
		addNames(t.clusters, cfg.Clusters, p)
		addNames(t.users, cfg.AuthInfos, p)
	}
	return t, nil
}

func addNames[V any](into map[string]string, m map[string]V, file string) {
	for n := range m {
		if _, ok := into[n]; !ok {
			into[n] = file
		}
	}
}
