package emulator

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The emulator serves only documented routes and holds clients to the
// documented bodies (issue 12).

// Autopilot has no documented revoke and no legacy GET: those paths are
// unknown APIs, answered like the gateway answers any.
func TestUndocumentedAutopilotRoutesAreUnknown(t *testing.T) {
	srv := start(t, Options{})
	ap := target(t, srv, "serverless-api")
	base := "/autopilot/v3/projects/" + ap.ProjectID + "/clusters/" + ap.ID
	for _, tc := range []struct{ method, path string }{
		{http.MethodPost, base + "/clustercertrevoke"},
		{http.MethodGet, base + "/clustercert"},
	} {
		body := []byte(`{"userId":"` + srv.UserID + `"}`)
		if tc.method == http.MethodGet {
			body = nil
		}
		r := rawCall(t, srv, mainKey(srv), tc.method, tc.path, nil, body, map[string]string{"X-Project-Id": ap.ProjectID})
		if e := decodeError(t, r.body); r.status != http.StatusNotFound || e.ErrorCode != codeNoAPI || e.ErrorMsg != msgNoAPI {
			t.Errorf("%s %s = %d %+v, want 404 %s", tc.method, tc.path, r.status, e, codeNoAPI)
		}
	}
}

// duration is mandatory (English CCE reference); expire_at wins when the
// cloud honours it; Autopilot takes days only.
func TestCertBodyRules(t *testing.T) {
	now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	at := now.Add(30 * time.Hour)
	withAt := `{"duration":2,"expire_at":"` + at.Format("2006-01-02 15:04:05 -0700 MST") + `"}`
	for _, tc := range []struct {
		name, body string
		honour     bool
		want       time.Time
		fails      bool
	}{
		{"expire_at alone", `{"expire_at":"` + at.Format("2006-01-02 15:04:05 -0700 MST") + `"}`, true, time.Time{}, true},
		{"expire_at wins", withAt, true, at, false},
		{"expire_at ignored", withAt, false, now.Add(48 * time.Hour), false},
		{"duration", `{"duration":3}`, true, now.Add(72 * time.Hour), false},
		{"bad duration beside expire_at", `{"duration":0,"expire_at":"` + at.Format(time.RFC3339) + `"}`, true, time.Time{}, true},
	} {
		got, err := certExpiry([]byte(tc.body), now, tc.honour)
		if (err != nil) != tc.fails || (!tc.fails && !got.Equal(tc.want)) {
			t.Errorf("%s: %v, %v; want %v (fails %v)", tc.name, got, err, tc.want, tc.fails)
		}
	}
}

// A region whose gateway does not publish the POST answers it 404
// APIGW.0101; a v1.11 cluster's POST is a 400 about the cluster, never
// the 404 that says the cluster does not exist.
func TestLegacyOnlyRegionAndOldCluster(t *testing.T) {
	srv := start(t, Options{})
	web := target(t, srv, "prod-web")
	path := "/api/v3/projects/" + web.ProjectID + "/clusters/" + web.ID + "/clustercert"
	srv.SetFaults(Faults{LegacyOnlyRegions: []string{web.Region}})
	r := rawCall(t, srv, mainKey(srv), http.MethodPost, path, nil, []byte(`{"duration":1}`), nil)
	if e := decodeError(t, r.body); r.status != http.StatusNotFound || e.ErrorCode != codeNoAPI {
		t.Fatalf("POST in a legacy-only region = %d %+v", r.status, e)
	}
	if r := rawCall(t, srv, mainKey(srv), http.MethodGet, path, nil, nil, nil); r.status != http.StatusOK {
		t.Fatalf("legacy GET there = %d %s", r.status, r.body)
	}
}

// A fleet's federation state is rendered as UCS reports it: federationId
// set, the Federation condition Available or Unavailable with its reason.
func TestFederationConditionRendered(t *testing.T) {
	inv := DemoInventory()
	for i := range inv.Fleets {
		if inv.Fleets[i].Name == "global-prod" {
			inv.Fleets[i].FederationStatus = "Unavailable"
			inv.Fleets[i].FederationReason = "FederationNotReady"
		}
	}
	srv := start(t, Options{Inventory: inv})
	fl := target(t, srv, "global-prod")
	r := rawCall(t, srv, mainKey(srv), http.MethodGet, "/v1/clustergroups/"+fl.ID, nil, nil, map[string]string{"X-Domain-Id": srv.DomainID})
	var got struct {
		Spec struct {
			FederationID string `json:"federationId"`
		} `json:"spec"`
		Status struct {
			Conditions []struct{ Type, Status, Reason string } `json:"conditions"`
		} `json:"status"`
	}
	if err := json.Unmarshal(r.body, &got); err != nil || r.status != http.StatusOK {
		t.Fatalf("ShowClusterGroup = %d %s", r.status, r.body)
	}
	c := got.Status.Conditions
	if got.Spec.FederationID == "" || len(c) != 1 || c[0].Type != "Federation" || c[0].Status != "Unavailable" || c[0].Reason != "FederationNotReady" {
		t.Fatalf("fleet %s", r.body)
	}
	bad := DemoInventory()
	bad.Fleets[0].FederationStatus = "Sleepy"
	if _, err := Start(t.Context(), Options{Inventory: bad}); err == nil || !strings.Contains(err.Error(), "federation_status") {
		t.Fatalf("inventory with federation_status Sleepy: %v", err)
	}
}
