package api

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"sigs.k8s.io/yaml"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/region"
	cceregion "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3/region"
	iamregion "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3/region"
	ucsregion "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ucs/v1/region"
	vpcregion "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/vpc/v2/region"
)

// The SDK's own endpoint overrides, read the way its region providers read
// them (core/region/env_region.go and profile_region.go, v0.1.207):
// HUAWEICLOUD_SDK_REGION_<SERVICE>_<REGION> (region upper-cased, "-" → "_",
// a comma-separated list of endpoints), then the regions file named by
// HUAWEICLOUD_SDK_REGIONS_FILE or ~/.huaweicloud/regions.yaml (a map of
// service → [{id, endpoint, endpoints}]).
const (
	sdkRegionEnvPrefix = "HUAWEICLOUD_SDK_REGION"
	sdkRegionsFileEnv  = "HUAWEICLOUD_SDK_REGIONS_FILE"
)

// CapabilityError is a service the site's documents do not confirm:
// ccecert does not guess its endpoint.
type CapabilityError struct {
	Site    Site
	Service Service
}

func (e *CapabilityError) Error() string {
	what := map[Service]string{ServiceUCS: "UCS (fleets)", ServiceAutopilot: "CCE Autopilot"}[e.Service]
	if what == "" {
		what = string(e.Service)
	}
	return fmt.Sprintf("%s is not documented for %s, so ccecert does not guess its endpoint: "+
		"if your cloud serves it, set the %s endpoint override (endpoints: %s: https://…)",
		what, e.Site.title(), e.Service, e.Service)
}

// resolver maps (service, region) to a base URL, once per Client: the
// single place endpoints come from.
type resolver struct {
	cfg     Config
	getenv  func(string) string
	regions map[string]map[string][]string // regions file: SERVICE → region → endpoints
}

// newResolver reads the SDK's regions file, if any.
func newResolver(cfg Config) (*resolver, error) {
	r := &resolver{cfg: cfg, getenv: cfg.Getenv}
	if r.getenv == nil {
		r.getenv = os.Getenv
	}
	if cfg.Endpoint != "" {
		return r, nil // one URL for everything: no file is read
	}
	regions, err := readRegionsFile(r.getenv)
	if err != nil {
		return nil, err
	}
	r.regions = regions
	return r, nil
}

// EndpointFor is the base URL ccecert calls for svc in region under this
// configuration (region is ignored for UCS, a global service, and
// defaults to IAMRegion for IAM). The order: CCECERT_ENDPOINT (one URL
// for everything); a per-service override (Endpoints); the SDK's
// overrides (environment, regions file); the SDK's region table when it
// knows the region on this site; else the site's pattern.
func (c Config) EndpointFor(svc Service, region string) (string, error) {
	cfg, err := c.withSiteDefaults()
	if err != nil {
		return "", err
	}
	r, err := newResolver(cfg)
	if err != nil {
		return "", err
	}
	return r.resolve(svc, region)
}

func (r *resolver) resolve(svc Service, region string) (string, error) {
	if r.cfg.Endpoint != "" {
		return r.cfg.Endpoint, nil
	}
	site := r.cfg.Site
	switch svc {
	case ServiceIAM:
		if region == "" {
			region = r.cfg.IAMRegion
		}
	case ServiceUCS:
		region = r.ucsRegion()
	case ServiceAutopilot:
		if u := r.cfg.Endpoints[ServiceAutopilot]; u != "" {
			return r.expand(u, svc, region)
		}
		if info, ok := sites[site]; ok && !info.autopilot {
			return "", &CapabilityError{Site: site, Service: svc}
		}
		svc = ServiceCCE // served by CCE's endpoint
	case ServiceCCE, ServiceVPC:
	default:
		return "", fmt.Errorf("unknown service %q", svc)
	}
	if region == "" {
		return "", fmt.Errorf("no region for %s: list the projects first", svc)
	}
	if u := r.cfg.Endpoints[svc]; u != "" {
		return r.expand(u, svc, region)
	}
	if u := r.sdkOverride(svc, region); u != "" {
		return u, nil
	}
	if site == SiteCustom {
		return r.custom(svc, region)
	}
	return r.builtin(site, svc, region)
}

// builtin resolves on a built-in site: UCS from its documented host;
// regional services from the SDK's table when the table's host is on this
// site's domain, else the site's pattern {service}.{region}.{domain}.
func (r *resolver) builtin(site Site, svc Service, region string) (string, error) {
	info := sites[site]
	if svc == ServiceUCS {
		host := info.ucsHost
		if r.cfg.International {
			host = info.ucsIntlHost
		}
		if host == "" {
			return "", &CapabilityError{Site: site, Service: svc}
		}
		return "https://" + host, nil
	}
	if u := sdkTable(svc, region); u != "" {
		// The table's host counts only on its own site: it maps
		// eu-west-101's VPC to vpc.eu-west-101.myhuaweicloud.com, off
		// Huawei Cloud Europe's domain (which no Europe VPC page
		// confirms either way; ccecert calls VPC only for fleets, which
		// are not documented there).
		if pu, err := url.Parse(u); err == nil && strings.HasSuffix(pu.Hostname(), "."+info.domain) {
			return strings.TrimRight(u, "/"), nil
		}
	}
	return "https://" + svc.host() + "." + region + "." + info.domain, nil
}

