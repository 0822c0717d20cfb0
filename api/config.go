package api

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// Environment variables read by ConfigFromEnv.
const (
	EnvAK            = "CLOUD_SDK_AK"
	EnvSK            = "CLOUD_SDK_SK"
	EnvSecurityToken = "CLOUD_SDK_SECURITY_TOKEN"
	EnvEndpoint      = "CCECERT_ENDPOINT"
	EnvCAFile        = "CCECERT_CA_FILE"
	// EnvSite names the site (Config.Site): huaweicloud, huaweicloud-eu,
	// otc or custom.
	EnvSite = "CCECERT_SITE"
	// EnvInternational set to 1/true marks a Huawei Cloud International
	// account (Config.International).
	EnvInternational = "CCECERT_INTERNATIONAL"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultTimeout       = 30 * time.Second
	DefaultRegionTimeout = 60 * time.Second
	DefaultConcurrency   = 64
	DefaultUserAgent     = "ccecert/dev"
	DefaultIAMRegion     = "cn-north-4"
)

// Config is everything the api client needs. Build it once (ConfigFromEnv or
// the config file) and pass it to New.
type Config struct {
	AK            string
	SK            Secret
	SecurityToken Secret // optional temporary-credential token
	// Keys, when set, is the profile's credential source (issue 13); the
	// client asks it for keys before building each SDK client and AK, SK
	// and SecurityToken are then unused. Nil: the static keys above.
	Keys KeySource
	// Endpoint is one base URL serving IAM, CCE, UCS and VPC (the
	// emulator's simple mode, CCECERT_ENDPOINT). Empty means the site's
	// real hosts (EndpointFor).
	Endpoint string
	// CAFile is an extra trusted CA (PEM), added to the system roots.
	CAFile string
	// Timeout bounds one HTTP request (connect, headers and body).
	Timeout time.Duration
	// RegionTimeout bounds the listing of one region (all its pages and
	// retries) in Inventory; a region over it is reported, not waited for.
	RegionTimeout time.Duration
	// Concurrency bounds the parallel requests of Inventory. The default,
	// 64, lists 30 regions' CCE and Autopilot clusters, the fleets and
	// their member clusters (62 requests) in one round; at 32 they need two
	// (BenchmarkInventory).
	Concurrency int
	// UserAgent is sent with every request ("ccecert/<version>"). It must be
	// set so the SDK never writes ~/.huaweicloud; New defaults it.
	UserAgent string
	// Regions keeps only these regions (empty = all the key can reach).
	Regions []string
	// IAMRegion picks the IAM endpoint used to list projects when Endpoint
	// is empty; default the site's (cn-north-4, eu-west-101, eu-de).
	IAMRegion string
	// Site is the cloud: huaweicloud (default), huaweicloud-eu, otc or
	// custom. It decides every host (EndpointFor).
	Site Site
	// International marks a Huawei Cloud International account: UCS is
	// then ucs-intl.myhuaweicloud.com instead of the Chinese Mainland's
	// ucs.myhuaweicloud.com (UCS API reference, "Endpoints" ucs_api_0002).
	International bool
	// EndpointTemplate is the custom site's pattern of regional
	// endpoints, e.g. "https://{service}.{region}.{domain}".
	EndpointTemplate string
	// Domain fills {domain} in EndpointTemplate and Endpoints.
	Domain string
	// Endpoints are per-service overrides (base URLs, {region} and
	// {domain} expanded); they win over the SDK's tables and the site's
	// pattern. An "autopilot" or "ucs" override also enables that
	// service on a site whose documents do not confirm it.
	Endpoints map[Service]string
	// Getenv reads the SDK's endpoint overrides and the proxy settings
	// (HTTPS_PROXY, NO_PROXY); default os.Getenv.
	Getenv func(string) string
	Retry  RetryPolicy
	// Now is the clock (validity checks, Retry-After dates); default time.Now.
	Now func() time.Time

	// signed remembers the secret keys the client signed with, so errors
	// can scrub them (set by withDefaults; shared by copies).
	signed *signedKeys
}

