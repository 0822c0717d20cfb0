package emulator

import (
	"crypto/sha1"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
)

// ServeHTTP is the target's tiny Kubernetes API server: /version, /api,
// /api/v1, /apis and /api/v1/namespaces for a client certificate issued by
// the target's CA that is neither expired nor revoked (or, for token fleets,
// a bearer token it issued); 401 otherwise.
func (rt *targetRuntime) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !rt.authenticated(r) {
		writeKubeStatus(w, http.StatusUnauthorized, "Unauthorized", "Unauthorized")
		return
	}
	if r.Method != http.MethodGet {
		writeKubeStatus(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "the server does not allow this method on the requested resource")
		return
	}
	switch strings.TrimSuffix(r.URL.Path, "/") {
	case "/version":
		writeJSON(w, http.StatusOK, rt.version())
	case "/api":
		writeJSON(w, http.StatusOK, map[string]any{
			"kind": "APIVersions", "versions": []string{"v1"},
			"serverAddressByClientCIDRs": []map[string]string{{"clientCIDR": "0.0.0.0/0", "serverAddress": r.Host}},
		})
	case "/api/v1":
		writeJSON(w, http.StatusOK, map[string]any{
			"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "v1",
			"resources": []map[string]any{{
				"name": "namespaces", "singularName": "namespace", "namespaced": false,
				"kind": "Namespace", "verbs": []string{"get", "list"}, "shortNames": []string{"ns"},
			}},
		})
	case "/apis":
		writeJSON(w, http.StatusOK, map[string]any{"kind": "APIGroupList", "apiVersion": "v1", "groups": []any{}})
	case "/api/v1/namespaces":
		writeJSON(w, http.StatusOK, namespaceList())
	case "/healthz", "/livez", "/readyz":
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("ok"))
	default:
		writeKubeStatus(w, http.StatusNotFound, "NotFound", "the server could not find the requested resource")
	}
}

// authenticated checks the client certificate (or bearer token).
func (rt *targetRuntime) authenticated(r *http.Request) bool {
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		ca, err := rt.authority()
		if err != nil {
			return false
		}
		cert := r.TLS.PeerCertificates[0]
		if ca.verifyClient(cert, r.TLS.PeerCertificates[1:], rt.s.now()) != nil {
			return false
		}
		return !rt.revokedCert(cert)
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		return false
	}
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return rt.tokens[tokenHash(tok)]
}

// version is the /version answer for the target's gitVersion.
func (rt *targetRuntime) version() map[string]string {
	major, minor, _ := parseVersion(rt.gitVersion)
	sum := sha1.Sum([]byte(rt.gitVersion))
	return map[string]string{
		"major": strconv.Itoa(major), "minor": strconv.Itoa(minor),
		"gitVersion": rt.gitVersion, "gitCommit": hex.EncodeToString(sum[:]),
		"gitTreeState": "clean", "buildDate": "2025-01-15T08:00:00Z",
		"goVersion": "go1.23.4", "compiler": "gc", "platform": "linux/amd64",
	}
}

// namespaceList is the namespaces every emulated cluster has.
func namespaceList() map[string]any {
	var items []map[string]any
	for _, ns := range []string{"default", "kube-node-lease", "kube-public", "kube-system"} {
		items = append(items, map[string]any{
			"metadata": map[string]any{"name": ns, "uid": uuidID("namespace", ns), "creationTimestamp": "2025-01-15T08:00:00Z"},
			"spec":     map[string]any{"finalizers": []string{"kubernetes"}},
			"status":   map[string]any{"phase": "Active"},
		})
	}
	return map[string]any{
		"kind": "NamespaceList", "apiVersion": "v1",
		"metadata": map[string]any{"resourceVersion": "1"}, "items": items,
	}
}

// writeKubeStatus answers a Kubernetes Status object.
func writeKubeStatus(w http.ResponseWriter, code int, reason, msg string) {
	writeJSON(w, code, map[string]any{
		"kind": "Status", "apiVersion": "v1", "metadata": map[string]any{},
		"status": "Failure", "message": msg, "reason": reason, "code": code,
	})
}
