package store

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"ccecert/api"
	"ccecert/api/keysource"
)

func TestProfilesDefaultWithoutSection(t *testing.T) {
	c, _, err := LoadConfig(writeConfig(t, "regions: [cn-north-4]\nsite: otc\n"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.Profile("")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != DefaultProfile || p.Source.Type != "env" || p.Cloud.Site != api.SiteOTC || !reflect.DeepEqual(p.Regions, []string{"cn-north-4"}) {
		t.Fatalf("default profile: %+v", p)
	}
	if _, err := c.Profile("prod"); err == nil || !strings.Contains(err.Error(), `no profile "prod"`) || !strings.Contains(err.Error(), "default") {
		t.Fatalf("unknown profile: %v", err)
	}
}

func TestProfilesSection(t *testing.T) {
	p := writeConfig(t, `
regions: [cn-north-4]
naming: "{{.Name}}-{{.Context}}"
profiles:
  - name: cn
    source: {type: env}
  - name: prod-eu
    site: huaweicloud-eu
    regions: [eu-west-101]
    kubeconfig: eu.yaml
    naming: "eu-{{.Name}}-{{.Context}}"
    source:
      type: process
      command: [otc-auth, credentials]
      timeout: 45s
`)
	c, warnings, err := LoadConfig(p)
	if err != nil || len(warnings) > 0 {
		t.Fatal(warnings, err)
	}
	if got := c.ProfileNames(); !reflect.DeepEqual(got, []string{"cn", "prod-eu"}) {
		t.Fatalf("names %v", got)
	}
	first, _ := c.Profile("") // no profile named default: the first
	if first.Name != "cn" || first.Cloud.Site != api.SiteHuaweiCloud || !reflect.DeepEqual(first.Regions, []string{"cn-north-4"}) {
		t.Fatalf("first %+v", first)
	}
	eu, err := c.Profile("prod-eu")
	if err != nil {
		t.Fatal(err)
	}
	want := keysource.Spec{Type: "process", Command: []string{"otc-auth", "credentials"}, Timeout: 45 * time.Second}
	if !reflect.DeepEqual(eu.Source, want) || eu.Cloud.Site != api.SiteHuaweiCloudEU || eu.Kubeconfig != filepath.Join(filepath.Dir(p), "eu.yaml") ||
		!reflect.DeepEqual(eu.Regions, []string{"eu-west-101"}) || eu.Naming != "eu-{{.Name}}-{{.Context}}" {
		t.Fatalf("prod-eu %+v", eu)
	}
	sc := c.ForProfile(eu)
	if sc.Cloud.Site != api.SiteHuaweiCloudEU || sc.Regions[0] != "eu-west-101" || sc.Naming != eu.Naming || c.Cloud.Site != api.SiteHuaweiCloud {
		t.Fatalf("ForProfile %+v", sc)
	}
}

func TestProfilesBadInput(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"no source", "profiles:\n  - name: eu\n", `profile "eu": no credential source: add source: {type: env}`},
		{"empty type", "profiles:\n  - name: eu\n    source: {file: x}\n", `profile "eu": no credential source`},
		{"bad type", "profiles:\n  - name: eu\n    source: {type: vault}\n", `profile "eu": field source.type: "vault" is not a credential source`},
		{"duplicate", "profiles:\n  - {name: eu, source: {type: env}}\n  - {name: eu, source: {type: env}}\n", `profile "eu" is defined twice`},
		{"unknown key", "profiles:\n  - {name: eu, sorce: {type: env}}\n", `profile "eu": unknown key "sorce"`},
		{"unknown source key", "profiles:\n  - {name: eu, source: {type: env, comand: [x]}}\n", `profile "eu": unknown key "source.comand"`},
		{"no name", "profiles:\n  - {source: {type: env}}\n", `profiles[0]: give it a name`},
		{"bad name", "profiles:\n  - {name: \"Prod EU\", source: {type: env}}\n", `profile "Prod EU": give it a name`},
		{"process without command", "profiles:\n  - {name: eu, source: {type: process}}\n", `profile "eu": source process needs a command`},
		{"bad site", "profiles:\n  - {name: eu, site: mars, source: {type: env}}\n", `profile "eu": field site`},
		{"bad timeout", "profiles:\n  - {name: eu, source: {type: process, command: [x], timeout: soon}}\n", `profile "eu": field source.timeout`},
		{"not a list", "profiles: {eu: {source: {type: env}}}\n", `field profiles: expected a list`},
		{"bad naming", "profiles:\n  - {name: eu, naming: \"{{.Name}}\", source: {type: env}}\n", `profile "eu": field naming`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := LoadConfig(writeConfig(t, tc.body))
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("got %v, want one line with %q", err, tc.want)
			}
		})
	}
}