// custom resolves on the custom site: the template, except for UCS,
// which is global and has no pattern.
func (r *resolver) custom(svc Service, region string) (string, error) {
	if svc == ServiceUCS {
		return "", &CapabilityError{Site: SiteCustom, Service: svc}
	}
	return r.expand(r.cfg.EndpointTemplate, svc, region)
}

// ucsRegion is the region id UCS's client is built with: the SDK's own
// (cn-north-4) on Huawei Cloud, else the site's IAM region. SDK overrides
// of UCS are keyed by it.
func (r *resolver) ucsRegion() string {
	if r.cfg.Site == SiteHuaweiCloud {
		return ucsRegion
	}
	return r.cfg.IAMRegion
}

// expand fills a template's {service}, {region} and {domain} and checks
// the result is a base URL ccecert may call.
func (r *resolver) expand(tmpl string, svc Service, region string) (string, error) {
	u := strings.NewReplacer("{service}", svc.host(), "{region}", region, "{domain}", r.cfg.Domain).Replace(tmpl)
	u = strings.TrimRight(u, "/")
	if err := checkBaseURL("endpoint of "+string(svc), u); err != nil {
		return "", err
	}
	return u, nil
}

// sdkName is the SDK's service name of an override (Autopilot is CCE's).
func sdkName(svc Service) string { return strings.ToUpper(svc.host()) }

// sdkOverride is the SDK's own override for svc in region: the
// environment first, then the regions file (the SDK's provider chain
// order); the first endpoint of a list.
func (r *resolver) sdkOverride(svc Service, region string) string {
	name := sdkRegionEnvPrefix + "_" + sdkName(svc) + "_" + strings.ToUpper(strings.ReplaceAll(region, "-", "_"))
	if v := strings.TrimSpace(r.getenv(name)); v != "" {
		first, _, _ := strings.Cut(v, ",")
		return strings.TrimRight(strings.TrimSpace(first), "/")
	}
	if eps := r.regions[sdkName(svc)][region]; len(eps) > 0 {
		return strings.TrimRight(eps[0], "/")
	}
	return ""
}

// sdkTables are the SDK's region lookups by service.
var sdkTables = map[Service]func(string) (*region.Region, error){
	ServiceCCE: cceregion.SafeValueOf,
	ServiceVPC: vpcregion.SafeValueOf,
	ServiceIAM: iamregion.SafeValueOf,
	ServiceUCS: ucsregion.SafeValueOf,
}

// sdkTable is the SDK's static region table entry for svc in region, or ""
// (it also consults the SDK's own overrides, which sdkOverride read first).
func sdkTable(svc Service, region string) string {
	lookup, ok := sdkTables[svc]
	if !ok {
		return ""
	}
	r, err := lookup(region)
	if err != nil || r == nil || len(r.Endpoints) == 0 {
		return ""
	}
	return r.Endpoints[0]
}

// regionsEntry is one region of the SDK's regions file.
type regionsEntry struct {
	ID        string   `json:"id"`
	Endpoint  string   `json:"endpoint"`
	Endpoints []string `json:"endpoints"`
}

// readRegionsFile reads the SDK's regions file: HUAWEICLOUD_SDK_REGIONS_FILE
// or ~/.huaweicloud/regions.yaml. A missing file is no override; a file
// that does not parse is an error naming it (the SDK itself panics).
func readRegionsFile(getenv func(string) string) (map[string]map[string][]string, error) {
	path := strings.TrimSpace(getenv(sdkRegionsFileEnv))
	if path == "" {
		home := getenv("HOME")
		if home == "" {
			var err error
			if home, err = os.UserHomeDir(); err != nil {
				return nil, nil
			}
		}
		path = filepath.Join(home, ".huaweicloud", "regions.yaml")
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the SDK regions file %s: %w", path, err)
	}
	var file map[string][]regionsEntry
	if err := yaml.Unmarshal(data, &file); err != nil {
		return nil, fmt.Errorf("the SDK regions file %s does not parse: %w (fix it, or point %s elsewhere)", path, err, sdkRegionsFileEnv)
	}
	out := map[string]map[string][]string{}
	for svc, entries := range file {
		for _, e := range entries {
			eps := e.Endpoints
			if e.Endpoint != "" {
				eps = append([]string{e.Endpoint}, eps...)
			}
			if e.ID == "" || len(eps) == 0 {
				continue
			}
			key := strings.ToUpper(svc)
			if out[key] == nil {
				out[key] = map[string][]string{}
			}
			out[key][e.ID] = eps
		}
	}
	return out, nil
}
