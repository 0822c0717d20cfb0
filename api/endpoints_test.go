package api

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// noEnv is a getenv with nothing set: the table test sees no override.
func noEnv(string) string { return "" }

// TestEndpointTable holds every built-in site × service × a few regions
// against the hosts the sites' documents give (see sites for the pages).
// "-" means the site documents no such service: a CapabilityError.
func TestEndpointTable(t *testing.T) {
	isolateHome(t)
	type row struct {
		site   Site
		intl   bool
		svc    Service
		region string
		want   string
	}
	rows := []row{
		// Huawei Cloud, Chinese Mainland and International.
		{SiteHuaweiCloud, false, ServiceIAM, "", "https://iam.cn-north-4.myhuaweicloud.com"},
		{SiteHuaweiCloud, false, ServiceIAM, "ap-southeast-1", "https://iam.ap-southeast-1.myhuaweicloud.com"},
		{SiteHuaweiCloud, false, ServiceCCE, "cn-north-4", "https://cce.cn-north-4.myhuaweicloud.com"},
		{SiteHuaweiCloud, false, ServiceCCE, "ap-southeast-3", "https://cce.ap-southeast-3.myhuaweicloud.com"},
		{SiteHuaweiCloud, false, ServiceCCE, "la-south-2", "https://cce.la-south-2.myhuaweicloud.com"},
		{SiteHuaweiCloud, false, ServiceCCE, "cn-new-99", "https://cce.cn-new-99.myhuaweicloud.com"}, // not in the SDK: the pattern
		{SiteHuaweiCloud, false, ServiceAutopilot, "cn-east-3", "https://cce.cn-east-3.myhuaweicloud.com"},
		{SiteHuaweiCloud, false, ServiceAutopilot, "cn-new-99", "https://cce.cn-new-99.myhuaweicloud.com"},
		{SiteHuaweiCloud, false, ServiceVPC, "cn-north-4", "https://vpc.cn-north-4.myhuaweicloud.com"},
		{SiteHuaweiCloud, false, ServiceVPC, "ap-southeast-1", "https://vpc.ap-southeast-1.myhuaweicloud.com"},
		{SiteHuaweiCloud, false, ServiceUCS, "cn-north-4", "https://ucs.myhuaweicloud.com"},
		{SiteHuaweiCloud, false, ServiceUCS, "ap-southeast-1", "https://ucs.myhuaweicloud.com"},
		{SiteHuaweiCloud, true, ServiceUCS, "ap-southeast-1", "https://ucs-intl.myhuaweicloud.com"},
		{SiteHuaweiCloud, true, ServiceCCE, "ap-southeast-1", "https://cce.ap-southeast-1.myhuaweicloud.com"},
		{SiteHuaweiCloud, true, ServiceIAM, "", "https://iam.cn-north-4.myhuaweicloud.com"},
		// Huawei Cloud Europe.
		{SiteHuaweiCloudEU, false, ServiceIAM, "", "https://iam.eu-west-101.myhuaweicloud.eu"},
		{SiteHuaweiCloudEU, false, ServiceCCE, "eu-west-101", "https://cce.eu-west-101.myhuaweicloud.eu"},
		{SiteHuaweiCloudEU, false, ServiceVPC, "eu-west-101", "https://vpc.eu-west-101.myhuaweicloud.eu"},
		{SiteHuaweiCloudEU, false, ServiceCCE, "eu-west-102", "https://cce.eu-west-102.myhuaweicloud.eu"},
		{SiteHuaweiCloudEU, false, ServiceAutopilot, "eu-west-101", "-"},
		{SiteHuaweiCloudEU, false, ServiceUCS, "eu-west-101", "-"},
		// Open Telekom Cloud.
		{SiteOTC, false, ServiceIAM, "", "https://iam.eu-de.otc.t-systems.com"},
		{SiteOTC, false, ServiceIAM, "eu-nl", "https://iam.eu-nl.otc.t-systems.com"},
		{SiteOTC, false, ServiceCCE, "eu-de", "https://cce.eu-de.otc.t-systems.com"},
		{SiteOTC, false, ServiceCCE, "eu-nl", "https://cce.eu-nl.otc.t-systems.com"},
		{SiteOTC, false, ServiceVPC, "eu-de", "https://vpc.eu-de.otc.t-systems.com"},
		{SiteOTC, false, ServiceVPC, "eu-nl", "https://vpc.eu-nl.otc.t-systems.com"},
		{SiteOTC, false, ServiceAutopilot, "eu-de", "-"},
		{SiteOTC, false, ServiceUCS, "eu-de", "-"},
	}
	for _, r := range rows {
		cfg := Config{Site: r.site, International: r.intl, Getenv: noEnv}
		got, err := cfg.EndpointFor(r.svc, r.region)
		if r.want == "-" {
			var ce *CapabilityError
			if !errors.As(err, &ce) || ce.Site != r.site || ce.Service != r.svc {
				t.Errorf("%s/%s/%s: %q, %v; want a CapabilityError", r.site, r.svc, r.region, got, err)
			}
			continue
		}
		if err != nil || got != r.want {
			t.Errorf("%s (intl %v) %s %s = %q, %v; want %q", r.site, r.intl, r.svc, r.region, got, err, r.want)
		}
	}
}

