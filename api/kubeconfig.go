package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"sigs.k8s.io/yaml"
)

// maxKubeconfig bounds the size of a kubeconfig accepted for parsing.
const maxKubeconfig = 1 << 20

// kubeconfig is the part of a v1 Config an issued kubeconfig uses. It is
// filled from JSON/YAML (ParseKubeconfig) or from the SDK's typed response
// fields (Issue), then validated by issued().
type kubeconfig struct {
	Kind           string         `json:"kind"`
	Clusters       []namedCluster `json:"clusters"`
	Users          []namedUser    `json:"users"`
	Contexts       []namedContext `json:"contexts"`
	CurrentContext string         `json:"current-context"`

	portID string // CCE's Port-ID response header, when issued
}

type namedCluster struct {
	Name    string      `json:"name"`
	Cluster clusterInfo `json:"cluster"`
}

type clusterInfo struct {
	Server   string   `json:"server"`
	CAData   string   `json:"certificate-authority-data"`
	Insecure flexBool `json:"insecure-skip-tls-verify"`
}

type namedUser struct {
	Name string   `json:"name"`
	User userInfo `json:"user"`
}

// userInfo holds base64 key material: it never prints itself.
type userInfo struct {
	CertData string `json:"client-certificate-data"`
	KeyData  string `json:"client-key-data"`
	Token    string `json:"token"`
}

// String keeps key material out of any %v.
func (userInfo) String() string { return redacted }

// GoString keeps key material out of any %#v.
func (userInfo) GoString() string { return redacted }

type namedContext struct {
	Name    string      `json:"name"`
	Context contextInfo `json:"context"`
}

type contextInfo struct {
	Cluster string `json:"cluster"`
	User    string `json:"user"`
}

// flexBool is insecure-skip-tls-verify as CCE (JSON bool) or UCS (JSON
// string "true"/"false") writes it.
type flexBool bool

// UnmarshalJSON accepts true, false, "true", "false" and null.
func (b *flexBool) UnmarshalJSON(data []byte) error {
	s := strings.TrimSpace(string(data))
	if uq, err := unquote(s); err == nil {
		s = strings.ToLower(strings.TrimSpace(uq))
	}
	switch s {
	case "true":
		*b = true
	case "false", "", "null":
		*b = false
	default:
		return errors.New("insecure-skip-tls-verify must be true or false")
	}
	return nil
}

func unquote(s string) (string, error) {
	var out string
	err := json.Unmarshal([]byte(s), &out)
	return out, err
}

// ParseKubeconfig parses and validates a kubeconfig issued by CCE or UCS, as
// JSON or YAML (a console download, an import). insecure-skip-tls-verify may
// be a boolean or the strings "true"/"false". Contexts named (or whose
// cluster is named) internal/external get those roles; any other context is
// a fleet's federation context. Masked (******) or malformed data is an
// error that says so; error texts never contain key material.
func ParseKubeconfig(data []byte) (*Issued, error) {
	kc, err := decodeKubeconfig(data)
	if err != nil {
		return nil, err
	}
	return kc.issued(roleByName)
}

func decodeKubeconfig(data []byte) (*kubeconfig, error) {
	if len(data) > maxKubeconfig {
		return nil, fmt.Errorf("kubeconfig is larger than %d bytes: not an issued kubeconfig", maxKubeconfig)
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, errors.New("kubeconfig is empty")
	}
	jsonData := trimmed
	if trimmed[0] != '{' {
		var err error
		if jsonData, err = yaml.YAMLToJSON(trimmed); err != nil {
			return nil, errors.New("kubeconfig is neither JSON nor YAML: check the file is a kubeconfig")
		}
	}
	if !bytes.HasPrefix(bytes.TrimSpace(jsonData), []byte("{")) {
		return nil, errors.New("kubeconfig is not a mapping: check the file is a kubeconfig")
	}
	var kc kubeconfig
	if err := json.Unmarshal(jsonData, &kc); err != nil {
		return nil, fmt.Errorf("kubeconfig does not have the kubeconfig shape: %s", jsonErrorText(err))
	}
	if kc.Kind != "" && kc.Kind != "Config" {
		return nil, fmt.Errorf("kind %q is not a kubeconfig (want Config)", sanitize(kc.Kind, 40))
	}
	return &kc, nil
}

// jsonErrorText describes a decoding error without quoting the input.
func jsonErrorText(err error) string {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return fmt.Sprintf("field %q has the wrong type", typ.Field)
	}
	var syn *json.SyntaxError
	if errors.As(err, &syn) {
		return fmt.Sprintf("syntax error at byte %d", syn.Offset)
	}
	if strings.Contains(err.Error(), "insecure-skip-tls-verify") {
		return "insecure-skip-tls-verify must be true or false"
	}
	return "malformed"
}

// roleFunc assigns a context its role.
type roleFunc func(contextName, clusterName string, insecure bool) ContextRole

// roleByName reads CCE's names; anything else is a fleet's context.
func roleByName(contextName, clusterName string, _ bool) ContextRole {
	for _, n := range []string{contextName, clusterName} {
		l := strings.ToLower(n)
		switch {
		case strings.Contains(l, "external"):
			return RoleExternal
		case strings.Contains(l, "internal"):
			return RoleInternal
		}
	}
	return RoleFederation
}

// roleCCE is roleByName for a cluster: an unnamed context is external when
// it skips TLS verification (as CCE's EIP context does), else internal.
func roleCCE(contextName, clusterName string, insecure bool) ContextRole {
	if r := roleByName(contextName, clusterName, insecure); r != RoleFederation {
		return r
	}
	if insecure {
		return RoleExternal
	}
	return RoleInternal
}

// roleFleet gives every context of a fleet kubeconfig the federation role.
func roleFleet(string, string, bool) ContextRole { return RoleFederation }
