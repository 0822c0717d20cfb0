package cli

import (
	"ccecert/api"
	"ccecert/store"
)

// applyCloudConfig lays the config file's site settings over the cloud
// client's config; CCECERT_SITE and CCECERT_INTERNATIONAL in the
// environment win over the file, as variables do over files elsewhere.
func applyCloudConfig(cfg *api.Config, c store.CloudConfig, getenv func(string) string) {
	if getenv(api.EnvSite) == "" && c.Site != "" {
		cfg.Site = c.Site
	}
	if getenv(api.EnvInternational) == "" {
		cfg.International = c.International
	}
	cfg.IAMRegion = c.IAMRegion
	cfg.EndpointTemplate = c.EndpointTemplate
	cfg.Domain = c.Domain
	cfg.Endpoints = c.Endpoints
}
