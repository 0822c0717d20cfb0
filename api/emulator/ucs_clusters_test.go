package emulator

import (
	"net/http"
	"net/url"
	"slices"
	"testing"

	ucs "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ucs/v1"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ucs/v1/model"
)

// showClusters calls ShowClusterList and returns the item names, their
// fleet uids and the total.
func showClusters(t *testing.T, client *ucs.UcsClient, req model.ShowClusterListRequest) (names, groups []string, total int) {
	t.Helper()
	resp, err := client.ShowClusterList(&req)
	if err != nil {
		t.Fatalf("ShowClusterList(%+v): %v", req, err)
	}
	if resp.Items == nil || resp.Total == nil {
		t.Fatalf("ShowClusterList: items %v total %v, want both present", resp.Items, resp.Total)
	}
	for _, c := range *resp.Items {
		names = append(names, *c.Metadata.Name)
		groups = append(groups, *c.Spec.ClusterGroupID)
	}
	return names, groups, int(*resp.Total)
}

func TestShowClusterListGroupedMembers(t *testing.T) {
	srv := start(t, Options{})
	client := ucsClient(t, srv, mainKey(srv), srv.DomainID)
	resp, err := client.ShowClusterList(&model.ShowClusterListRequest{Managetype: ptr(manageGrouped)})
	if err != nil {
		t.Fatalf("ShowClusterList: %v", err)
	}
	want := map[string][]string{} // fleet uid → member names, inventory order
	for _, f := range srv.Inventory().Fleets {
		want[f.ID] = f.Members
	}
	got := map[string][]string{}
	uids := map[string]bool{}
	for _, c := range *resp.Items {
		m, s := c.Metadata, c.Spec
		got[*s.ClusterGroupID] = append(got[*s.ClusterGroupID], *m.Name)
		if *s.Category != "self" || *s.Type != "cce" || *s.ManageType != manageGrouped || *c.Status.Phase != PhaseAvailable || *c.Kind != "Cluster" {
			t.Errorf("cluster %s: category %s type %s manageType %s phase %s kind %s", *m.Name, *s.Category, *s.Type, *s.ManageType, *c.Status.Phase, *c.Kind)
		}
		if *m.Uid == "" || uids[*m.Uid] {
			t.Errorf("cluster %s: uid %q empty or repeated", *m.Name, *m.Uid)
		}
		uids[*m.Uid] = true
	}
	if *resp.Total != 7 || len(got) != len(want) {
		t.Fatalf("total %d, members by fleet %v, want 7 in %v", *resp.Total, got, want)
	}
	for id, names := range want {
		if !slices.Equal(got[id], names) {
			t.Errorf("fleet %s members %v, want %v", id, got[id], names)
		}
	}
	pay := target(t, srv, "prod-payments")
	for _, c := range *resp.Items {
		if *c.Metadata.Name == "prod-payments" && (*c.Spec.ProjectID != pay.ProjectID || *c.Spec.Region != pay.Region) {
			t.Errorf("prod-payments project %s region %s, want %s %s", *c.Spec.ProjectID, *c.Spec.Region, pay.ProjectID, pay.Region)
		}
	}
}

func TestShowClusterListFilters(t *testing.T) {
	srv := start(t, Options{})
	client := ucsClient(t, srv, mainKey(srv), srv.DomainID)
	prod := target(t, srv, "global-prod")
	all, _, total := showClusters(t, client, model.ShowClusterListRequest{})
	if total != 7 || len(all) != 7 {
		t.Fatalf("default managetype (all): %d items, total %d, want 7", len(all), total)
	}
	if names, _, total := showClusters(t, client, model.ShowClusterListRequest{Managetype: ptr(manageAll)}); !slices.Equal(names, all) || total != 7 {
		t.Errorf("managetype all = %v (total %d), want %v", names, total, all)
	}
	// Only fleet members are registered in the emulator's UCS.
	if names, _, total := showClusters(t, client, model.ShowClusterListRequest{Managetype: ptr(manageDiscrete)}); len(names) != 0 || total != 0 {
		t.Errorf("managetype discrete = %v (total %d), want none", names, total)
	}
	names, groups, total := showClusters(t, client, model.ShowClusterListRequest{Managetype: ptr(manageGrouped), Clustergroupid: ptr(prod.ID)})
	if want := []string{"prod-payments", "prod-web", "prod-gz"}; !slices.Equal(names, want) || total != 3 {
		t.Errorf("clustergroupid global-prod = %v (total %d), want %v", names, total, want)
	}
	for _, g := range groups {
		if g != prod.ID {
			t.Errorf("clustergroupid filter returned a cluster of fleet %s", g)
		}
	}
	if names, _, total := showClusters(t, client, model.ShowClusterListRequest{Clustergroupid: ptr("no-such-fleet")}); len(names) != 0 || total != 0 {
		t.Errorf("unknown clustergroupid = %v (total %d), want none", names, total)
	}
	_, err := client.ShowClusterList(&model.ShowClusterListRequest{Managetype: ptr("single")})
	assertServiceError(t, err, http.StatusBadRequest, codeUCSBad)
}

func TestShowClusterListPages(t *testing.T) {
	srv := start(t, Options{})
	client := ucsClient(t, srv, mainKey(srv), srv.DomainID)
	all, _, _ := showClusters(t, client, model.ShowClusterListRequest{Managetype: ptr(manageGrouped)})
	var paged []string
	for offset := int32(0); offset < 9; offset += 3 {
		names, _, total := showClusters(t, client, model.ShowClusterListRequest{
			Managetype: ptr(manageGrouped), Limit: ptr(int32(3)), Offset: ptr(offset)})
		if want := min(3, max(0, 7-int(offset))); len(names) != want || total != 7 {
			t.Errorf("offset %d: %d items, total %d, want %d and 7", offset, len(names), total, want)
		}
		paged = append(paged, names...)
	}
	if !slices.Equal(paged, all) {
		t.Errorf("pages of 3 = %v, want %v", paged, all)
	}
	// Paging applies after the fleet filter; total counts the filtered list.
	prod := target(t, srv, "global-prod")
	names, _, total := showClusters(t, client, model.ShowClusterListRequest{
		Managetype: ptr(manageGrouped), Clustergroupid: ptr(prod.ID), Limit: ptr(int32(2)), Offset: ptr(int32(2))})
	if !slices.Equal(names, []string{"prod-gz"}) || total != 3 {
		t.Errorf("global-prod page 2 = %v (total %d), want [prod-gz] of 3", names, total)
	}
	resp := rawCall(t, srv, mainKey(srv), http.MethodGet, "/v1/clusters", url.Values{"offset": {"-1"}}, nil,
		map[string]string{"X-Domain-Id": srv.DomainID})
	if resp.status != http.StatusBadRequest || decodeError(t, resp.body).ErrorCode != codeUCSBad {
		t.Errorf("offset -1 = %d %s, want 400 %s", resp.status, resp.body, codeUCSBad)
	}
}

func TestShowClusterListNeedsSignature(t *testing.T) {
	srv := start(t, Options{})
	dom := map[string]string{"X-Domain-Id": srv.DomainID}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/clusters?managetype=grouped", nil)
	req.Header.Set("X-Domain-Id", srv.DomainID)
	if resp := send(t, srv, req); resp.status != http.StatusUnauthorized || decodeError(t, resp.body).ErrorCode != codeBadAuth {
		t.Errorf("unsigned = %d %s, want 401 %s", resp.status, resp.body, codeBadAuth)
	}
	_, err := ucsClient(t, srv, keyPair{srv.AK, srv.SK + "x"}, srv.DomainID).ShowClusterList(&model.ShowClusterListRequest{})
	assertServiceError(t, err, http.StatusUnauthorized, codeBadAuth)

	q := url.Values{"managetype": {manageGrouped}}
	hdrs := signHeaders(t, srv, mainKey(srv), http.MethodGet, "/v1/clusters", q, nil, dom)
	if good := sendSigned(t, srv, http.MethodGet, "/v1/clusters", q, nil, hdrs); good.status != http.StatusOK {
		t.Fatalf("signed = %d %s, want 200", good.status, good.body)
	}
	// Signed for managetype=grouped, sent asking for all: the query is signed.
	if resp := sendSigned(t, srv, http.MethodGet, "/v1/clusters", url.Values{"managetype": {manageAll}}, nil, hdrs); resp.status != http.StatusUnauthorized {
		t.Errorf("tampered query = %d %s, want 401", resp.status, resp.body)
	}
	// UCS needs global credentials: no X-Domain-Id is 403.
	if resp := rawCall(t, srv, mainKey(srv), http.MethodGet, "/v1/clusters", nil, nil, nil); resp.status != http.StatusForbidden {
		t.Errorf("without X-Domain-Id = %d, want 403", resp.status)
	}
}

func TestShowClusterListFaults(t *testing.T) {
	srv := start(t, Options{Faults: Faults{TooMany: 1}})
	client := ucsClient(t, srv, mainKey(srv), srv.DomainID)
	_, err := client.ShowClusterList(&model.ShowClusterListRequest{})
	assertServiceError(t, err, http.StatusTooManyRequests, codeThrottled)
	if _, err := client.ShowClusterList(&model.ShowClusterListRequest{}); err != nil {
		t.Fatalf("after the burst: %v", err)
	}
	srv.SetFaults(Faults{ErrorRate: 1})
	_, err = client.ShowClusterList(&model.ShowClusterListRequest{})
	var statuses []int
	for _, rec := range srv.Log() {
		if rec.Path != "/v1/clusters" {
			t.Errorf("logged %s %s", rec.Method, rec.Path)
		}
		statuses = append(statuses, rec.Status)
	}
	if want := []int{429, 200, 500}; !slices.Equal(statuses, want) || err == nil {
		t.Errorf("statuses %v (last error %v), want %v", statuses, err, want)
	}
}
