package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	ucsmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ucs/v1/model"

	"ccecert/api/emulator"
)

// ucsTap sits between the client and the emulator: it records the queries
// of UCS cluster listings and, per path, may answer in the emulator's place
// or rewrite its answer.
type ucsTap struct {
	base    http.RoundTripper
	answer  map[string]func(*http.Request) *http.Response       // by path
	rewrite map[string]func(body map[string]any) map[string]any // by path

	mu      sync.Mutex
	queries []url.Values // of GET /v1/clusters, in order
}

// tap installs a ucsTap on the env's client; call it before any request.
func tap(e *testEnv) *ucsTap {
	tp := &ucsTap{base: e.client.transport.base, answer: map[string]func(*http.Request) *http.Response{},
		rewrite: map[string]func(map[string]any) map[string]any{}}
	e.client.transport.base = tp
	return tp
}

func (tp *ucsTap) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Path == "/v1/clusters" {
		tp.mu.Lock()
		tp.queries = append(tp.queries, req.URL.Query())
		tp.mu.Unlock()
	}
	if fn := tp.answer[req.URL.Path]; fn != nil {
		return fn(req), nil
	}
	resp, err := tp.base.RoundTrip(req)
	fn := tp.rewrite[req.URL.Path]
	if err != nil || fn == nil || resp.StatusCode != http.StatusOK {
		return resp, err
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		return nil, err
	}
	data, err := json.Marshal(fn(body))
	if err != nil {
		return nil, err
	}
	resp.Body, resp.ContentLength = io.NopCloser(bytes.NewReader(data)), int64(len(data))
	resp.Header.Del("Content-Length")
	return resp, nil
}

func (tp *ucsTap) clusterQueries() []url.Values {
	tp.mu.Lock()
	defer tp.mu.Unlock()
	return slices.Clone(tp.queries)
}

// gatewayAnswer is a UCS error answer in the gateway's format.
func gatewayAnswer(status int, code, msg string) func(*http.Request) *http.Response {
	return func(req *http.Request) *http.Response {
		body := fmt.Sprintf(`{"error_code":%q,"error_msg":%q}`, code, msg)
		return &http.Response{
			StatusCode: status, Status: fmt.Sprintf("%d %s", status, http.StatusText(status)),
			Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Request: req,
			Header:        http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"tap-request-id"}},
			Body:          io.NopCloser(strings.NewReader(body)),
			ContentLength: int64(len(body)),
		}
	}
}

// fleetsByName lists the fleets (only) and returns them by name.
func fleetsByName(t *testing.T, e *testEnv) (map[string]Target, *Inventory) {
	t.Helper()
	inv, err := e.client.Inventory(context.Background(), InventoryOptions{Kinds: []Kind{KindFleet}})
	if err != nil {
		t.Fatalf("Inventory of fleets: %v", err)
	}
	out := map[string]Target{}
	for _, tg := range inv.Targets {
		if tg.Kind != KindFleet {
			t.Errorf("fleet listing returned %s %s", tg.Kind, tg.Name)
		}
		out[tg.Name] = tg
	}
	return out, inv
}

func TestFleetMembersDemo(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	tp := tap(e)
	fleets, inv := fleetsByName(t, e)
	if len(inv.Errors) != 0 || len(fleets) != 3 {
		t.Fatalf("fleets %v, errors %v", fleets, inv.Errors)
	}
	for name, want := range map[string][]string{
		"global-prod":     {"prod-gz", "prod-payments", "prod-web"},
		"asia-batch":      {"analytics-hk", "data-pipeline"},
		"platform-shared": {"ops-tools", "staging-web"},
	} {
		if got := fleets[name].Members; !slices.Equal(got, want) {
			t.Errorf("%s members %v, want %v", name, got, want)
		}
	}
	// One listing for the account, not one per fleet: grouped clusters only.
	q := tp.clusterQueries()
	if len(q) != 1 || q[0].Get("managetype") != "grouped" || q[0].Get("clustergroupid") != "" ||
		q[0].Get("limit") != "100" || q[0].Get("offset") != "0" {
		t.Fatalf("cluster listings %v, want one managetype=grouped limit=100 offset=0", q)
	}
	// Listing clusters only never asks UCS.
	if _, err := e.client.Inventory(context.Background(), InventoryOptions{Kinds: []Kind{KindCCE, KindAutopilot}}); err != nil {
		t.Fatal(err)
	}
	if n := len(tp.clusterQueries()); n != 1 {
		t.Errorf("a cluster-only inventory listed UCS clusters (%d listings)", n)
	}
}

