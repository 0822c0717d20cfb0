package emulator

import (
	"strings"
	"testing"
)

func TestDemoInventory(t *testing.T) {
	inv := DemoInventory()
	// eu-west-101 is Huawei Cloud Europe's region, so the demo keeps it in
	// an account of that site, not in the Chinese Mainland main account.
	if len(inv.Accounts) != 1 || inv.Accounts[0].Site != "huaweicloud-eu" || len(inv.Accounts[0].Clusters) != 1 ||
		inv.Accounts[0].Clusters[0].Name != "prod-eu" || inv.Accounts[0].Clusters[0].Project != "eu-west-101" {
		t.Errorf("demo accounts %+v; want one Huawei Cloud Europe account with prod-eu in eu-west-101", inv.Accounts)
	}
	for _, p := range inv.Projects {
		if strings.HasPrefix(p.Name, "eu-") {
			t.Errorf("main (Chinese Mainland) account has project %s", p.Name)
		}
	}
	if n := len(inv.Clusters); n < 8 || n > 12 {
		t.Errorf("demo has %d clusters, want 8..12", n)
	}
	if n := len(inv.Fleets); n < 2 || n > 3 {
		t.Errorf("demo has %d fleets, want 2..3", n)
	}
	var hibernated, legacy, autopilot, eip, noEIP, fedOn, fedOff int
	for _, c := range inv.Clusters {
		switch {
		case c.Phase == PhaseHibernation:
			hibernated++
		case c.Legacy():
			legacy++
		}
		if c.Kind == KindAutopilot {
			autopilot++
		}
		if c.EIP {
			eip++
		} else {
			noEIP++
		}
	}
	for _, f := range inv.Fleets {
		if f.Federation {
			fedOn++
		} else {
			fedOff++
		}
		if len(f.Members) == 0 {
			t.Errorf("fleet %s has no members", f.Name)
		}
	}
	if hibernated != 1 || legacy != 1 || autopilot != 1 || eip == 0 || noEIP == 0 || fedOn == 0 || fedOff == 0 {
		t.Errorf("demo: hibernated %d legacy %d autopilot %d eip %d/%d federation %d/%d",
			hibernated, legacy, autopilot, eip, noEIP, fedOn, fedOff)
	}
	for _, name := range []string{"MOS", "cn-north-4_ops", "cn-north-4", "cn-east-3", "ap-southeast-1", "cn-south-1"} {
		if _, ok := inv.Project(name); !ok {
			t.Errorf("demo lacks project %s", name)
		}
	}
	if p, _ := inv.Project("cn-north-4_ops"); p.Region() != "cn-north-4" {
		t.Errorf("cn-north-4_ops region = %q", p.Region())
	}
	if again := DemoInventory(); again.Clusters[0].ID != inv.Clusters[0].ID || again.Projects[0].ID != inv.Projects[0].ID {
		t.Error("derived IDs differ between loads")
	}
}

