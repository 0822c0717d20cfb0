package emulator

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ucs/v1/model"
)

func TestListFleets(t *testing.T) {
	srv := start(t, Options{})
	client := ucsClient(t, srv, mainKey(srv), srv.DomainID)
	resp, err := client.ListClusterGroup(&model.ListClusterGroupRequest{Limit: ptr(int32(2))})
	if err != nil {
		t.Fatalf("ListClusterGroup: %v", err)
	}
	if *resp.Total != 3 || len(*resp.Items) != 2 {
		t.Fatalf("first page: total %d items %d, want 3 and 2", *resp.Total, len(*resp.Items))
	}
	rest, err := client.ListClusterGroup(&model.ListClusterGroupRequest{Limit: ptr(int32(2)), Offset: ptr(int32(2))})
	if err != nil || len(*rest.Items) != 1 {
		t.Fatalf("second page: %v", err)
	}
	fleets := map[string]model.ClusterGroup{}
	for _, f := range append(*resp.Items, *rest.Items...) {
		fleets[*f.Metadata.Name] = f
	}
	on, off := fleets["global-prod"], fleets["asia-batch"]
	if on.Spec.FederationId == nil || !hasFederationCondition(on) {
		t.Errorf("global-prod: federation id %v conditions %v, want federation enabled", on.Spec.FederationId, on.Status.Conditions)
	}
	if off.Spec.FederationId != nil || hasFederationCondition(off) {
		t.Errorf("asia-batch: federation shown as enabled")
	}
	// Like UCS, a cluster group carries no member list (see ShowClusterList).
	if len(on.Metadata.Annotations) != 0 {
		t.Errorf("global-prod annotations = %v, want none", on.Metadata.Annotations)
	}
	if *on.Metadata.Uid != target(t, srv, "global-prod").ID {
		t.Errorf("fleet uid = %s", *on.Metadata.Uid)
	}
}

func hasFederationCondition(f model.ClusterGroup) bool {
	if f.Status == nil || f.Status.Conditions == nil {
		return false
	}
	for _, c := range *f.Status.Conditions {
		if *c.Type == "Federation" && *c.Status == "Available" {
			return true
		}
	}
	return false
}

// connectionBody is a valid CreateFederationCert body in cn-north-4.
func connectionBody(t *testing.T, srv *Server, days int32) *model.CreateFederationCertRequestBody {
	t.Helper()
	inv := srv.Inventory()
	p, _ := inv.Project("cn-north-4")
	v := p.VPCs[0]
	return &model.CreateFederationCertRequestBody{ProjectID: p.ID, VpcID: v.ID, SubnetID: v.Subnets[0].ID, Duration: days}
}

func TestFederationCertAndKubeconfig(t *testing.T) {
	srv := start(t, Options{})
	client := ucsClient(t, srv, mainKey(srv), srv.DomainID)
	fleet := target(t, srv, "global-prod")

	_, err := client.DownloadFederationKubeconfig(&model.DownloadFederationKubeconfigRequest{
		Clustergroupid: fleet.ID, Body: &model.DownloadFederationKubeconfigRequestBody{Duration: 30},
	})
	assertServiceError(t, err, http.StatusBadRequest, codeUCSNoConnect)

	resp, err := client.CreateFederationCert(&model.CreateFederationCertRequest{Clustergroupid: fleet.ID, Body: connectionBody(t, srv, 30)})
	if err != nil {
		t.Fatalf("CreateFederationCert: %v", err)
	}
	if resp.HttpStatusCode != http.StatusCreated {
		t.Errorf("status = %d, want 201", resp.HttpStatusCode)
	}
	cl := (*resp.Clusters)[0].Cluster
	if len(*resp.Clusters) != 1 || len(*resp.Contexts) != 1 || *cl.InsecureSkipTlsVerify != "false" {
		t.Fatalf("UCS kubeconfig: %d clusters, %d contexts, insecure %v", len(*resp.Clusters), len(*resp.Contexts), cl.InsecureSkipTlsVerify)
	}
	user := (*resp.Users)[0].User
	pair := keyPairFromB64(t, *user.ClientCertificateData, *user.ClientKeyData)
	assertNear(t, "NotAfter", pair.Leaf.NotAfter, time.Now().Add(30*24*time.Hour))
	ca, _ := base64.StdEncoding.DecodeString(*cl.CertificateAuthorityData)
	if status, body := kubeGet(t, *cl.Server, "/version", &pair, ca); status != http.StatusOK {
		t.Errorf("federation /version = %d %s", status, body)
	}

	dl, err := client.DownloadFederationKubeconfig(&model.DownloadFederationKubeconfigRequest{
		Clustergroupid: fleet.ID, Body: &model.DownloadFederationKubeconfigRequestBody{Duration: 7},
	})
	if err != nil {
		t.Fatalf("DownloadFederationKubeconfig after the connection: %v", err)
	}
	if *(*dl.Clusters)[0].Cluster.Server != *cl.Server {
		t.Errorf("download server %s, want the same federation endpoint %s", *(*dl.Clusters)[0].Cluster.Server, *cl.Server)
	}
}

