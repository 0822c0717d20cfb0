package store

import (
	"fmt"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// LoadKubeconfigs reads kubeconfig files as kubectl does with a $KUBECONFIG
// list: merged, the first file winning for a name and for current-context.
// Missing files are skipped; a malformed one is an error naming it.
func LoadKubeconfigs(paths []string) (*clientcmdapi.Config, error) {
	rules := &clientcmd.ClientConfigLoadingRules{Precedence: paths}
	cfg, err := rules.Load()
	if err != nil {
		return nil, fmt.Errorf("read kubeconfig: %w", err)
	}
	return cfg, nil
}
