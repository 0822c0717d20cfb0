package emulator

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/global"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/region"
	cce "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3/model"
	ucs "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ucs/v1"
	ucsmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ucs/v1/model"
)

func TestBadSignatureIs401(t *testing.T) {
	srv := start(t, Options{})
	pay := target(t, srv, "prod-payments")
	for name, k := range map[string]keyPair{
		"wrong SK":    {srv.AK, srv.SK + "x"},
		"unknown AK":  {"NOSUCHACCESSKEY00000", srv.SK},
		"empty-ish":   {srv.AK, "x"},
		"swapped key": {srv.SK, srv.AK},
	} {
		t.Run(name, func(t *testing.T) {
			before := srv.Requests()
			_, err := cceClient(t, srv, pay.Region, pay.ProjectID, k, 0).ListClusters(&model.ListClustersRequest{})
			se := assertServiceError(t, err, http.StatusUnauthorized, codeBadAuth)
			if se != nil && se.RequestId == "" {
				t.Error("401 has no X-Request-Id")
			}
			if got := srv.Requests() - before; got != 1 {
				t.Errorf("Requests() grew by %d, want 1 (rejected requests count)", got)
			}
		})
	}
}

func TestMissingOrTamperedAuthorization(t *testing.T) {
	srv := start(t, Options{})
	pay := target(t, srv, "prod-payments")
	path := "/api/v3/projects/" + pay.ProjectID + "/clusters"
	req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if resp := send(t, srv, req); resp.status != http.StatusUnauthorized || decodeError(t, resp.body).ErrorCode != codeBadAuth {
		t.Errorf("unsigned request = %d %s, want 401 %s", resp.status, resp.body, codeBadAuth)
	}
	q := url.Values{"status": {"Available"}}
	hdrs := signHeaders(t, srv, mainKey(srv), http.MethodGet, path, q, nil, map[string]string{"X-Project-Id": pay.ProjectID})
	if good := sendSigned(t, srv, http.MethodGet, path, q, nil, hdrs); good.status != http.StatusOK {
		t.Fatalf("signed request with a query = %d %s", good.status, good.body)
	}
	tampered := map[string]url.Values{
		"other query":       {"status": {"Hibernation"}},
		"query dropped":     nil,
		"query value added": {"status": {"Available"}, "type": {"ARM64"}},
	}
	for name, q2 := range tampered {
		if resp := sendSigned(t, srv, http.MethodGet, path, q2, nil, hdrs); resp.status != http.StatusUnauthorized {
			t.Errorf("%s: %d %s, want 401", name, resp.status, resp.body)
		}
	}
	// Signed for one body, sent with another.
	body := []byte(`{"duration":30}` + "\n")
	certPath := path + "/" + pay.ID + "/clustercert"
	hdrs = signHeaders(t, srv, mainKey(srv), http.MethodPost, certPath, nil, body, map[string]string{"X-Project-Id": pay.ProjectID})
	if resp := sendSigned(t, srv, http.MethodPost, certPath, nil, []byte(`{"duration":-1}`+"\n"), hdrs); resp.status != http.StatusUnauthorized {
		t.Errorf("tampered body: %d, want 401", resp.status)
	}
	if resp := sendSigned(t, srv, http.MethodPost, certPath, nil, body, hdrs); resp.status != http.StatusOK {
		t.Errorf("same body: %d %s, want 200", resp.status, resp.body)
	}
}

func TestSignatureDateChecked(t *testing.T) {
	clock := &testClock{}
	srv := start(t, Options{Now: clock.Now})
	pay := target(t, srv, "prod-payments")
	client := cceClient(t, srv, pay.Region, pay.ProjectID, mainKey(srv), 0)
	if _, err := client.ListClusters(&model.ListClustersRequest{}); err != nil {
		t.Fatalf("in time: %v", err)
	}
	clock.Advance(20 * time.Minute)
	_, err := client.ListClusters(&model.ListClustersRequest{})
	assertServiceError(t, err, http.StatusUnauthorized, codeBadAuth)
}

func TestLimitedKeyForbiddenElsewhere(t *testing.T) {
	srv := start(t, Options{})
	pay := target(t, srv, "prod-payments")
	eu := target(t, srv, "prod-gz")
	limited := keyPair{"LIMITEDKEY0000000001", "limited-secret-key-000000000000000000000"}
	srv.AddKey(limited.ak, limited.sk, "limited-user-id", eu.ProjectID)

	_, err := cceClient(t, srv, pay.Region, pay.ProjectID, limited, 0).ListClusters(&model.ListClustersRequest{})
	assertServiceError(t, err, http.StatusForbidden, codeForbidden)

	client := cceClient(t, srv, eu.Region, eu.ProjectID, limited, 0)
	list, err := client.ListClusters(&model.ListClustersRequest{})
	if err != nil || len(*list.Items) != 1 {
		t.Fatalf("limited key in its own project: %v", err)
	}
	body := durationBody(1)
	resp, err := client.CreateKubernetesClusterCert(&model.CreateKubernetesClusterCertRequest{ClusterId: eu.ID, Body: &body})
	if err != nil {
		t.Fatalf("limited key cert: %v", err)
	}
	if cn := parseB64Cert(t, *(*resp.Users)[0].User.ClientCertificateData).Subject.CommonName; cn != "limited-user-id" {
		t.Errorf("CN = %q, want the limited key's user id", cn)
	}
	// A cluster of another project through the key's own project: not found.
	_, err = client.ShowCluster(&model.ShowClusterRequest{ClusterId: pay.ID})
	assertServiceError(t, err, http.StatusNotFound, codeNotFound)
}