func TestFederationCertRaw(t *testing.T) {
	srv := start(t, Options{})
	fleet := target(t, srv, "global-prod")
	body, _ := json.Marshal(connectionBody(t, srv, 30))
	resp := rawCall(t, srv, mainKey(srv), http.MethodPost, "/v1/clustergroups/"+fleet.ID+"/cert", nil,
		append(body, '\n'), map[string]string{"X-Domain-Id": srv.DomainID})
	if resp.status != http.StatusCreated {
		t.Fatalf("POST cert = %d %s", resp.status, resp.body)
	}
	// Seed 003's shape: the insecure flag is a JSON string, no preferences.
	for _, want := range []string{`"insecure-skip-tls-verify":"false"`, `"current-context":"global-prod"`, `"name":"cluster-global-prod"`} {
		if !strings.Contains(string(resp.body), want) {
			t.Errorf("kubeconfig lacks %s", want)
		}
	}
	if strings.Contains(string(resp.body), "preferences") {
		t.Error("UCS kubeconfig has preferences")
	}
}

func TestFederationRefusals(t *testing.T) {
	srv := start(t, Options{})
	client := ucsClient(t, srv, mainKey(srv), srv.DomainID)
	on, off := target(t, srv, "global-prod"), target(t, srv, "asia-batch")
	create := func(id string, body *model.CreateFederationCertRequestBody) error {
		_, err := client.CreateFederationCert(&model.CreateFederationCertRequest{Clustergroupid: id, Body: body})
		return err
	}
	assertServiceError(t, create(off.ID, connectionBody(t, srv, 30)), http.StatusBadRequest, codeUCSNoFed)
	assertServiceError(t, create("no-such-fleet", connectionBody(t, srv, 30)), http.StatusNotFound, codeUCSNotFound)
	for name, mutate := range map[string]func(*model.CreateFederationCertRequestBody){
		"duration 0":      func(b *model.CreateFederationCertRequestBody) { b.Duration = 0 },
		"duration 1826":   func(b *model.CreateFederationCertRequestBody) { b.Duration = 1826 },
		"unknown project": func(b *model.CreateFederationCertRequestBody) { b.ProjectID = "nope" },
		"VPC of other project": func(b *model.CreateFederationCertRequestBody) {
			inv := srv.Inventory()
			p, _ := inv.Project("cn-south-1")
			b.VpcID = p.VPCs[0].ID
		},
		"subnet of other VPC": func(b *model.CreateFederationCertRequestBody) {
			inv := srv.Inventory()
			p, _ := inv.Project("cn-north-4")
			b.SubnetID = p.VPCs[1].Subnets[0].ID
		},
	} {
		t.Run(name, func(t *testing.T) {
			body := connectionBody(t, srv, 30)
			mutate(body)
			assertServiceError(t, create(on.ID, body), http.StatusBadRequest, codeUCSBad)
		})
	}
	// Basic credentials (no X-Domain-Id) cannot use UCS.
	resp := rawCall(t, srv, mainKey(srv), http.MethodGet, "/v1/clustergroups", nil, nil, nil)
	if resp.status != http.StatusForbidden {
		t.Errorf("UCS without X-Domain-Id = %d, want 403", resp.status)
	}
	if _, err := ucsClient(t, srv, mainKey(srv), "wrong-domain").ListClusterGroup(&model.ListClusterGroupRequest{}); err == nil {
		t.Error("UCS with a wrong domain id succeeded")
	}
}

func TestTokenFleetKubeconfig(t *testing.T) {
	srv := start(t, Options{})
	client := ucsClient(t, srv, mainKey(srv), srv.DomainID)
	fleet := target(t, srv, "platform-shared")
	resp, err := client.CreateFederationCert(&model.CreateFederationCertRequest{Clustergroupid: fleet.ID, Body: connectionBody(t, srv, 30)})
	if err != nil {
		t.Fatalf("CreateFederationCert: %v", err)
	}
	user := (*resp.Users)[0].User
	if user.Token == nil || *user.Token == "" || user.ClientCertificateData != nil {
		t.Fatalf("token fleet user: token %v, cert present %v", user.Token != nil, user.ClientCertificateData != nil)
	}
	cl := (*resp.Clusters)[0].Cluster
	ca, _ := base64.StdEncoding.DecodeString(*cl.CertificateAuthorityData)
	req, _ := http.NewRequest(http.MethodGet, *cl.Server+"/version", nil)
	req.Header.Set("Authorization", "Bearer "+*user.Token)
	if status := doTLS(t, req, ca); status != http.StatusOK {
		t.Errorf("/version with the token = %d", status)
	}
	req.Header.Set("Authorization", "Bearer not-the-token")
	if status := doTLS(t, req, ca); status != http.StatusUnauthorized {
		t.Errorf("/version with a wrong token = %d, want 401", status)
	}
}
