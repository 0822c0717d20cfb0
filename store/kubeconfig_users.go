package store

import (
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/url"
	"path/filepath"
	"sort"
	"strings"

	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"ccecert/api"
)

// foundUser is one user entry of a kubeconfig, what it authenticates with
// and the contexts that use it. Reading it never contacts any server.
type foundUser struct {
	name     string
	contexts []string     // context names using it, current first
	clusters []ClusterRef // one per context, role guessed from names
	cert     []byte       // as found: PEM, base64 or DER
	key      []byte
	token    string
	certErr  error // a referenced certificate file could not be read
	keyErr   error // a referenced key file could not be read
}

// collectUsers lists the user entries of cfg, sorted by name. Relative
// certificate paths are read relative to baseDir.
func collectUsers(cfg *clientcmdapi.Config, baseDir string) []foundUser {
	names := make([]string, 0, len(cfg.AuthInfos))
	for n := range cfg.AuthInfos {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []foundUser
	for _, n := range names {
		ai := cfg.AuthInfos[n]
		if ai == nil {
			continue
		}
		u := foundUser{name: n, cert: ai.ClientCertificateData, key: ai.ClientKeyData, token: ai.Token}
		if len(u.cert) == 0 && ai.ClientCertificate != "" {
			u.cert, u.certErr = readSmall(ai.ClientCertificate, baseDir)
		}
		if len(u.key) == 0 && ai.ClientKey != "" {
			u.key, u.keyErr = readSmall(ai.ClientKey, baseDir)
		}
		u.contexts, u.clusters = contextsOf(cfg, n)
		out = append(out, u)
	}
	return out
}

// contextsOf finds the contexts using user, the current one first.
func contextsOf(cfg *clientcmdapi.Config, user string) ([]string, []ClusterRef) {
	var names []string
	for n, c := range cfg.Contexts {
		if c != nil && c.AuthInfo == user {
			names = append(names, n)
		}
	}
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == cfg.CurrentContext) != (names[j] == cfg.CurrentContext) {
			return names[i] == cfg.CurrentContext
		}
		return names[i] < names[j]
	})
	var refs []ClusterRef
	var kept []string
	for _, n := range names {
		cl := cfg.Clusters[cfg.Contexts[n].Cluster]
		if cl == nil {
			continue
		}
		kept = append(kept, n)
		refs = append(refs, ClusterRef{
			Role: guessRole(n, cfg.Contexts[n].Cluster, cl.InsecureSkipTLSVerify), Name: n,
			Server: cl.Server, CAData: cl.CertificateAuthorityData, Insecure: cl.InsecureSkipTLSVerify,
			TLSServerName: cl.TLSServerName,
		})
	}
	return kept, refs
}

// guessRole reads CCE's names (internal/internalCluster,
// external/externalCluster); otherwise an insecure context is external.
func guessRole(ctxName, clusterName string, insecure bool) api.ContextRole {
	switch {
	case ctxName == "internal" || clusterName == "internalCluster":
		return api.RoleInternal
	case ctxName == "external" || clusterName == "externalCluster":
		return api.RoleExternal
	case insecure:
		return api.RoleExternal
	}
	return api.RoleInternal
}

// readSmall reads a referenced certificate or key file (1 MiB at most).
func readSmall(path, baseDir string) ([]byte, error) {
	if !filepath.IsAbs(path) && baseDir != "" {
		path = filepath.Join(baseDir, path)
	}
	return ReadLocalFile(path, maxRefFileSize)
}

// endpointIndex maps canonical server URLs of known targets to the target
// and the role that endpoint plays.
type endpointIndex map[string]endpointMatch

type endpointMatch struct {
	target api.Target
	role   api.ContextRole
}

func newEndpointIndex(targets []TargetRecord) endpointIndex {
	idx := endpointIndex{}
	for _, r := range targets {
		internal, external := api.RoleInternal, api.RoleExternal
		if r.Kind == api.KindFleet {
			internal, external = api.RoleFederation, api.RoleFederation
		}
		if u := canonURL(r.Endpoints.Internal); u != "" {
			idx[u] = endpointMatch{r.Target, internal}
		}
		if u := canonURL(r.Endpoints.External); u != "" {
			idx[u] = endpointMatch{r.Target, external}
		}
	}
	return idx
}

// match resolves the clusters of a user to one known target, setting the
// roles from the matched endpoints; false when none matches.
func (idx endpointIndex) match(refs []ClusterRef) (api.Target, []ClusterRef, bool) {
	var found *api.Target
	out := append([]ClusterRef(nil), refs...)
	for i, r := range refs {
		m, ok := idx[canonURL(r.Server)]
		if !ok || (found != nil && m.target.Key() != found.Key()) {
			continue
		}
		t := m.target
		found = &t
		out[i].Role = m.role
	}
	if found == nil {
		return api.Target{}, refs, false
	}
	return *found, out, true
}

// unmatchedTarget stands for a cluster ccecert does not know: kind cce, id
// "unmatched:<hash of its servers>", named after its cluster entry.
func unmatchedTarget(clusterName string, refs []ClusterRef) api.Target {
	servers := make([]string, 0, len(refs))
	for _, r := range refs {
		servers = append(servers, canonURL(r.Server))
	}
	sort.Strings(servers)
	sum := sha256.Sum256([]byte(strings.Join(servers, "\n")))
	t := api.Target{Kind: api.KindCCE, ID: "unmatched:" + hex.EncodeToString(sum[:4]), Name: clusterName}
	for _, r := range refs {
		switch r.Role {
		case api.RoleExternal:
			t.Endpoints.External = r.Server
		default:
			if t.Endpoints.Internal == "" {
				t.Endpoints.Internal = r.Server
			}
		}
	}
	return t
}

// canonURL normalises a server URL for comparison: lower-case scheme and
// host, default port made explicit, no trailing slash. "" when unparsable.
func canonURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	host, port, err := net.SplitHostPort(u.Host)
	if err != nil {
		host, port = u.Host, ""
	}
	if port == "" {
		port = map[string]string{"https": "443", "http": "80"}[scheme]
	}
	return scheme + "://" + net.JoinHostPort(strings.ToLower(strings.Trim(host, "[]")), port) + strings.TrimRight(u.Path, "/")
}
