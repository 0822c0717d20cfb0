package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// KubeContext is one context of the $KUBECONFIG files as kubectl merges
// them: the first file that names a context, cluster or user wins, and
// later entries of the same name are shadowed.
type KubeContext struct {
	Name      string
	Cluster   string // the cluster entry's name
	Server    string // "" when the cluster entry is missing
	User      string // the user entry's name
	Namespace string
	File      string // the file the context comes from
	Current   bool
	// Ours: ccecert wrote it (the context and its user carry ccecert's
	// mark), so ccecert may delete it. Foreign contexts are never deleted.
	Ours   bool
	Target string // the api.Target key ccecert wrote it for; "" if foreign
	// Fingerprint is the SHA-256 (hex) of the user's inline client
	// certificate, if it has one: it finds imported and scanned
	// credentials whose recorded file or name moved.
	Fingerprint string
	// Credential is the id of the stored credential it maps to ("" when
	// none), and Source where that came from; see MatchCredentials.
	Credential string
	Source     Source
}

// ContextList is every context of a $KUBECONFIG list.
type ContextList struct {
	Contexts    []KubeContext // sorted by name
	Current     string        // kubectl's current-context: the first file that sets it wins
	CurrentFile string        // the file that set it
	Files       []string      // the files read, in order (missing ones left out)
	// Problems are the files that could not be read, one sentence each;
	// the others are still listed (kubectl itself would refuse them all).
	Problems []string
}

// Find returns the context named name.
func (l ContextList) Find(name string) (KubeContext, bool) {
	i := slices.IndexFunc(l.Contexts, func(c KubeContext) bool { return c.Name == name })
	if i < 0 {
		return KubeContext{}, false
	}
	return l.Contexts[i], true
}

// ListContexts reads every file of paths (the $KUBECONFIG list, in order)
// and merges them as clientcmd does (loader.go, Load: first file wins for a
// name and for current-context). A missing file is skipped, a malformed one
// is named in Problems.
func ListContexts(paths []string) ContextList {
	var l ContextList
	clusters := map[string]*clientcmdapi.Cluster{}
	users := map[string]*clientcmdapi.AuthInfo{}
	seen := map[string]bool{}
	var ctxs []KubeContext
	for _, p := range paths {
		cfg, err := readKubeconfigFile(p)
		if err != nil {
			l.Problems = append(l.Problems, err.Error())
			continue
		}
		if cfg == nil {
			continue
		}
		l.Files = append(l.Files, p)
		if l.Current == "" && cfg.CurrentContext != "" {
			l.Current, l.CurrentFile = cfg.CurrentContext, p
		}
		addFirst(clusters, cfg.Clusters)
		addFirst(users, cfg.AuthInfos)
		for _, name := range sortedKeys(cfg.Contexts) {
			if seen[name] {
				continue
			}
			seen[name] = true
			c := cfg.Contexts[name]
			w, _ := ownerOf(c.Extensions)
			ctxs = append(ctxs, KubeContext{Name: name, Cluster: c.Cluster, User: c.AuthInfo, Namespace: c.Namespace, File: p, Target: w.Target})
		}
	}
	for i := range ctxs {
		c := &ctxs[i]
		if cl, ok := clusters[c.Cluster]; ok {
			c.Server = cl.Server
		}
		ai, ok := users[c.User]
		c.Ours = c.Target != "" && ok && isOurs(ai.Extensions)
		if !c.Ours {
			c.Target = ""
		}
		if ok {
			c.Fingerprint = certFingerprint(ai.ClientCertificateData)
		}
		c.Current = c.Name == l.Current
	}
	l.Contexts = ctxs
	slices.SortFunc(l.Contexts, func(a, b KubeContext) int { return strings.Compare(a.Name, b.Name) })
	return l
}

