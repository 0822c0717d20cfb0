package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
	"sigs.k8s.io/yaml"
)

// loadKubeconfig parses a kubeconfig (YAML or JSON) with clientcmd, after
// turning UCS's string booleans ("insecure-skip-tls-verify": "false") into
// real ones. Empty input is an empty config; a document that is not a
// kubeconfig is an error, so it is never overwritten.
func loadKubeconfig(data []byte) (*clientcmdapi.Config, error) {
	doc, err := parseKubeconfig(data)
	return doc.cfg, err
}

// kubeDoc is a parsed kubeconfig and what parsing it learnt about what a
// rewrite would drop.
type kubeDoc struct {
	cfg *clientcmdapi.Config
	// scanned: read by scanYAML, so it has no comments or anchors, and
	// its top-level keys are topKeys.
	scanned bool
	topKeys []string
}

// lost is lostContent(data) for the document data parsed into.
func (d kubeDoc) lost(data []byte) string {
	if !d.scanned {
		return lostContent(data)
	}
	return lostText(false, false, droppedKeys(d.topKeys))
}

// parseKubeconfig is loadKubeconfig. Block YAML as go-yaml writes it
// (kubectl's, clientcmd's and ccecert's files) is read by scanYAML and
// decoded from JSON by clientcmd's own scheme; anything else goes the way
// clientcmd.Load goes, through sigs.k8s.io/yaml. Both give the same Config.
func parseKubeconfig(data []byte) (kubeDoc, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return kubeDoc{cfg: clientcmdapi.NewConfig()}, nil
	}
	if len(data) > MaxKubeconfigSize {
		return kubeDoc{}, fmt.Errorf("kubeconfig is %d bytes, %w (%s)", len(data), ErrTooLarge, sizeText(MaxKubeconfigSize))
	}
	m, scanned := scanYAML(data)
	if !scanned {
		var err error
		if m, err = slowTree(data); err != nil {
			return kubeDoc{}, err
		}
		if m == nil {
			return kubeDoc{cfg: clientcmdapi.NewConfig()}, nil
		}
	}
	if !hasKubeconfigKey(m) {
		return kubeDoc{}, errors.New("not a kubeconfig: none of clusters, users, contexts, current-context, apiVersion or kind is set")
	}
	if err := normaliseBools(m); err != nil {
		return kubeDoc{}, err
	}
	js, err := json.Marshal(m)
	if err != nil {
		return kubeDoc{}, err
	}
	doc := kubeDoc{scanned: scanned}
	if scanned {
		doc.cfg, err = decodeKubeconfigJSON(m, js) // js has no numbers: what clientcmd.Load(js) gives
		for k := range m {
			doc.topKeys = append(doc.topKeys, k)
		}
	} else {
		doc.cfg, err = clientcmd.Load(js)
	}
	if err != nil {
		return kubeDoc{}, fmt.Errorf("kubeconfig does not parse: %w", err)
	}
	return doc, nil
}

// slowTree is the document as json.Unmarshal reads sigs.k8s.io/yaml's
// JSON of it; nil, nil for an empty (null) document.
func slowTree(data []byte) (map[string]any, error) {
	js, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil, fmt.Errorf("not YAML or JSON: %w", err)
	}
	var doc any
	if err := json.Unmarshal(js, &doc); err != nil {
		return nil, fmt.Errorf("not YAML or JSON: %w", err)
	}
	m, ok := doc.(map[string]any)
	if !ok {
		if doc == nil {
			return nil, nil
		}
		return nil, errors.New("not a kubeconfig: the document is not a mapping")
	}
	return m, nil
}

// loadOutsideKubeconfig is loadKubeconfig for files from elsewhere (imports,
// scans), which also refuses documentation examples masked with ******.
func loadOutsideKubeconfig(data []byte) (*clientcmdapi.Config, error) {
	if bytes.Contains(data, []byte("******")) {
		return nil, ErrMasked
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("the kubeconfig is empty")
	}
	return loadKubeconfig(data)
}

func hasKubeconfigKey(m map[string]any) bool {
	for _, k := range []string{"clusters", "users", "contexts", "current-context", "apiVersion", "kind", "preferences"} {
		if _, ok := m[k]; ok {
			return true
		}
	}
	return false
}

// normaliseBools rewrites clusters[].cluster["insecure-skip-tls-verify"]
// given as a string (UCS) into a JSON boolean.
func normaliseBools(m map[string]any) error {
	list, ok := m["clusters"].([]any)
	if !ok {
		return nil
	}
	for _, item := range list {
		named, ok := item.(map[string]any)
		if !ok {
			continue
		}
		cluster, ok := named["cluster"].(map[string]any)
		if !ok {
			continue
		}
		v, ok := cluster["insecure-skip-tls-verify"].(string)
		if !ok {
			continue
		}
		if v == "" {
			delete(cluster, "insecure-skip-tls-verify")
			continue
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			return fmt.Errorf("cluster %v: insecure-skip-tls-verify is %q, not true or false", named["name"], v)
		}
		cluster["insecure-skip-tls-verify"] = b
	}
	return nil
}