// pagedInventory is 252 clusters in 2 regions and three fleets: "big" with
// 250 members, "small" with 2, "empty" with none (3 pages of 100 members).
func pagedInventory() *emulator.Inventory {
	inv := emulator.Synthetic(252, 2)
	var big []string
	for i := range 250 {
		big = append(big, fmt.Sprintf("cluster-%04d", 250-i)) // reverse order: the client sorts
	}
	inv.Fleets = []emulator.Fleet{
		{Name: "big", Members: big},
		{Name: "small", Federation: true, Members: []string{"cluster-0252", "cluster-0251"}},
		{Name: "empty"},
	}
	return inv
}

func TestFleetMembersPaged(t *testing.T) {
	e := newTestEnv(t, emulator.Options{Inventory: pagedInventory()}, nil)
	tp := tap(e)
	// A fleet carrying the emulator's old member annotation: it is not read.
	annotated := 0
	tp.rewrite["/v1/clustergroups"] = func(body map[string]any) map[string]any {
		for _, it := range body["items"].([]any) {
			annotated++
			meta := it.(map[string]any)["metadata"].(map[string]any)
			meta["annotations"] = map[string]string{"ccecert.emulator/member-clusters": "cluster-0001,cluster-0002"}
		}
		return body
	}
	fleets, inv := fleetsByName(t, e)
	if len(inv.Errors) != 0 || len(fleets) != 3 {
		t.Fatalf("fleets %v, errors %v", fleets, inv.Errors)
	}
	var want []string
	for i := range 250 {
		want = append(want, fmt.Sprintf("cluster-%04d", i+1))
	}
	if got := fleets["big"].Members; !slices.Equal(got, want) {
		t.Errorf("big: %d members %v…, want the 250 sorted", len(got), got[:min(3, len(got))])
	}
	if got := fleets["small"].Members; !slices.Equal(got, []string{"cluster-0251", "cluster-0252"}) {
		t.Errorf("small members %v", got)
	}
	if annotated != 3 {
		t.Fatalf("%d fleets carried the old annotation, want 3", annotated)
	}
	if got := fleets["empty"].Members; len(got) != 0 {
		t.Errorf("empty fleet (with the old annotation) has members %v", got)
	}
	var offsets []string
	for _, q := range tp.clusterQueries() {
		offsets = append(offsets, q.Get("offset"))
	}
	if !slices.Equal(offsets, []string{"0", "100", "200"}) {
		t.Errorf("cluster pages at offsets %v, want 0, 100, 200", offsets)
	}
}

func TestFleetMembersForbiddenStillListsFleets(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	tp := tap(e)
	tp.answer["/v1/clusters"] = gatewayAnswer(http.StatusForbidden, "UCS.00010014", "iam pdp authentication denied")
	fleets, inv := fleetsByName(t, e)
	if len(fleets) != 3 || !fleets["global-prod"].Federation {
		t.Fatalf("fleets %v, want the 3 demo fleets", fleets)
	}
	for name, f := range fleets {
		if len(f.Members) != 0 {
			t.Errorf("%s has members %v without a cluster listing", name, f.Members)
		}
	}
	if len(inv.Errors) != 1 {
		t.Fatalf("errors %v, want the member listing's", inv.Errors)
	}
	re := inv.Errors[0]
	ae, ok := asError(re.Err)
	if re.Region != "global" || re.Kind != KindFleet || !re.Partial || !ok || ae.Status != http.StatusForbidden || ae.Retryable {
		t.Fatalf("region error %+v (%v)", re, re.Err)
	}
	for _, want := range []string{"fleet listing incomplete", "list fleet member clusters", "HTTP 403 UCS.00010014", "tap-request-id", "ucs:clusters:list"} {
		if !strings.Contains(re.Error(), want) {
			t.Errorf("warning %q lacks %q", re.Error(), want)
		}
	}
	if n := len(tp.clusterQueries()); n != 1 || len(e.sleeps.all()) != 0 {
		t.Errorf("%d cluster listings, %d waits: a 403 is never retried", n, len(e.sleeps.all()))
	}
}