func addFirst[V any](into, from map[string]V) {
	for n, v := range from {
		if _, ok := into[n]; !ok {
			into[n] = v
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// certFingerprint is the SHA-256 hex of a PEM certificate's DER, as
// Credential.Fingerprint records it; "" when data holds none.
func certFingerprint(data []byte) string {
	b, _ := pem.Decode(data)
	if b == nil || b.Type != "CERTIFICATE" {
		return ""
	}
	sum := sha256.Sum256(b.Bytes)
	return hex.EncodeToString(sum[:])
}

// MatchCredentials fills each context's Credential and Source from creds:
// the credential recorded as written to that file under that name, else
// the one whose certificate the context's user holds. Active credentials
// win over revoked ones; replaced ones are never matched.
func (l *ContextList) MatchCredentials(creds []Credential) {
	byName := map[[2]string]*Credential{}
	byPrint := map[string]*Credential{}
	better := func(old *Credential, c *Credential) bool { return old == nil || (!old.Active() && c.Active()) }
	// The files are few and the credentials many: resolve each file once
	// (sameFile walks the path's links, a syscall a component: for 10,000
	// credentials it was over half the TUI's dataset build).
	resolved := map[string]string{}
	fileOf := func(p string) string {
		r, ok := resolved[p]
		if !ok {
			r = sameFile(p)
			resolved[p] = r
		}
		return r
	}
	for i := range creds {
		c := &creds[i]
		if c.ReplacedBy != "" || c.Damage != "" {
			continue
		}
		for _, name := range c.Contexts {
			k := [2]string{fileOf(c.Kubeconfig), name}
			if better(byName[k], c) {
				byName[k] = c
			}
		}
		if c.Fingerprint != "" && better(byPrint[c.Fingerprint], c) {
			byPrint[c.Fingerprint] = c
		}
	}
	for i := range l.Contexts {
		k := &l.Contexts[i]
		c := byName[[2]string{fileOf(k.File), k.Name}]
		if c == nil && k.Fingerprint != "" {
			c = byPrint[k.Fingerprint]
		}
		if c != nil {
			k.Credential, k.Source = c.ID, c.Source
		}
	}
}

// sameFile is a path's identity for matching: absolute, links resolved.
func sameFile(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		p = abs
	}
	return resolveLink(p)
}

// CurrentContextFile is the file kubectl writes current-context to
// (clientcmd config.go, PathOptions.GetDefaultFilename): the only file of a
// one-file list, else the first that exists, else the last. Being first
// among the files that exist, its current-context wins the merge.
func CurrentContextFile(paths []string) string {
	switch len(paths) {
	case 0:
		return ""
	case 1:
		return paths[0]
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return paths[len(paths)-1]
}

// previousContextFile is where SwitchContext remembers the context it
// switched away from, for `-` (kubectx keeps its own in ~/.kube/kubectx;
// ccecert's lives in its data dir, so the demo's never mixes with the
// operator's).
const previousContextFile = "previous-context"

// PreviousContextPath is the file in the store's data dir that remembers
// the context the last switch left.
func (s *Store) PreviousContextPath() string {
	return filepath.Join(s.paths.dataDir, previousContextFile)
}

// SwitchResult is what SwitchContext did.
type SwitchResult struct {
	File     string   // the file current-context was written to
	Previous string   // the current context before ("" when none was set)
	Notices  []string // the write's news (see MergeResult)
}

// SwitchContext makes name kubectl's current context across paths,
// writing it where kubectl would (CurrentContextFile) through the safe
// write path, and remembers the context it replaced in prevFile (if not
// ""). name must be a context of the list.
func SwitchContext(ctx context.Context, paths []string, name, prevFile string) (SwitchResult, error) {
	l := ListContexts(paths)
	if _, ok := l.Find(name); !ok {
		return SwitchResult{}, noContextError(name, l)
	}
	file := CurrentContextFile(paths)
	notices, err := updateKubeconfig(file, fileOptions{ctx: ctx}, func(cfg *clientcmdapi.Config) error {
		cfg.CurrentContext = name
		return nil
	})
	if err != nil {
		return SwitchResult{}, err
	}
	if prevFile != "" && l.Current != "" && l.Current != name {
		if err := writeFileAtomic(prevFile, []byte(l.Current+"\n")); err != nil {
			notices = append(notices, fmt.Sprintf("could not remember the previous context %s for `-`: %v", l.Current, err))
		}
	}
	return SwitchResult{File: file, Previous: l.Current, Notices: notices}, nil
}

// PreviousContext is the context the last switch left, from prevFile.
func PreviousContext(prevFile string) (string, error) {
	data, err := ReadLocalFile(prevFile, 4<<10)
	if errIsNotExist(err) {
		return "", errors.New("no previous context: switch once first")
	}
	if err != nil {
		return "", err
	}
	name := strings.TrimSpace(string(data))
	if name == "" {
		return "", errors.New("no previous context: switch once first")
	}
	return name, nil
}

// SetContextNamespace sets a context's namespace in the file it comes from
// (as `kubectl config set-context NAME --namespace` does: clientcmd writes a
// context back to its LocationOfOrigin); "" clears it. Allowed on foreign
// contexts: it is the operator asking.
func SetContextNamespace(ctx context.Context, paths []string, name, namespace string) (KubeContext, error) {
	l := ListContexts(paths)
	k, ok := l.Find(name)
	if !ok {
		return KubeContext{}, noContextError(name, l)
	}
	namespace = strings.TrimSpace(namespace)
	if msg := validNamespace(namespace); msg != "" {
		return KubeContext{}, fmt.Errorf("namespace %q %s; nothing was changed", namespace, msg)
	}
	_, err := updateKubeconfig(k.File, fileOptions{ctx: ctx}, func(cfg *clientcmdapi.Config) error {
		c, ok := cfg.Contexts[name]
		if !ok {
			return fmt.Errorf("context %s is no longer in it", name)
		}
		c.Namespace = namespace
		return nil
	})
	k.Namespace = namespace
	return k, err
}

// validNamespace checks a Kubernetes namespace name (an RFC 1123 label);
// it says what is wrong, or "" when it is fine (or empty: cleared).
func validNamespace(ns string) string {
	if len(ns) > 63 {
		return "is longer than 63 characters"
	}
	for i, r := range ns {
		ok := (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || (r == '-' && i > 0 && i < len(ns)-1)
		if !ok {
			return "is not a namespace name: lower-case letters, digits and '-' (not at either end)"
		}
	}
	return ""
}

// ErrForeignContext refuses to delete a context ccecert did not write.
var ErrForeignContext = errors.New("not written by ccecert")

// DeleteContext removes a context ccecert wrote from its file, with its
// cluster and user when nothing else uses them (RemoveContextsFile); a
// foreign context is refused (ErrForeignContext) and nothing changes.
func DeleteContext(ctx context.Context, paths []string, name string) (RemoveResult, error) {
	l := ListContexts(paths)
	k, ok := l.Find(name)
	if !ok {
		return RemoveResult{}, noContextError(name, l)
	}
	if !k.Ours {
		return RemoveResult{}, fmt.Errorf("context %s is %w (in %s): ccecert deletes only its own; use `kubectl config delete-context %s`", name, ErrForeignContext, k.File, name)
	}
	res, err := RemoveContextsFile(ctx, k.File, []string{name})
	if err == nil && len(res.Removed) == 0 {
		err = fmt.Errorf("context %s is %w any more (in %s); nothing was changed", name, ErrForeignContext, k.File)
	}
	return res, err
}

// noContextError says a name is not among the list's contexts.
func noContextError(name string, l ContextList) error {
	if len(l.Problems) > 0 {
		return fmt.Errorf("no context %q in the kubeconfig files (%s)", name, strings.Join(l.Problems, "; "))
	}
	return fmt.Errorf("no context %q in the kubeconfig files %s: `ccecert use` lists them", name, strings.Join(l.Files, ", "))
}
