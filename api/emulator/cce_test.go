package emulator

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3/model"
)

func TestListAndShowClusters(t *testing.T) {
	srv := start(t, Options{})
	pay := target(t, srv, "prod-payments")
	client := cceClient(t, srv, pay.Region, pay.ProjectID, mainKey(srv), 0)
	resp, err := client.ListClusters(&model.ListClustersRequest{})
	if err != nil {
		t.Fatalf("ListClusters: %v", err)
	}
	got := map[string]model.Cluster{}
	for _, c := range *resp.Items {
		got[c.Metadata.Name] = c
	}
	// cn-north-4 holds prod-payments, prod-web and dev-sandbox, not the
	// ops subproject's cluster.
	for _, name := range []string{"prod-payments", "prod-web", "dev-sandbox"} {
		if _, ok := got[name]; !ok {
			t.Errorf("ListClusters lacks %s; got %v", name, keys(got))
		}
	}
	if len(got) != 3 {
		t.Errorf("ListClusters returned %d clusters, want 3: %v", len(got), keys(got))
	}
	c := got["prod-payments"]
	if *c.Metadata.Uid != pay.ID || *c.Status.Phase != "Available" || *c.Spec.Version != "v1.31" {
		t.Errorf("prod-payments = uid %s phase %s version %s", *c.Metadata.Uid, *c.Status.Phase, *c.Spec.Version)
	}
	internal, external, err := srv.Endpoints(pay.ID)
	if err != nil {
		t.Fatal(err)
	}
	eps := *c.Status.Endpoints
	if len(eps) != 2 || *eps[0].Url != internal || *eps[0].Type != "Internal" || *eps[1].Url != external || *eps[1].Type != "External" {
		t.Errorf("endpoints = %+v, want Internal %s and External %s", eps, internal, external)
	}
	if web := *got["prod-web"].Status.Endpoints; len(web) != 1 || *web[0].Type != "Internal" {
		t.Errorf("prod-web (no EIP) endpoints = %+v, want only Internal", web)
	}

	show, err := client.ShowCluster(&model.ShowClusterRequest{ClusterId: pay.ID})
	if err != nil {
		t.Fatalf("ShowCluster: %v", err)
	}
	if show.Metadata.Name != "prod-payments" || *(*show.Status.Endpoints)[0].Url != internal {
		t.Errorf("ShowCluster = %s %v, want prod-payments at %s", show.Metadata.Name, *show.Status.Endpoints, internal)
	}
	_, err = client.ShowCluster(&model.ShowClusterRequest{ClusterId: "00000000-0000-0000-0000-000000000000"})
	assertServiceError(t, err, http.StatusNotFound, codeNotFound)
}

func TestAutopilotClusters(t *testing.T) {
	srv := start(t, Options{})
	ap := target(t, srv, "serverless-api")
	client := cceClient(t, srv, ap.Region, ap.ProjectID, mainKey(srv), 0)
	list, err := client.ListAutopilotClusters(&model.ListAutopilotClustersRequest{})
	if err != nil {
		t.Fatalf("ListAutopilotClusters: %v", err)
	}
	if n := len(*list.Items); n != 1 || (*list.Items)[0].Metadata.Name != "serverless-api" {
		t.Fatalf("ListAutopilotClusters = %d items, want only serverless-api", n)
	}
	// The CCE API does not show Autopilot clusters, and vice versa.
	ccelist, err := client.ListClusters(&model.ListClustersRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range *ccelist.Items {
		if c.Metadata.Name == "serverless-api" {
			t.Error("ListClusters includes the Autopilot cluster")
		}
	}
	days := int32(30)
	resp, err := client.CreateAutopilotKubernetesClusterCert(&model.CreateAutopilotKubernetesClusterCertRequest{
		ClusterId: ap.ID, Body: &model.CertDuration{Duration: days},
	})
	if err != nil {
		t.Fatalf("CreateAutopilotKubernetesClusterCert: %v", err)
	}
	cert := parseB64Cert(t, *(*resp.Users)[0].User.ClientCertificateData)
	assertNear(t, "NotAfter", cert.NotAfter, time.Now().Add(30*24*time.Hour))
	_, err = client.CreateKubernetesClusterCert(&model.CreateKubernetesClusterCertRequest{
		ClusterId: ap.ID, Body: &model.ClusterCertDuration{Duration: &days},
	})
	assertServiceError(t, err, http.StatusNotFound, codeNotFound)
}

func TestCreateClusterCertValidity(t *testing.T) {
	srv := start(t, Options{})
	pay := target(t, srv, "prod-payments")
	client := cceClient(t, srv, pay.Region, pay.ProjectID, mainKey(srv), 0)
	now := time.Now()
	maxDays := maxCertDays(now)
	expireAt := now.Add(72 * time.Hour).UTC().Truncate(time.Second)
	cases := []struct {
		name     string
		body     model.ClusterCertDuration
		notAfter time.Time
	}{
		{"1 day", durationBody(1), now.Add(24 * time.Hour)},
		{"30 days", durationBody(30), now.Add(30 * 24 * time.Hour)},
		{"max days", durationBody(int32(maxDays)), now.Add(time.Duration(maxDays) * 24 * time.Hour)},
		{"-1 is five years", durationBody(-1), now.AddDate(5, 0, 0)},
		{"expire_at wins", expireAtBody(expireAt, 7), expireAt},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := tc.body
			resp, err := client.CreateKubernetesClusterCert(&model.CreateKubernetesClusterCertRequest{ClusterId: pay.ID, Body: &body})
			if err != nil {
				t.Fatalf("CreateKubernetesClusterCert: %v", err)
			}
			users := *resp.Users
			cert := parseB64Cert(t, *users[0].User.ClientCertificateData)
			keyPairFromB64(t, *users[0].User.ClientCertificateData, *users[0].User.ClientKeyData)
			assertNear(t, "NotAfter", cert.NotAfter, tc.notAfter)
			assertNear(t, "NotBefore", cert.NotBefore, now)
			if cert.Subject.CommonName != srv.UserID {
				t.Errorf("CN = %q, want the user id %q", cert.Subject.CommonName, srv.UserID)
			}
			if portID := resp.PortID; portID == nil || *portID != pay.PortID {
				t.Errorf("Port-ID header missing or wrong, want %s", pay.PortID)
			}
		})
	}
	if got := expireAtBody(expireAt, 0).ExpireAt; *got != expireAt.Format("2006-01-02 15:04:05 -0700 MST") {
		t.Fatalf("test builds expire_at as %q", *got)
	}
}

func TestCreateClusterCertRefusals(t *testing.T) {
	srv := start(t, Options{})
	pay := target(t, srv, "prod-payments")
	client := cceClient(t, srv, pay.Region, pay.ProjectID, mainKey(srv), 0)
	maxDays := int32(maxCertDays(time.Now()))
	soon := time.Now().Add(5 * time.Minute)
	for name, body := range map[string]model.ClusterCertDuration{
		"zero":            durationBody(0),
		"minus two":       durationBody(-2),
		"max plus one":    durationBody(maxDays + 1),
		"no duration":     {},
		"expire_at soon":  expireAtBody(soon, 0),
		"expire_at 6y":    expireAtBody(time.Now().AddDate(6, 0, 0), 0),
		"expire_at wrong": {ExpireAt: ptr("next tuesday")},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := client.CreateKubernetesClusterCert(&model.CreateKubernetesClusterCertRequest{ClusterId: pay.ID, Body: &body})
			assertServiceError(t, err, http.StatusBadRequest, codeBadRequest)
		})
	}
}

func TestHibernatedClusterRefused(t *testing.T) {
	srv := start(t, Options{})
	hk := target(t, srv, "analytics-hk")
	if hk.Phase != PhaseHibernation {
		t.Fatalf("analytics-hk phase = %s, want Hibernation", hk.Phase)
	}
	client := cceClient(t, srv, hk.Region, hk.ProjectID, mainKey(srv), 0)
	body := durationBody(30)
	_, err := client.CreateKubernetesClusterCert(&model.CreateKubernetesClusterCertRequest{ClusterId: hk.ID, Body: &body})
	se := assertServiceError(t, err, http.StatusBadRequest, codeHibernating)
	if se != nil && se.RequestId == "" {
		t.Error("error has no X-Request-Id")
	}
}

func durationBody(days int32) model.ClusterCertDuration {
	return model.ClusterCertDuration{Duration: &days}
}

// expireAtBody formats t the way the SDK documents expire_at; days, when
// not zero, is a duration that expire_at must win over.
func expireAtBody(t time.Time, days int32) model.ClusterCertDuration {
	s := t.UTC().Format("2006-01-02 15:04:05 -0700 MST")
	body := model.ClusterCertDuration{ExpireAt: &s}
	if days != 0 {
		body.Duration = &days
	}
	return body
}

func ptr[T any](v T) *T { return &v }

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// assertNear fails unless got is within a minute of want.
func assertNear(t *testing.T, what string, got, want time.Time) {
	t.Helper()
	if d := got.Sub(want); d > time.Minute || d < -time.Minute {
		t.Errorf("%s = %s, want %s (±1 min)", what, got.UTC(), want.UTC())
	}
}

// assertServiceError fails unless err is the SDK's ServiceResponseError
// with the given status and code.
func assertServiceError(t *testing.T, err error, status int, code string) *sdkerr.ServiceResponseError {
	t.Helper()
	var se *sdkerr.ServiceResponseError
	if !errors.As(err, &se) {
		t.Fatalf("error = %v (%T), want a ServiceResponseError %d %s", err, err, status, code)
	}
	if se.StatusCode != status || se.ErrorCode != code {
		t.Errorf("error = %d %s %q, want %d %s", se.StatusCode, se.ErrorCode, se.ErrorMessage, status, code)
	}
	return se
}