func TestProjectMismatchAndUnknownProject(t *testing.T) {
	srv := start(t, Options{})
	pay := target(t, srv, "prod-payments")
	eu := target(t, srv, "prod-gz")
	path := "/api/v3/projects/" + pay.ProjectID + "/clusters"
	resp := rawCall(t, srv, mainKey(srv), http.MethodGet, path, nil, nil, map[string]string{"X-Project-Id": eu.ProjectID})
	if resp.status != http.StatusForbidden || decodeError(t, resp.body).ErrorCode != codeForbidden {
		t.Errorf("X-Project-Id mismatch = %d %s, want 403", resp.status, resp.body)
	}
	resp = rawCall(t, srv, mainKey(srv), http.MethodGet, "/api/v3/projects/0123456789abcdef0123456789abcdef/clusters", nil, nil, nil)
	if resp.status != http.StatusForbidden {
		t.Errorf("unknown project = %d %s, want 403", resp.status, resp.body)
	}
}

func TestUnknownRouteIs404Gateway(t *testing.T) {
	srv := start(t, Options{})
	for _, path := range []string{"/v2/nothing", "/api/v3/projects/x/clusters/y/nodes", "/"} {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		resp := send(t, srv, req)
		e := decodeError(t, resp.body)
		if resp.status != http.StatusNotFound || e.ErrorCode != codeNoAPI ||
			e.ErrorMsg != "The API does not exist or has not been published in the environment" {
			t.Errorf("GET %s = %d %s, want 404 %s", path, resp.status, resp.body, codeNoAPI)
		}
		if resp.header.Get("X-Request-Id") == "" || e.RequestID != resp.header.Get("X-Request-Id") {
			t.Errorf("GET %s: X-Request-Id %q, body request_id %q", path, resp.header.Get("X-Request-Id"), e.RequestID)
		}
	}
}

func TestSecurityTokenAccepted(t *testing.T) {
	srv := start(t, Options{})
	pay := target(t, srv, "prod-payments")
	creds, err := basic.NewCredentialsBuilder().WithAk(srv.AK).WithSk(srv.SK).WithSecurityToken("temporary-token").
		WithProjectId(pay.ProjectID).WithIamEndpointOverride(srv.URL).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	hc, err := cce.CceClientBuilder().WithRegion(region.NewRegion(pay.Region, srv.URL)).
		WithCredential(creds).WithHttpConfig(httpConfig(srv, 0)).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cce.NewCceClient(hc).ListClusters(&model.ListClustersRequest{}); err != nil {
		t.Errorf("signed X-Security-Token refused: %v", err)
	}
}

// TestSDKFindsIDsThroughIAM builds clients without project or domain IDs, so
// SafeBuild itself asks the emulator's IAM (GET /v3/projects?name=,
// GET /v3/auth/domains).
func TestSDKFindsIDsThroughIAM(t *testing.T) {
	srv := start(t, Options{})
	eu := target(t, srv, "prod-gz")
	creds, err := basic.NewCredentialsBuilder().WithAk(srv.AK).WithSk(srv.SK).
		WithIamEndpointOverride(srv.URL).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	hc, err := cce.CceClientBuilder().WithRegion(region.NewRegion(eu.Region, srv.URL)).
		WithCredential(creds).WithHttpConfig(httpConfig(srv, 0)).SafeBuild()
	if err != nil {
		t.Fatalf("SafeBuild without project id: %v", err)
	}
	list, err := cce.NewCceClient(hc).ListClusters(&model.ListClustersRequest{})
	if err != nil || len(*list.Items) != 1 || (*list.Items)[0].Metadata.Name != "prod-gz" {
		t.Fatalf("ListClusters via the looked-up project: %v", err)
	}

	gcreds, err := global.NewCredentialsBuilder().WithAk(srv.AK).WithSk(srv.SK).
		WithIamEndpointOverride(srv.URL).SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	uhc, err := ucs.UcsClientBuilder().WithRegion(region.NewRegion("cn-north-4", srv.URL)).
		WithCredential(gcreds).WithHttpConfig(httpConfig(srv, 0)).SafeBuild()
	if err != nil {
		t.Fatalf("SafeBuild without domain id: %v", err)
	}
	fleets, err := ucs.NewUcsClient(uhc).ListClusterGroup(&ucsmodel.ListClusterGroupRequest{})
	if err != nil || *fleets.Total != 3 {
		t.Fatalf("ListClusterGroup via the looked-up domain: %v", err)
	}
	var sawDomains, sawProjects bool
	for _, rec := range srv.Log() {
		sawDomains = sawDomains || rec.Path == "/v3/auth/domains" && rec.Status == http.StatusOK
		sawProjects = sawProjects || rec.Path == "/v3/projects" && rec.Status == http.StatusOK
	}
	if !sawDomains || !sawProjects {
		t.Errorf("IAM lookups seen: domains %v projects %v", sawDomains, sawProjects)
	}
}
