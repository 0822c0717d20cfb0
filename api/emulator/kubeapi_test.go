package emulator

import (
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	cce "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3/model"
)

// issued is a certificate fetched through the SDK, ready to dial with.
type issued struct {
	pair     tls.Certificate
	caPEM    []byte
	internal string
	external string
}

func issueVia(t *testing.T, client *cce.CceClient, clusterID string, body model.ClusterCertDuration) issued {
	t.Helper()
	resp, err := client.CreateKubernetesClusterCert(&model.CreateKubernetesClusterCertRequest{ClusterId: clusterID, Body: &body})
	if err != nil {
		t.Fatalf("CreateKubernetesClusterCert: %v", err)
	}
	u := (*resp.Users)[0].User
	out := issued{pair: keyPairFromB64(t, *u.ClientCertificateData, *u.ClientKeyData)}
	for _, c := range *resp.Clusters {
		switch *c.Name {
		case "internalCluster":
			out.internal = *c.Cluster.Server
			ca, err := base64.StdEncoding.DecodeString(*c.Cluster.CertificateAuthorityData)
			if err != nil {
				t.Fatal(err)
			}
			out.caPEM = ca
		case "externalCluster":
			out.external = *c.Cluster.Server
		}
	}
	return out
}

func TestClusterAPIServerAnswersValidCerts(t *testing.T) {
	srv := start(t, Options{})
	pay := target(t, srv, "prod-payments")
	client := cceClient(t, srv, pay.Region, pay.ProjectID, mainKey(srv), 0)
	got := issueVia(t, client, pay.ID, durationBody(30))

	// Internal: TLS verified with the kubeconfig's CA data.
	status, body := kubeGet(t, got.internal, "/version", &got.pair, got.caPEM)
	var v map[string]string
	if status != http.StatusOK || json.Unmarshal(body, &v) != nil || v["gitVersion"] != "v1.31.1-r0" || v["minor"] != "31" {
		t.Fatalf("internal /version = %d %s, want gitVersion v1.31.1-r0", status, body)
	}
	// External: the kubeconfig skips verification there.
	if status, body := kubeGet(t, got.external, "/version", &got.pair, nil); status != http.StatusOK {
		t.Fatalf("external /version = %d %s", status, body)
	}
	for _, path := range []string{"/api", "/apis", "/api/v1", "/api/v1/namespaces", "/healthz"} {
		if status, body := kubeGet(t, got.internal, path, &got.pair, got.caPEM); status != http.StatusOK {
			t.Errorf("%s = %d %s", path, status, body)
		}
	}
	_, body = kubeGet(t, got.internal, "/api/v1/namespaces", &got.pair, got.caPEM)
	var nsList struct {
		Kind  string `json:"kind"`
		Items []struct {
			Metadata struct{ Name string } `json:"metadata"`
		} `json:"items"`
	}
	if err := json.Unmarshal(body, &nsList); err != nil || nsList.Kind != "NamespaceList" || len(nsList.Items) != 4 {
		t.Errorf("namespaces = %s", body)
	}
	if status, _ := kubeGet(t, got.internal, "/api/v1/pods", &got.pair, got.caPEM); status != http.StatusNotFound {
		t.Errorf("unknown resource = %d, want 404", status)
	}
}

func TestClusterAPIServerRejects(t *testing.T) {
	clock := &testClock{}
	srv := start(t, Options{Now: clock.Now})
	pay := target(t, srv, "prod-payments")
	web := target(t, srv, "prod-web")
	client := cceClient(t, srv, pay.Region, pay.ProjectID, mainKey(srv), 0)
	good := issueVia(t, client, pay.ID, durationBody(30))
	other := issueVia(t, client, web.ID, durationBody(30))

	assertUnauthorized(t, "no client certificate", good.internal, nil, good.caPEM)
	assertUnauthorized(t, "another cluster's certificate", good.internal, &other.pair, good.caPEM)
	selfSigned, err := newAuthority("intruder", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	forged, err := selfSigned.issueClient(srv.UserID, time.Now(), time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	forgedPair, err := tls.X509KeyPair(forged.certPEM, forged.keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	assertUnauthorized(t, "a certificate from a foreign CA", good.internal, &forgedPair, good.caPEM)

	// Expired: a certificate valid until 20 minutes from now, then the
	// clock moves an hour on.
	short := issueVia(t, client, pay.ID, expireAtBody(clock.Now().Add(20*time.Minute), 1))
	if status, _ := kubeGet(t, short.internal, "/version", &short.pair, short.caPEM); status != http.StatusOK {
		t.Fatalf("short certificate before expiry = %d", status)
	}
	clock.Advance(time.Hour)
	assertUnauthorized(t, "an expired certificate", short.internal, &short.pair, short.caPEM)
	if status, _ := kubeGet(t, good.internal, "/version", &good.pair, good.caPEM); status != http.StatusOK {
		t.Errorf("30-day certificate an hour later = %d, want 200", status)
	}
}

func TestRevokeRejectsEveryEarlierCertOfTheUser(t *testing.T) {
	srv := start(t, Options{})
	pay := target(t, srv, "prod-payments")
	client := cceClient(t, srv, pay.Region, pay.ProjectID, mainKey(srv), 0)
	first := issueVia(t, client, pay.ID, durationBody(30))
	second := issueVia(t, client, pay.ID, durationBody(1))

	web := target(t, srv, "prod-web")
	elsewhere := issueVia(t, client, web.ID, durationBody(30))

	uid := srv.UserID
	if _, err := client.RevokeKubernetesClusterCert(&model.RevokeKubernetesClusterCertRequest{
		ClusterId: pay.ID, Body: &model.CertRevokeConfigRequestBody{UserId: &uid},
	}); err != nil {
		t.Fatalf("RevokeKubernetesClusterCert: %v", err)
	}
	assertUnauthorized(t, "first revoked certificate", first.internal, &first.pair, first.caPEM)
	assertUnauthorized(t, "second revoked certificate (external)", second.external, &second.pair, nil)
	if status, _ := kubeGet(t, elsewhere.internal, "/version", &elsewhere.pair, elsewhere.caPEM); status != http.StatusOK {
		t.Errorf("certificate of another cluster after revoke = %d, want 200", status)
	}
	fresh := issueVia(t, client, pay.ID, durationBody(30))
	if status, _ := kubeGet(t, fresh.internal, "/version", &fresh.pair, fresh.caPEM); status != http.StatusOK {
		t.Errorf("certificate issued after the revoke = %d, want 200", status)
	}
	_, err := client.RevokeKubernetesClusterCert(&model.RevokeKubernetesClusterCertRequest{
		ClusterId: pay.ID, Body: &model.CertRevokeConfigRequestBody{},
	})
	assertServiceError(t, err, http.StatusBadRequest, codeBadRequest)
}

func assertUnauthorized(t *testing.T, what, server string, pair *tls.Certificate, caPEM []byte) {
	t.Helper()
	status, body := kubeGet(t, server, "/version", pair, caPEM)
	e := decodeError(t, body)
	if status != http.StatusUnauthorized || e.KubeKind != "Status" || e.KubeCode != 401 || e.KubeReason != "Unauthorized" {
		t.Errorf("%s: /version = %d %s, want a 401 Status", what, status, body)
	}
}
