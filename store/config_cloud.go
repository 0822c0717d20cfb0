package store

import (
	"fmt"
	"slices"
	"strings"

	"ccecert/api"
)

// CloudConfig is where the cloud is: the site and its endpoint settings
// (api.Config's fields of the same names; CCECERT_SITE and
// CCECERT_INTERNATIONAL in the environment win over them).
type CloudConfig struct {
	Site             api.Site // empty: the environment's, else huaweicloud
	International    bool     // Huawei Cloud International: UCS at ucs-intl
	IAMRegion        string   // the region whose IAM lists projects
	EndpointTemplate string   // custom site: https://{service}.{region}.{domain}
	Domain           string   // fills {domain}
	Endpoints        map[api.Service]string
}

// fileCloud mirrors CloudConfig's keys, at the top of the file.
type fileCloud struct {
	Site             *string            `json:"site"`
	International    *bool              `json:"international"`
	IAMRegion        *string            `json:"iam_region"`
	EndpointTemplate *string            `json:"endpoint_template"`
	Domain           *string            `json:"domain"`
	Endpoints        *map[string]string `json:"endpoints"`
}

// cloudKeys are fileCloud's keys, for the unknown-key warnings.
func cloudKeys() map[string]any {
	endpoints := map[string]any{}
	for _, s := range api.Services() {
		endpoints[string(s)] = nil
	}
	return map[string]any{"site": nil, "international": nil, "iam_region": nil,
		"endpoint_template": nil, "domain": nil, "endpoints": endpoints}
}

// merge lays the cloud keys set in fc over c.
func (c *CloudConfig) merge(fc fileCloud) error {
	if fc.Site != nil {
		site, err := api.ParseSite(*fc.Site)
		if err != nil {
			return fmt.Errorf("field site: %w", err)
		}
		c.Site = site
	}
	if fc.International != nil {
		c.International = *fc.International
	}
	setTrimmed(&c.IAMRegion, fc.IAMRegion)
	setTrimmed(&c.EndpointTemplate, fc.EndpointTemplate)
	setTrimmed(&c.Domain, fc.Domain)
	if fc.Endpoints != nil {
		c.Endpoints = map[api.Service]string{}
		for name, url := range *fc.Endpoints {
			s := api.Service(strings.ToLower(strings.TrimSpace(name)))
			if !slices.Contains(api.Services(), s) {
				return fmt.Errorf("field endpoints: %q is not a service: use %v", name, api.Services())
			}
			if url = strings.TrimSpace(url); !strings.HasPrefix(url, "https://") && !strings.HasPrefix(url, "http://") {
				return fmt.Errorf("field endpoints.%s: %q is not a URL: write https://host", name, url)
			}
			c.Endpoints[s] = url
		}
	}
	if c.Site == api.SiteCustom && c.EndpointTemplate == "" && len(c.Endpoints) == 0 {
		return fmt.Errorf("field site: custom needs endpoint_template (e.g. https://{service}.{region}.{domain}) or endpoints")
	}
	return nil
}

// setTrimmed sets *dst to the trimmed *v when the key was set.
func setTrimmed(dst, v *string) {
	if v != nil {
		*dst = strings.TrimSpace(*v)
	}
}