// The custom site follows its template; UCS, which has no pattern, needs
// an override.
func TestEndpointCustomSite(t *testing.T) {
	isolateHome(t)
	cfg := Config{Site: SiteCustom, EndpointTemplate: DefaultEndpointTemplate, Domain: "cloud.example", IAMRegion: "r1", Getenv: noEnv}
	for svc, want := range map[Service]string{
		ServiceIAM: "https://iam.r1.cloud.example", ServiceCCE: "https://cce.r2.cloud.example",
		ServiceAutopilot: "https://cce.r2.cloud.example", ServiceVPC: "https://vpc.r2.cloud.example",
	} {
		region := "r2"
		if svc == ServiceIAM {
			region = ""
		}
		if got, err := cfg.EndpointFor(svc, region); err != nil || got != want {
			t.Errorf("%s: %q %v, want %q", svc, got, err, want)
		}
	}
	var ce *CapabilityError
	if _, err := cfg.EndpointFor(ServiceUCS, ""); !errors.As(err, &ce) {
		t.Errorf("custom UCS without override: %v", err)
	}
	cfg.Endpoints = map[Service]string{ServiceUCS: "https://ucs.cloud.example"}
	if got, err := cfg.EndpointFor(ServiceUCS, ""); err != nil || got != "https://ucs.cloud.example" {
		t.Errorf("custom UCS override: %q %v", got, err)
	}
	for _, bad := range []Config{
		{Site: SiteCustom, Getenv: noEnv},
		{Site: SiteCustom, EndpointTemplate: DefaultEndpointTemplate, IAMRegion: "r1", Getenv: noEnv},
		{Site: SiteCustom, EndpointTemplate: "https://{service}.{region}.x", Getenv: noEnv},
		{Site: "aws", Getenv: noEnv},
		{Endpoints: map[Service]string{"ecs": "https://x"}, Getenv: noEnv},
	} {
		if _, err := bad.EndpointFor(ServiceCCE, "r1"); err == nil {
			t.Errorf("%+v: no error", bad)
		}
	}
}

