package store

import (
	"encoding/json"
	"sort"

	"k8s.io/apimachinery/pkg/runtime"
)

// ownerExtension is the name of the kubeconfig extension with which
// ccecert marks the entries it wrote, so a later merge finds them (even
// renamed) and tells them from entries of other targets or of the operator.
const ownerExtension = "ccecert"

// owner is the extension's content.
type owner struct {
	Target string `json:"target"`         // api.Target.Key
	Role   string `json:"role,omitempty"` // context role, on contexts and clusters
}

// ownerOf reads the ccecert extension; false when absent or unreadable.
func ownerOf(ext map[string]runtime.Object) (owner, bool) {
	obj, ok := ext[ownerExtension]
	if !ok || obj == nil {
		return owner{}, false
	}
	var raw []byte
	switch o := obj.(type) {
	case *runtime.Unknown:
		raw = o.Raw
	default:
		b, err := json.Marshal(o)
		if err != nil {
			return owner{}, false
		}
		raw = b
	}
	var w owner
	if err := json.Unmarshal(raw, &w); err != nil || w.Target == "" {
		return owner{}, false
	}
	return w, true
}

// setOwner writes the ccecert extension, keeping any others.
func setOwner(ext map[string]runtime.Object, w owner) map[string]runtime.Object {
	if ext == nil {
		ext = map[string]runtime.Object{}
	}
	raw, _ := json.Marshal(w)
	ext[ownerExtension] = &runtime.Unknown{Raw: raw, ContentType: runtime.ContentTypeJSON}
	return ext
}

// ownedBy reports whether an entry's extensions mark it as the target's.
func ownedBy(ext map[string]runtime.Object, targetKey string) bool {
	w, ok := ownerOf(ext)
	return ok && w.Target == targetKey
}

// OwnedContexts lists the contexts of the kubeconfig at path that ccecert
// wrote for the target (by its key), sorted; none when the file is missing.
func OwnedContexts(path, targetKey string) ([]string, error) {
	cfg, err := readKubeconfigFile(path)
	if err != nil || cfg == nil {
		return nil, err
	}
	var names []string
	for n, c := range cfg.Contexts {
		if ownedBy(c.Extensions, targetKey) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names, nil
}