func TestLoadInventoryErrors(t *testing.T) {
	base := `domain: {name: d}
user: {name: u}
projects: [{name: cn-north-4, vpcs: [{name: v, cidr: 10.0.0.0/16, subnets: [{name: s, cidr: 10.0.1.0/24}]}]}]
`
	cases := map[string]struct{ doc, want string }{
		"empty":            {"", "inventory is empty"},
		"not yaml":         {"{{{", "parse inventory"},
		"unknown field":    {base + "clusterz: []\n", "clusterz"},
		"no projects":      {"domain: {name: d}\nuser: {name: u}\n", "no projects"},
		"no domain":        {"user: {name: u}\nprojects: [{name: p}]\n", "domain.name"},
		"unknown project":  {base + "clusters: [{name: c, project: cn-nort-4, version: v1.31}]\n", `unknown project "cn-nort-4"`},
		"bad kind":         {base + "clusters: [{name: c, project: cn-north-4, version: v1.31, kind: gke}]\n", `kind "gke"`},
		"bad version":      {base + "clusters: [{name: c, project: cn-north-4, version: latest}]\n", `version "latest"`},
		"bad phase":        {base + "clusters: [{name: c, project: cn-north-4, version: v1.31, phase: Sleeping}]\n", `phase "Sleeping"`},
		"duplicate":        {base + "clusters: [{name: c, project: cn-north-4, version: v1.31}, {name: c, project: cn-north-4, version: v1.30}]\n", "duplicate cluster name"},
		"unknown member":   {base + "fleets: [{name: f, members: [ghost]}]\n", `member "ghost"`},
		"bad auth":         {base + "fleets: [{name: f, auth: password}]\n", `auth "password"`},
		"subnet outside":   {"domain: {name: d}\nuser: {name: u}\nprojects: [{name: p, vpcs: [{name: v, cidr: 10.0.0.0/16, subnets: [{name: s, cidr: 192.168.0.0/24}]}]}]\n", "inside the VPC"},
		"duplicate id":     {base + "clusters: [{id: x, name: a, project: cn-north-4, version: v1.31}, {id: x, name: b, project: cn-north-4, version: v1.31}]\n", `same id "x"`},
		"bad legacy days":  {base + "clusters: [{name: c, project: cn-north-4, version: v1.11, legacy_cert_days: -5}]\n", "legacy_cert_days"},
		"project with '/'": {"domain: {name: d}\nuser: {name: u}\nprojects: [{name: a/b}]\n", "spaces or slashes"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := LoadInventory([]byte(tc.doc))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("LoadInventory error = %v, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestLoadInventoryJSONAndDefaults(t *testing.T) {
	inv, err := LoadInventory([]byte(`{"domain":{"name":"d"},"user":{"name":"u"},
		"projects":[{"name":"cn-south-1"}],
		"clusters":[{"name":"c1","project":"cn-south-1","version":"v1.30"}],
		"fleets":[{"name":"f","federation":true,"members":["c1"]}]}`))
	if err != nil {
		t.Fatalf("LoadInventory(JSON): %v", err)
	}
	c := inv.Clusters[0]
	if c.Kind != KindCCE || c.Phase != PhaseAvailable || c.GitVersion != "v1.30.1-r0" || c.LegacyCertDays != 365 || len(c.ID) != 36 {
		t.Errorf("defaults: %+v", c)
	}
	if len(inv.Projects[0].ID) != 32 || len(inv.Domain.ID) != 32 || inv.Fleets[0].Auth != FleetAuthCert {
		t.Errorf("derived ids: project %q domain %q auth %q", inv.Projects[0].ID, inv.Domain.ID, inv.Fleets[0].Auth)
	}
}

func TestSynthetic(t *testing.T) {
	inv := Synthetic(1000, 30)
	if err := inv.Validate(); err != nil {
		t.Fatalf("Synthetic is invalid: %v", err)
	}
	if len(inv.Clusters) != 1000 || len(inv.Projects) != 30 {
		t.Fatalf("Synthetic(1000, 30) = %d clusters, %d projects", len(inv.Clusters), len(inv.Projects))
	}
	perProject := map[string]int{}
	eip := 0
	for _, c := range inv.Clusters {
		perProject[c.Project]++
		if c.EIP {
			eip++
		}
		if c.Phase != PhaseAvailable || c.Version != syntheticVersion || c.Kind != KindCCE {
			t.Fatalf("cluster %+v is not an Available current CCE cluster", c)
		}
	}
	for p, n := range perProject {
		if n < 33 || n > 34 {
			t.Errorf("project %s has %d clusters, want 33 or 34", p, n)
		}
	}
	if eip != 500 {
		t.Errorf("%d clusters with EIP, want 500", eip)
	}
	if many := Synthetic(5, 40); len(many.Projects) != 40 || many.Projects[39].Name != "sr-region-40" {
		t.Errorf("Synthetic(5, 40) projects: %d, last %s", len(many.Projects), many.Projects[len(many.Projects)-1].Name)
	}
	if one := Synthetic(0, 0); len(one.Clusters) != 1 || len(one.Projects) != 1 {
		t.Errorf("Synthetic(0, 0) = %d clusters", len(one.Clusters))
	}
}

func TestCloneIsDeep(t *testing.T) {
	inv := DemoInventory()
	c := inv.Clone()
	c.Projects[0].VPCs[0].Subnets[0].Name = "changed"
	c.Fleets[0].Members[0] = "changed"
	c.Clusters[0].Name = "changed"
	if inv.Projects[0].VPCs[0].Subnets[0].Name == "changed" || inv.Fleets[0].Members[0] == "changed" || inv.Clusters[0].Name == "changed" {
		t.Error("Clone shares data with the original")
	}
}
