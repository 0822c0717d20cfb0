package emulator

import "encoding/base64"

// kubeconfig is the Config document CCE and UCS answer with; field order and
// names follow the seeds.
type kubeconfig struct {
	Kind           string         `json:"kind"`
	APIVersion     string         `json:"apiVersion"`
	Preferences    *struct{}      `json:"preferences,omitempty"` // CCE only: {}
	Clusters       []namedCluster `json:"clusters"`
	Users          []namedUser    `json:"users"`
	Contexts       []namedContext `json:"contexts"`
	CurrentContext string         `json:"current-context"`
}

type namedCluster struct {
	Name    string      `json:"name"`
	Cluster kubeCluster `json:"cluster"`
}

type kubeCluster struct {
	Server string `json:"server"`
	CAData string `json:"certificate-authority-data,omitempty"`
	// Insecure is a JSON bool for CCE (true on externalCluster only) and a
	// JSON string for UCS ("false").
	Insecure any `json:"insecure-skip-tls-verify,omitempty"`
}

type namedUser struct {
	Name string   `json:"name"`
	User kubeUser `json:"user"`
}

type kubeUser struct {
	CertData string `json:"client-certificate-data,omitempty"`
	KeyData  string `json:"client-key-data,omitempty"`
	Token    string `json:"token,omitempty"`
}

type namedContext struct {
	Name    string      `json:"name"`
	Context kubeContext `json:"context"`
}

type kubeContext struct {
	Cluster string `json:"cluster"`
	User    string `json:"user"`
}

// cceKubeconfig is seed 000's shape: internalCluster with the CA, and with
// an EIP externalCluster with insecure-skip-tls-verify true and no CA;
// contexts internal (and external); current-context external with an EIP.
func cceKubeconfig(urls []string, caPEM []byte, cc *clientCert) kubeconfig {
	kc := kubeconfig{
		Kind: "Config", APIVersion: "v1", Preferences: &struct{}{},
		Clusters: []namedCluster{{Name: "internalCluster", Cluster: kubeCluster{Server: urls[0], CAData: b64(caPEM)}}},
		Users: []namedUser{{Name: "user", User: kubeUser{
			CertData: b64(cc.certPEM), KeyData: b64(cc.keyPEM),
		}}},
		Contexts:       []namedContext{{Name: "internal", Context: kubeContext{Cluster: "internalCluster", User: "user"}}},
		CurrentContext: "internal",
	}
	if len(urls) > 1 {
		kc.Clusters = append(kc.Clusters, namedCluster{Name: "externalCluster", Cluster: kubeCluster{Server: urls[1], Insecure: true}})
		kc.Contexts = append(kc.Contexts, namedContext{Name: "external", Context: kubeContext{Cluster: "externalCluster", User: "user"}})
		kc.CurrentContext = "external"
	}
	return kc
}

// ucsKubeconfig is seed 003's shape: one cluster, one context, the
// insecure flag as a string, and a user with a certificate or a token.
func ucsKubeconfig(fleet, url string, caPEM []byte, user kubeUser) kubeconfig {
	return kubeconfig{
		Kind: "Config", APIVersion: "v1",
		Clusters: []namedCluster{{Name: "cluster-" + fleet, Cluster: kubeCluster{Server: url, CAData: b64(caPEM), Insecure: "false"}}},
		Users:    []namedUser{{Name: "user", User: user}},
		Contexts: []namedContext{{Name: fleet, Context: kubeContext{Cluster: "cluster-" + fleet, User: "user"}}},
		// The context is named after the fleet, like seed 003's "demo".
		CurrentContext: fleet,
	}
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }
