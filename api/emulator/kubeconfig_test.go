package emulator

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/def"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3/model"
)

// rawKubeconfig is a kubeconfig decoded loosely, to check exact shapes.
type rawKubeconfig struct {
	Kind           string            `json:"kind"`
	APIVersion     string            `json:"apiVersion"`
	Preferences    *map[string]any   `json:"preferences"`
	RawClusters    []json.RawMessage `json:"clusters"`
	Users          []map[string]any  `json:"users"`
	Contexts       []map[string]any  `json:"contexts"`
	CurrentContext string            `json:"current-context"`
}

// cluster returns the named cluster entry's fields.
func (k rawKubeconfig) cluster(t *testing.T, name string) map[string]any {
	t.Helper()
	for _, raw := range k.RawClusters {
		var c struct {
			Name    string         `json:"name"`
			Cluster map[string]any `json:"cluster"`
		}
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		if c.Name == name {
			return c.Cluster
		}
	}
	return nil
}

func (k rawKubeconfig) contextNames() []string {
	var out []string
	for _, c := range k.Contexts {
		out = append(out, c["name"].(string))
	}
	return out
}

func postCert(t *testing.T, srv *Server, ti TargetInfo) (rawKubeconfig, rawResponse) {
	t.Helper()
	path := "/api/v3/projects/" + ti.ProjectID + "/clusters/" + ti.ID + "/clustercert"
	resp := rawCall(t, srv, mainKey(srv), http.MethodPost, path, nil, []byte(`{"duration":30}`+"\n"),
		map[string]string{"X-Project-Id": ti.ProjectID})
	if resp.status != http.StatusOK {
		t.Fatalf("POST clustercert = %d %s", resp.status, resp.body)
	}
	var kc rawKubeconfig
	if err := json.Unmarshal(resp.body, &kc); err != nil {
		t.Fatalf("kubeconfig is not JSON: %v", err)
	}
	return kc, resp
}

func TestCCEKubeconfigShapeWithEIP(t *testing.T) {
	srv := start(t, Options{})
	pay := target(t, srv, "prod-payments")
	kc, resp := postCert(t, srv, pay)
	internal, external, _ := srv.Endpoints(pay.ID)
	if kc.Kind != "Config" || kc.APIVersion != "v1" || kc.Preferences == nil || len(*kc.Preferences) != 0 {
		t.Errorf("kind/apiVersion/preferences = %q %q %v, want Config v1 {}", kc.Kind, kc.APIVersion, kc.Preferences)
	}
	in := kc.cluster(t, "internalCluster")
	if in["server"] != internal || in["certificate-authority-data"] == nil || in["insecure-skip-tls-verify"] != nil {
		t.Errorf("internalCluster = %v, want server %s with CA data and no insecure flag", in, internal)
	}
	ex := kc.cluster(t, "externalCluster")
	if ex["server"] != external || ex["insecure-skip-tls-verify"] != true || ex["certificate-authority-data"] != nil {
		t.Errorf("externalCluster = %v, want server %s, insecure-skip-tls-verify true (a bool), no CA data", ex, external)
	}
	if got := kc.contextNames(); !reflect.DeepEqual(got, []string{"internal", "external"}) || kc.CurrentContext != "external" {
		t.Errorf("contexts %v current %q, want [internal external] current external", got, kc.CurrentContext)
	}
	if len(kc.Users) != 1 || kc.Users[0]["name"] != "user" {
		t.Errorf("users = %d, want one named user", len(kc.Users))
	}
	if resp.header.Get("Port-ID") != pay.PortID || resp.header.Get("X-Request-Id") == "" {
		t.Errorf("headers Port-ID %q X-Request-Id %q", resp.header.Get("Port-ID"), resp.header.Get("X-Request-Id"))
	}
}

func TestCCEKubeconfigShapeWithoutEIP(t *testing.T) {
	srv := start(t, Options{})
	web := target(t, srv, "prod-web")
	kc, _ := postCert(t, srv, web)
	if len(kc.RawClusters) != 1 || kc.cluster(t, "externalCluster") != nil {
		t.Errorf("clusters = %d, want only internalCluster", len(kc.RawClusters))
	}
	if got := kc.contextNames(); !reflect.DeepEqual(got, []string{"internal"}) || kc.CurrentContext != "internal" {
		t.Errorf("contexts %v current %q, want [internal] current internal", got, kc.CurrentContext)
	}
}

// legacyCertDef is the legacy GET clustercert as a request definition for
// the SDK client (the SDK has no method for it).
func legacyCertDef(prefix string) *def.HttpRequestDef {
	return def.NewHttpRequestDefBuilder().
		WithMethod(http.MethodGet).
		WithPath(prefix + "/projects/{project_id}/clusters/{cluster_id}/clustercert").
		WithResponse(new(model.CreateKubernetesClusterCertResponse)).
		WithContentType("application/json").
		WithRequestField(def.NewFieldDef().WithName("ClusterId").WithJsonTag("cluster_id").WithLocationType(def.Path)).
		WithResponseField(def.NewFieldDef().WithName("PortID").WithJsonTag("Port-ID").WithKindName("string").WithLocationType(def.Header)).
		Build()
}

func TestLegacyClusterCert(t *testing.T) {
	srv := start(t, Options{})
	old := target(t, srv, "legacy-billing")
	if !old.Legacy {
		t.Fatal("legacy-billing is not a legacy cluster")
	}
	client := cceClient(t, srv, old.Region, old.ProjectID, mainKey(srv), 0)
	body := durationBody(30)
	_, err := client.CreateKubernetesClusterCert(&model.CreateKubernetesClusterCertRequest{ClusterId: old.ID, Body: &body})
	// The POST is "applicable to clusters of v1.13 and later": a 400 for
	// the cluster, not the 404 that says the cluster does not exist.
	assertServiceError(t, err, http.StatusBadRequest, codeBadRequest)

	got, err := client.HcClient.Sync(&model.CreateKubernetesClusterCertRequest{ClusterId: old.ID}, legacyCertDef("/api/v3"))
	if err != nil {
		t.Fatalf("legacy GET: %v", err)
	}
	resp := got.(*model.CreateKubernetesClusterCertResponse)
	cert := parseB64Cert(t, *(*resp.Users)[0].User.ClientCertificateData)
	assertNear(t, "NotAfter", cert.NotAfter, cert.NotBefore.Add(365*24*time.Hour))
	if *resp.CurrentContext != "internal" || resp.PortID == nil || *resp.PortID != old.PortID {
		t.Errorf("legacy answer: current-context %q, want internal and Port-ID %s", *resp.CurrentContext, old.PortID)
	}

	// A current cluster answers the legacy GET too, with its default validity.
	pay := target(t, srv, "prod-payments")
	pclient := cceClient(t, srv, pay.Region, pay.ProjectID, mainKey(srv), 0)
	if _, err := pclient.HcClient.Sync(&model.CreateKubernetesClusterCertRequest{ClusterId: pay.ID}, legacyCertDef("/api/v3")); err != nil {
		t.Errorf("legacy GET on a v1.31 cluster: %v", err)
	}
	hk := target(t, srv, "analytics-hk")
	hclient := cceClient(t, srv, hk.Region, hk.ProjectID, mainKey(srv), 0)
	_, err = hclient.HcClient.Sync(&model.CreateKubernetesClusterCertRequest{ClusterId: hk.ID}, legacyCertDef("/api/v3"))
	assertServiceError(t, err, http.StatusBadRequest, codeHibernating)
}