// Overrides win in this order: CCECERT_ENDPOINT, config per-service, the
// SDK's environment variable, the SDK's regions file, the SDK's table.
func TestEndpointOverrides(t *testing.T) {
	isolateHome(t)
	// The files live in a home only the resolver's getenv names: the
	// SDK's own provider reads the process HOME once per process and
	// caches what it found, so it must never see these.
	home := t.TempDir()
	env := map[string]string{"HOME": home}
	getenv := func(k string) string { return env[k] }
	cfg := Config{Getenv: getenv}
	check := func(what string, svc Service, region, want string) {
		t.Helper()
		if got, err := cfg.EndpointFor(svc, region); err != nil || got != want {
			t.Errorf("%s: %q %v, want %q", what, got, err, want)
		}
	}
	check("SDK table", ServiceCCE, "cn-north-4", "https://cce.cn-north-4.myhuaweicloud.com")

	dir := filepath.Join(home, ".huaweicloud")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "regions.yaml"), `
CCE:
  - id: cn-north-4
    endpoint: https://cce-file.example.com
ucs:
  - id: cn-north-4
    endpoints: [https://ucs-file.example.com, https://ucs-file2.example.com]
`)
	check("regions file", ServiceCCE, "cn-north-4", "https://cce-file.example.com")
	check("regions file, lower-case service", ServiceUCS, "", "https://ucs-file.example.com")
	check("regions file, Autopilot is CCE's", ServiceAutopilot, "cn-north-4", "https://cce-file.example.com")
	check("regions file, other region", ServiceCCE, "cn-east-3", "https://cce.cn-east-3.myhuaweicloud.com")

	env["HUAWEICLOUD_SDK_REGION_CCE_CN_NORTH_4"] = "https://cce-env.example.com,https://cce-env2.example.com"
	check("SDK environment", ServiceCCE, "cn-north-4", "https://cce-env.example.com")

	cfg.Endpoints = map[Service]string{ServiceCCE: "https://cce-{region}.corp.example/"}
	check("config override", ServiceCCE, "cn-north-4", "https://cce-cn-north-4.corp.example")
	check("config override, Autopilot follows CCE", ServiceAutopilot, "cn-north-4", "https://cce-cn-north-4.corp.example")

	cfg.Endpoint = "https://127.0.0.1:8443"
	for _, svc := range Services() {
		check("CCECERT_ENDPOINT", svc, "eu-de", "https://127.0.0.1:8443")
	}

	other := filepath.Join(home, "other.yaml")
	writeFile(t, other, "VPC:\n  - id: cn-north-4\n    endpoint: https://vpc-other.example.com\n")
	env["HUAWEICLOUD_SDK_REGIONS_FILE"] = other
	cfg = Config{Getenv: getenv}
	check("HUAWEICLOUD_SDK_REGIONS_FILE", ServiceVPC, "cn-north-4", "https://vpc-other.example.com")
	writeFile(t, other, "VPC: [")
	if _, err := cfg.EndpointFor(ServiceVPC, "cn-north-4"); err == nil || !strings.Contains(err.Error(), other) {
		t.Errorf("broken regions file: %v", err)
	}
	cfg.Endpoints = map[Service]string{ServiceCCE: "http://cce.example.com"}
	env["HUAWEICLOUD_SDK_REGIONS_FILE"] = ""
	if _, err := cfg.EndpointFor(ServiceCCE, "cn-north-4"); err == nil {
		t.Error("plain-http override to a non-loopback host accepted")
	}
}

// A capability the site does not document is refused before any request,
// and an inventory skips it with a note (or an error when asked for it).
func TestSiteCapabilitiesRefusedBeforeAnyRequest(t *testing.T) {
	isolateHome(t)
	c, err := New(Config{AK: "AK", SK: Secret("SK"), Site: SiteOTC, Getenv: noEnv})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ap := Target{Kind: KindAutopilot, ID: "a", Name: "ap", Region: "eu-de", ProjectID: "p"}
	fl := Target{Kind: KindFleet, ID: "f", Name: "fl", Region: "global", Federation: true}
	var ce *CapabilityError
	if _, err := c.Issue(t.Context(), ap, CertRequest{Validity: Days(1)}); !errors.As(err, &ce) || !strings.Contains(err.Error(), "CCE Autopilot is not documented for Open Telekom Cloud") {
		t.Errorf("Autopilot on OTC: %v", err)
	}
	if _, err := c.Issue(t.Context(), fl, CertRequest{Validity: Days(1)}); !errors.As(err, &ce) || !strings.Contains(err.Error(), "UCS (fleets) is not documented for Open Telekom Cloud") {
		t.Errorf("fleet on OTC: %v", err)
	}
	kinds, skipped := c.siteKinds(nil)
	if len(kinds) != 1 || kinds[0] != KindCCE || len(skipped) != 2 {
		t.Errorf("OTC kinds %v skipped %v", kinds, skipped)
	}
}

// ConfigFromEnv reads the site settings; an unknown site names the valid
// ones.
func TestConfigFromEnvSite(t *testing.T) {
	env := map[string]string{EnvAK: "AK", EnvSK: "SK", EnvSite: "OTC", EnvInternational: "1"}
	cfg, err := ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil || cfg.Site != SiteOTC || !cfg.International {
		t.Fatalf("site from env: %+v %v", cfg.Site, err)
	}
	if _, err := New(cfg); err == nil || !strings.Contains(err.Error(), "international applies to site huaweicloud only") {
		t.Fatalf("international on OTC: %v", err)
	}
	env[EnvSite] = "azure"
	if _, err := ConfigFromEnv(func(k string) string { return env[k] }); err == nil ||
		!strings.Contains(err.Error(), "huaweicloud-eu") || !strings.Contains(err.Error(), EnvSite) {
		t.Fatalf("unknown site: %v", err)
	}
	delete(env, EnvSite)
	if cfg, err := ConfigFromEnv(func(k string) string { return env[k] }); err != nil || cfg.Site != SiteHuaweiCloud {
		t.Fatalf("default site: %v %v", cfg.Site, err)
	}
}
