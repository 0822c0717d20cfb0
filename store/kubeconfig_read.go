package store

import (
	"fmt"
	"path/filepath"

	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

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
