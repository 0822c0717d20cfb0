package api

import "testing"

func TestTargetLabel(t *testing.T) {
	for _, c := range []struct {
		t    Target
		want string
	}{
		{Target{Name: "prod-web", ID: "u1", Region: "cn-north-4"}, "prod-web (cn-north-4)"},
		{Target{Name: "global-prod", ID: "f1", Kind: KindFleet}, "global-prod"},
		{Target{ID: "3f9a-uid", Region: "cn-east-3"}, "3f9a-uid (cn-east-3)"},
	} {
		if got := c.t.Label(); got != c.want {
			t.Errorf("%+v.Label() = %q; want %q", c.t, got, c.want)
		}
	}
}
