package emulator

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3/model"
)

func TestTooManyRequests(t *testing.T) {
	srv := start(t, Options{Faults: Faults{TooMany: 2, RetryAfter: 1500 * time.Millisecond}})
	pay := target(t, srv, "prod-payments")
	path := "/api/v3/projects/" + pay.ProjectID + "/clusters"
	hdr := map[string]string{"X-Project-Id": pay.ProjectID}
	for i := range 2 {
		resp := rawCall(t, srv, mainKey(srv), http.MethodGet, path, nil, nil, hdr)
		if resp.status != http.StatusTooManyRequests || decodeError(t, resp.body).ErrorCode != codeThrottled {
			t.Fatalf("request %d = %d %s, want 429 %s", i+1, resp.status, resp.body, codeThrottled)
		}
		if got := resp.header.Get("Retry-After"); got != "2" {
			t.Errorf("Retry-After = %q, want 2 (1.5s rounded up)", got)
		}
	}
	if resp := rawCall(t, srv, mainKey(srv), http.MethodGet, path, nil, nil, hdr); resp.status != http.StatusOK {
		t.Fatalf("third request = %d, want 200", resp.status)
	}
	// Through the SDK: a ServiceResponseError with the gateway code.
	srv.SetFaults(Faults{TooMany: 1})
	_, err := cceClient(t, srv, pay.Region, pay.ProjectID, mainKey(srv), 0).ListClusters(&model.ListClustersRequest{})
	assertServiceError(t, err, http.StatusTooManyRequests, codeThrottled)
	var statuses []int
	for _, rec := range srv.Log() {
		statuses = append(statuses, rec.Status)
		if rec.Region != "cn-north-4" || rec.ProjectID != pay.ProjectID || rec.Method != http.MethodGet || rec.Path != path {
			t.Errorf("log record = %+v", rec)
		}
	}
	if want := []int{429, 429, 200, 429}; !slices.Equal(statuses, want) {
		t.Errorf("logged statuses %v, want %v", statuses, want)
	}
}

func TestErrorRateAndSetFaults(t *testing.T) {
	srv := start(t, Options{Faults: Faults{ErrorRate: 1}})
	pay := target(t, srv, "prod-payments")
	client := cceClient(t, srv, pay.Region, pay.ProjectID, mainKey(srv), 0)
	_, err := client.ListClusters(&model.ListClustersRequest{})
	assertServiceError(t, err, http.StatusInternalServerError, codeInternal)
	srv.SetFaults(Faults{})
	if _, err := client.ListClusters(&model.ListClustersRequest{}); err != nil {
		t.Fatalf("after SetFaults(no faults): %v", err)
	}
}

func TestHangingRegion(t *testing.T) {
	srv := start(t, Options{Faults: Faults{HangRegions: []string{"cn-south-1"}}})
	eu := target(t, srv, "prod-gz")
	pay := target(t, srv, "prod-payments")
	_, err := cceClient(t, srv, eu.Region, eu.ProjectID, mainKey(srv), 200*time.Millisecond).ListClusters(&model.ListClustersRequest{})
	var ue *url.Error
	if !errors.As(err, &ue) || !ue.Timeout() {
		t.Fatalf("hanging region: error %v (%T), want a *url.Error timeout", err, err)
	}
	if _, err := cceClient(t, srv, pay.Region, pay.ProjectID, mainKey(srv), 0).ListClusters(&model.ListClustersRequest{}); err != nil {
		t.Errorf("other region while one hangs: %v", err)
	}
}

func TestConnectionReset(t *testing.T) {
	srv := start(t, Options{Faults: Faults{ResetRate: 1}})
	pay := target(t, srv, "prod-payments")
	_, err := cceClient(t, srv, pay.Region, pay.ProjectID, mainKey(srv), 0).ListClusters(&model.ListClustersRequest{})
	var se *sdkerr.ServiceResponseError
	if err == nil || errors.As(err, &se) {
		t.Fatalf("reset: error %v, want a transport error", err)
	}
	if n := srv.Requests(); n != 1 {
		t.Errorf("Requests() = %d, want 1", n)
	}
}

// TestLatencyIsAtLeastConfigured asserts only a lower bound, which no
// machine load can break.
func TestLatencyIsAtLeastConfigured(t *testing.T) {
	srv := start(t, Options{Faults: Faults{Latency: 80 * time.Millisecond, Jitter: 20 * time.Millisecond}})
	pay := target(t, srv, "prod-payments")
	client := cceClient(t, srv, pay.Region, pay.ProjectID, mainKey(srv), 0)
	begin := time.Now()
	if _, err := client.ListClusters(&model.ListClustersRequest{}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(begin); d < 80*time.Millisecond {
		t.Errorf("request took %s, want at least the 80ms latency", d)
	}
}
