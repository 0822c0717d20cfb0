package emulator

import (
	"encoding/json"
	"reflect"
	"testing"

	"ccecert/assets"
)

// FuzzLoadInventory feeds the inventory loader (`emulator serve
// --inventory FILE`) arbitrary bytes: it never panics, and what it accepts
// is valid, fully defaulted, stable across loads and clones deeply.
func FuzzLoadInventory(f *testing.F) {
	seeds := []string{
		string(assets.DemoInventory),
		"domain: {name: d}\nuser: {name: u}\nprojects: [{name: cn-north-4}]\n",
		`{"domain":{"name":"d"},"user":{"name":"u"},"projects":[{"name":"cn-north-4"}],"clusters":[{"name":"c","project":"cn-north-4","version":"v1.31"}]}`,
		"domain: {name: d}\nuser: {name: u}\nprojects: [{name: cn-north-4}]\nclusters:\n  - {name: \"\\e[31mred\\e]52;c;ZXZpbA==\\a\", project: cn-north-4, version: v1.31}\n",
		"domain: {name: d}\nuser: {name: u}\nprojects: [{name: cn-north-4}]\nclusters: [{name: ../../etc/x, project: cn-north-4, version: v1.11, legacy_cert_days: 4000}]\n",
		"domain: {name: d}\nuser: {name: u}\nprojects: [{name: a}, {name: a}]\n",
		"fleets: [{name: f, members: [nope, nope]}]",
		"projects: [{name: p, vpcs: [{name: v, cidr: 10.0.0.0/8, subnets: [{name: s, cidr: 11.0.0.0/24}]}]}]",
		"clusters: {not: a list}",
		"a: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
		"bogus_key: 1",
		"\xff\xfe\x00",
		"",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		inv, err := LoadInventory(data)
		if err != nil {
			if inv != nil {
				t.Fatal("an inventory came back with an error")
			}
			return
		}
		if err := inv.Validate(); err != nil {
			t.Fatalf("accepted inventory does not validate: %v", err)
		}
		if inv.Domain.ID == "" || inv.User.ID == "" {
			t.Fatal("domain or user id not derived")
		}
		for _, c := range inv.Clusters {
			if c.ID == "" || c.Kind == "" || c.Phase == "" || c.PortID == "" || c.LegacyCertDays < 1 {
				t.Fatalf("cluster %q not defaulted: %+v", c.Name, c)
			}
		}
		again, err := LoadInventory(data)
		if err != nil || !reflect.DeepEqual(inv, again) {
			t.Fatalf("a second load differs: %v", err)
		}
		clone := inv.Clone()
		a, _ := json.Marshal(inv)
		b, _ := json.Marshal(clone)
		if string(a) != string(b) {
			t.Fatalf("Clone differs from the original:\n%s\n%s", a, b)
		}
		if len(clone.Clusters) > 0 {
			clone.Clusters[0].Name += "x"
			if inv.Clusters[0].Name == clone.Clusters[0].Name {
				t.Fatal("Clone shares the cluster slice")
			}
		}
	})
}
