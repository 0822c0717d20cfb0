package api

import (
	"strings"
	"testing"
)

// TestRealEndpointsFromSDKRegions builds clients for the real cloud without
// contacting it: endpoints come from the SDK's region tables, and building
// never makes a request (project and domain ids are given).
func TestRealEndpointsFromSDKRegions(t *testing.T) {
	isolateHome(t)
	c, err := New(Config{AK: "AK", SK: Secret("SK")})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cl, err := c.cceClient(t.Context(), ServiceCCE, "cn-north-4", "p1")
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := c.cceClient(t.Context(), ServiceCCE, "cn-north-4", "p1"); again != cl {
		t.Fatal("CCE client not cached")
	}
	r, err := c.endpointRegion("cce", "ap-southeast-1")
	if err != nil || len(r.Endpoints) == 0 || !strings.HasPrefix(r.Endpoints[0], "https://cce.ap-southeast-1.") {
		t.Fatalf("CCE endpoint %v, %v", r, err)
	}
	for _, svc := range []Service{"vpc", "iam", "ucs"} {
		region := "cn-north-4"
		if r, err := c.endpointRegion(svc, region); err != nil || !strings.HasPrefix(r.Endpoints[0], "https://") {
			t.Fatalf("%s endpoint: %v %v", svc, r, err)
		}
	}
	// A region the SDK does not know gets the site's pattern (issue 12:
	// failing with advice to set CCECERT_ENDPOINT, one URL for everything,
	// was wrong).
	if r, err := c.endpointRegion("cce", "xx-nowhere-9"); err != nil || r.Endpoints[0] != "https://cce.xx-nowhere-9.myhuaweicloud.com" {
		t.Fatalf("unknown region: %v %v", r, err)
	}
	if _, err := c.iamClient(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ucsClient(t.Context(), ""); err == nil {
		t.Fatal("UCS client built without a domain id")
	}
	if _, err := c.ucsClient(t.Context(), "d1"); err != nil {
		t.Fatal(err)
	}
}

func TestEndpointOverrideForEveryService(t *testing.T) {
	c, err := New(Config{AK: "AK", SK: Secret("SK"), Endpoint: "https://127.0.0.1:9443/"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, svc := range []Service{"cce", "vpc", "iam", "ucs"} {
		r, err := c.endpointRegion(svc, "eu-west-101")
		if err != nil || len(r.Endpoints) != 1 || r.Endpoints[0] != "https://127.0.0.1:9443" || r.Id != "eu-west-101" {
			t.Fatalf("%s: %+v %v", svc, r, err)
		}
	}
}
