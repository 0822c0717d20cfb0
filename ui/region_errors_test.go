package ui

import (
	"errors"
	"testing"

	"ccecert/api"
)

// A fleet listing without its members is not a failed region: the status
// bar and the refresh summary say what is missing instead.
func TestRegionErrorsTellAFailedRegionFromMissingMembers(t *testing.T) {
	failed := api.RegionError{Region: "eu-west-0", Kind: api.KindCCE, Err: errors.New("timeout")}
	members := api.RegionError{Region: "global", Kind: api.KindFleet, Partial: true, Err: errors.New("HTTP 403")}
	fleet := api.Target{Kind: api.KindFleet, ID: "f-1", Name: "global-prod", Region: "global"}
	cases := []struct {
		errs          []api.RegionError
		status, summy string
	}{
		{nil, "", "refreshed: 0 clusters, 1 fleet"},
		{[]api.RegionError{failed}, "1 region failed: eu-west-0", "refreshed: 0 clusters, 1 fleet (1 region failed)"},
		{[]api.RegionError{members}, "fleet members not listed", "refreshed: 0 clusters, 1 fleet (fleet members not listed)"},
		{[]api.RegionError{failed, members}, "1 region failed: eu-west-0 · fleet members not listed",
			"refreshed: 0 clusters, 1 fleet (1 region failed) (fleet members not listed)"},
	}
	for _, c := range cases {
		m := Model{regionErrs: c.errs}
		if got := m.regionsText(); got != c.status {
			t.Errorf("%v: status %q, want %q", c.errs, got, c.status)
		}
		if got := refreshSummary(Inventory{Targets: []api.Target{fleet}, Errors: c.errs}); got != c.summy {
			t.Errorf("%v: summary %q, want %q", c.errs, got, c.summy)
		}
	}
}
