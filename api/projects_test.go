package api

import (
	"reflect"
	"testing"

	iammodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3/model"
)

func TestProjectRegion(t *testing.T) {
	cases := map[string]string{
		"cn-north-4": "cn-north-4", "cn-north-4_ops": "cn-north-4", "ap-southeast-1": "ap-southeast-1",
		"eu-west-101": "eu-west-101", "la-south-2_a_b": "la-south-2", "sr-region-01": "sr-region-01",
		"MOS": "", "cn": "", "": "", "_sub": "", "CN-NORTH-4": "", "cn-north-4 ": "",
	}
	for name, want := range cases {
		got, ok := ProjectRegion(name)
		if got != want || ok != (want != "") {
			t.Errorf("ProjectRegion(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
}

func TestProjectsFromFiltersAndSorts(t *testing.T) {
	in := []iammodel.AuthProjectResult{
		{Id: "p3", Name: "cn-north-4_ops", DomainId: "d", Enabled: true},
		{Id: "p1", Name: "MOS", DomainId: "d", Enabled: true},
		{Id: "p2", Name: "cn-east-3", DomainId: "d", Enabled: true},
		{Id: "p4", Name: "ap-southeast-1", DomainId: "d", Enabled: false},
		{Id: "p5", Name: "cn-north-4", DomainId: "d", Enabled: true},
	}
	got := projectsFrom(in)
	want := []Project{
		{ID: "p2", Name: "cn-east-3", Region: "cn-east-3", DomainID: "d"},
		{ID: "p5", Name: "cn-north-4", Region: "cn-north-4", DomainID: "d"},
		{ID: "p3", Name: "cn-north-4_ops", Region: "cn-north-4", DomainID: "d"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("projectsFrom = %+v", got)
	}
	if f := filterRegions(got, []string{"cn-north-4"}); len(f) != 2 || f[0].ID != "p5" || f[1].ID != "p3" {
		t.Fatalf("filter cn-north-4 = %+v", f)
	}
	if f := filterRegions(got, nil); len(f) != 3 {
		t.Fatalf("no filter = %+v", f)
	}
	if f := filterRegions(got, []string{"eu-west-101"}); len(f) != 0 {
		t.Fatalf("absent region = %+v", f)
	}
}