// ConfigFromEnv reads the credentials and endpoint overrides from the
// environment through getenv (os.Getenv in production). A missing AK or SK is
// an error that names the variables to set: ccecert never falls back to the
// instance metadata service.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	cfg, err := configFromEnv(getenv)
	if err != nil {
		return Config{}, err
	}
	cfg.AK = strings.TrimSpace(getenv(EnvAK))
	cfg.SK = Secret(strings.TrimSpace(getenv(EnvSK)))
	cfg.SecurityToken = Secret(strings.TrimSpace(getenv(EnvSecurityToken)))
	if err := cfg.checkCredentials(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// ConfigWithKeys is ConfigFromEnv for a profile's credential source: the
// site and endpoint settings from the environment, the keys from src
// (Config.Keys), never from CLOUD_SDK_*.
func ConfigWithKeys(getenv func(string) string, src KeySource) (Config, error) {
	if src == nil {
		return Config{}, errors.New("no credential source: name one in the profile")
	}
	cfg, err := configFromEnv(getenv)
	cfg.Keys = src
	return cfg, err
}

// configFromEnv reads everything but the keys.
func configFromEnv(getenv func(string) string) (Config, error) {
	site, err := ParseSite(getenv(EnvSite))
	if err != nil {
		return Config{}, fmt.Errorf("%s: %w", EnvSite, err)
	}
	cfg := Config{
		Endpoint:      strings.TrimSpace(getenv(EnvEndpoint)),
		CAFile:        strings.TrimSpace(getenv(EnvCAFile)),
		Site:          site,
		International: envTrue(getenv(EnvInternational)),
		Getenv:        getenv,
	}
	if err := checkEndpoint(cfg.Endpoint); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// checkCredentials refuses empty keys: with an empty AK and SK the SDK would
// ask the metadata service instead.
func (c Config) checkCredentials() error {
	if c.Keys != nil {
		return nil // the source checks its own keys (KeySource.Keys)
	}
	var missing []string
	if c.AK == "" {
		missing = append(missing, EnvAK)
	}
	if c.SK.Empty() {
		missing = append(missing, EnvSK)
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("no Huawei Cloud access key: %s not set — export %s and %s (an access key from IAM → My Credentials → Access Keys)",
		strings.Join(missing, " and "), EnvAK, EnvSK)
}

// envTrue reads a boolean environment value: 1, true, yes, on.
func envTrue(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// checkEndpoint accepts an https URL, or http on a loopback host only.
func checkEndpoint(endpoint string) error {
	if endpoint == "" {
		return nil
	}
	return checkBaseURL(EnvEndpoint, endpoint)
}

// checkBaseURL accepts an https base URL, or http on a loopback host only;
// what names the setting in errors.
func checkBaseURL(what, endpoint string) error {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%s=%q is not a URL: use https://host[:port]", what, endpoint)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil || strings.ContainsAny(u.Host, "{}") {
		return fmt.Errorf("%s=%q: use a plain base URL https://host[:port] without user, query, fragment or unfilled {placeholders}", what, endpoint)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%s=%q: plain http is allowed only for loopback; use https", what, endpoint)
	default:
		return fmt.Errorf("%s=%q: scheme must be https", what, endpoint)
	}
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// withSiteDefaults checks the site settings and fills the site's IAM
// region.
func (c Config) withSiteDefaults() (Config, error) {
	site, err := ParseSite(string(c.Site))
	if err != nil {
		return c, err
	}
	c.Site = site
	if c.International && site != SiteHuaweiCloud {
		return c, fmt.Errorf("international applies to site %s only (it picks UCS's host there); site is %s", SiteHuaweiCloud, site)
	}
	for svc := range c.Endpoints {
		switch svc {
		case ServiceIAM, ServiceCCE, ServiceAutopilot, ServiceUCS, ServiceVPC:
		default:
			return c, fmt.Errorf("endpoint override for unknown service %q: use iam, cce, autopilot, ucs or vpc", svc)
		}
	}
	if site == SiteCustom && c.Endpoint == "" {
		if c.EndpointTemplate == "" {
			return c, fmt.Errorf("site custom needs an endpoint template such as %s (and a domain)", DefaultEndpointTemplate)
		}
		if strings.Contains(c.EndpointTemplate, "{domain}") && c.Domain == "" {
			return c, errors.New("site custom: the endpoint template uses {domain}, but no domain is set")
		}
		if c.IAMRegion == "" {
			return c, errors.New("site custom needs the IAM region that lists the key's projects")
		}
	}
	if c.IAMRegion == "" {
		c.IAMRegion = sites[site].iamRegion
	}
	return c, nil
}

// withDefaults fills zero fields and validates the result.
func (c Config) withDefaults() (Config, error) {
	if err := c.checkCredentials(); err != nil {
		return c, err
	}
	if err := checkEndpoint(c.Endpoint); err != nil {
		return c, err
	}
	c.Endpoint = strings.TrimRight(c.Endpoint, "/")
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.RegionTimeout <= 0 {
		c.RegionTimeout = DefaultRegionTimeout
	}
	if c.Concurrency <= 0 {
		c.Concurrency = DefaultConcurrency
	}
	if strings.TrimSpace(c.UserAgent) == "" {
		c.UserAgent = DefaultUserAgent
	}
	c, err := c.withSiteDefaults()
	if err != nil {
		return c, err
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	c.signed = &signedKeys{}
	c.Retry = c.Retry.withDefaults()
	if c.Retry.BaseBackoff > c.Retry.MaxBackoff {
		return c, errors.New("retry base backoff is larger than max backoff: lower the base or raise the max")
	}
	return c, nil
}