func TestFleetMembersServerErrorAfterRetries(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	tp := tap(e)
	tp.answer["/v1/clusters"] = gatewayAnswer(http.StatusServiceUnavailable, "UCS.00000500", "service unavailable")
	inv, err := e.client.Inventory(context.Background(), InventoryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var fleets, clusters int
	for _, tg := range inv.Targets {
		if tg.Kind == KindFleet {
			fleets++
		} else {
			clusters++
		}
	}
	if fleets != 3 || clusters == 0 || len(inv.Errors) != 1 || !inv.Errors[0].Partial {
		t.Fatalf("%d fleets, %d clusters, errors %v: want every target and the member failure", fleets, clusters, inv.Errors)
	}
	if ae, ok := asError(inv.Errors[0].Err); !ok || ae.Status != http.StatusServiceUnavailable {
		t.Fatalf("member error %v", inv.Errors[0].Err)
	}
	if n := len(tp.clusterQueries()); n != DefaultMaxAttempts || len(e.sleeps.all()) != DefaultMaxAttempts-1 {
		t.Errorf("%d attempts, %d waits, want %d and %d", n, len(e.sleeps.all()), DefaultMaxAttempts, DefaultMaxAttempts-1)
	}
}

func TestFleetListingFailureHidesMemberResult(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	tp := tap(e)
	tp.answer["/v1/clustergroups"] = gatewayAnswer(http.StatusForbidden, "UCS.00010014", "iam pdp authentication denied")
	inv, err := e.client.Inventory(context.Background(), InventoryOptions{Kinds: []Kind{KindFleet}})
	if err == nil || !strings.Contains(err.Error(), "nothing could be listed") {
		t.Fatalf("only fleets asked, fleets refused: err %v", err)
	}
	if len(inv.Targets) != 0 || len(inv.Errors) != 1 || inv.Errors[0].Partial || inv.Errors[0].Region != "global" {
		t.Fatalf("targets %v, errors %+v: want the fleet listing's error only", inv.Targets, inv.Errors)
	}
	// Fleets listed, their members refused, every cluster region hanging:
	// something was listed, so the inventory is not an error.
	hang := emulator.Faults{HangRegions: []string{"cn-north-4", "cn-east-3", "ap-southeast-1", "cn-south-1"}}
	e = newTestEnv(t, emulator.Options{Faults: hang}, func(c *Config) { c.RegionTimeout = 500 * time.Millisecond })
	tap(e).answer["/v1/clusters"] = gatewayAnswer(http.StatusForbidden, "UCS.00010014", "iam pdp authentication denied")
	inv, err = e.client.Inventory(context.Background(), InventoryOptions{})
	if err != nil {
		t.Fatalf("fleets listed but nothing else: %v", err)
	}
	partial := slices.ContainsFunc(inv.Errors, func(re RegionError) bool { return re.Partial })
	if len(inv.Targets) != 3 || len(inv.Errors) != 11 || !partial {
		t.Fatalf("%d targets, errors %v: want the 3 fleets, 10 hung listings and the member failure", len(inv.Targets), inv.Errors)
	}
}

func TestFleetMembersTidy(t *testing.T) {
	cl := func(name, group string) ucsmodel.Cluster {
		return ucsmodel.Cluster{Metadata: &ucsmodel.ObjectMeta{Name: &name}, Spec: &ucsmodel.ClusterSpec{ClusterGroupID: &group}}
	}
	m := fleetMembers{}
	for _, it := range []ucsmodel.Cluster{
		cl("b", "f1"), cl("a", "f1"), cl("b", "f1"), // unsorted, repeated
		cl("", "f1"),      // no name
		cl("c", ""),       // in no fleet
		cl("d", "f2"),     //
		{Metadata: nil},   // no metadata
		{Spec: nil},       // no spec
		cl("a", "f3-old"), // a fleet that is not listed
	} {
		m.add(it)
	}
	m.tidy()
	ts := []Target{
		{Kind: KindFleet, ID: "f1"}, {Kind: KindFleet, ID: "f2"}, {Kind: KindFleet, ID: "f9"},
		{Kind: KindCCE, ID: "f1"},
	}
	m.apply(ts)
	if !slices.Equal(ts[0].Members, []string{"a", "b"}) || !slices.Equal(ts[1].Members, []string{"d"}) ||
		ts[2].Members != nil || ts[3].Members != nil {
		t.Fatalf("members %v / %v / %v / cce %v", ts[0].Members, ts[1].Members, ts[2].Members, ts[3].Members)
	}
	ts[0].Members[0] = "changed"
	if m["f1"][0] != "a" {
		t.Fatal("apply shares the slice between targets and the listing")
	}
}

func TestRegionErrorPartialText(t *testing.T) {
	ae := &Error{Op: "list fleet member clusters", Status: 403, Message: "denied"}
	re := RegionError{Region: "global", Kind: KindFleet, Err: ae, Partial: true}
	if want := "fleet listing incomplete: " + ae.Error(); re.Error() != want || !errors.Is(re, ae) {
		t.Fatalf("partial RegionError %q, want %q", re.Error(), want)
	}
}
