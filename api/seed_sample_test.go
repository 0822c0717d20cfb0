package api

// The Go SDK sample of seed 000 (CreateKubernetesClusterCert, duration 30),
// reproduced as closely as the current SDK allows and pointed at the
// emulator: the body type is now model.ClusterCertDuration (Duration is a
// pointer), the missing "os" import is added, the region is
// region.NewRegion(id, emulator URL) instead of region.ValueOf, and the HTTP
// config trusts the emulator's CA and sets a user agent (so the SDK writes
// nothing under $HOME). The response is checked, not printed: its String()
// contains the private key.

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/http"
	"os"
	"testing"
	"time"

	"ccecert/api/emulator"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/region"
	cce "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3/model"
)

func TestSeed000GoSample(t *testing.T) {
	isolateHome(t)
	srv := startEmulator(t, emulator.Options{})
	var cluster emulator.Cluster
	var projectID string
	inv := srv.Inventory()
	for _, c := range inv.Clusters {
		if c.Name == "prod-payments" {
			cluster = c
		}
	}
	p, _ := inv.Project(cluster.Project)
	projectID = p.ID
	t.Setenv("CLOUD_SDK_AK", srv.AK)
	t.Setenv("CLOUD_SDK_SK", srv.SK)

	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(srv.CAPEM)
	httpConfig := config.DefaultHttpConfig().
		WithUserAgent("ccecert-seed-sample").
		WithHttpTransport(&http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}})

	// ---- the sample ----
	ak := os.Getenv("CLOUD_SDK_AK")
	sk := os.Getenv("CLOUD_SDK_SK")
	projectId := projectID

	auth, err := basic.NewCredentialsBuilder().
		WithAk(ak).
		WithSk(sk).
		WithProjectId(projectId).
		SafeBuild() // the sample's Build() is deprecated (it panics)
	if err != nil {
		t.Fatal(err)
	}

	hc, err := cce.CceClientBuilder().
		WithRegion(region.NewRegion(p.Region(), srv.URL)).
		WithCredential(auth).
		WithHttpConfig(httpConfig).
		SafeBuild()
	if err != nil {
		t.Fatal(err)
	}
	client := cce.NewCceClient(hc)

	request := &model.CreateKubernetesClusterCertRequest{}
	request.ClusterId = cluster.ID
	duration := int32(30)
	request.Body = &model.ClusterCertDuration{
		Duration: &duration,
	}
	response, err := client.CreateKubernetesClusterCert(request)
	// ---- end of the sample ----

	if err != nil {
		t.Fatalf("sample call failed: %T", err) // the type only: its text may hold the body
	}
	if response.HttpStatusCode != 200 || response.PortID == nil || *response.PortID == "" || response.Clusters == nil {
		t.Fatalf("status %d, Port-ID set %v", response.HttpStatusCode, response.PortID != nil)
	}
	data, err := json.Marshal(response) // bytes we control, never printed
	if err != nil {
		t.Fatal(err)
	}
	is, err := ParseKubeconfig(data)
	if err != nil {
		t.Fatalf("the sample's response does not validate: %v", err)
	}
	if c := leaf(t, is); !within(c.NotAfter, time.Now().Add(30*24*time.Hour), time.Minute) || c.Subject.CommonName != srv.UserID {
		t.Fatalf("NotAfter %v CN %q", c.NotAfter, c.Subject.CommonName)
	}
}
