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
	// Endpoint is one base URL serving IAM, CCE, UCS and VPC (the emulator).
	// Empty means the real per-region endpoints from the SDK's region packages.
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
	// is empty.
	IAMRegion string
	Retry     RetryPolicy
	// Now is the clock (validity checks, Retry-After dates); default time.Now.
	Now func() time.Time
}

// ConfigFromEnv reads the credentials and endpoint overrides from the
// environment through getenv (os.Getenv in production). A missing AK or SK is
// an error that names the variables to set: ccecert never falls back to the
// instance metadata service.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	cfg := Config{
		AK:            strings.TrimSpace(getenv(EnvAK)),
		SK:            Secret(strings.TrimSpace(getenv(EnvSK))),
		SecurityToken: Secret(strings.TrimSpace(getenv(EnvSecurityToken))),
		Endpoint:      strings.TrimSpace(getenv(EnvEndpoint)),
		CAFile:        strings.TrimSpace(getenv(EnvCAFile)),
	}
	if err := cfg.checkCredentials(); err != nil {
		return Config{}, err
	}
	if err := checkEndpoint(cfg.Endpoint); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// checkCredentials refuses empty keys: with an empty AK and SK the SDK would
// ask the metadata service instead.
func (c Config) checkCredentials() error {
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

// checkEndpoint accepts an https URL, or http on a loopback host only.
func checkEndpoint(endpoint string) error {
	if endpoint == "" {
		return nil
	}
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%s=%q is not a URL: use https://host[:port]", EnvEndpoint, endpoint)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return fmt.Errorf("%s=%q: use a plain base URL https://host[:port] without user, query or fragment", EnvEndpoint, endpoint)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if isLoopback(u.Hostname()) {
			return nil
		}
		return fmt.Errorf("%s=%q: plain http is allowed only for loopback; use https", EnvEndpoint, endpoint)
	default:
		return fmt.Errorf("%s=%q: scheme must be https", EnvEndpoint, endpoint)
	}
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
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
	if c.IAMRegion == "" {
		c.IAMRegion = DefaultIAMRegion
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	c.Retry = c.Retry.withDefaults()
	if c.Retry.BaseBackoff > c.Retry.MaxBackoff {
		return c, errors.New("retry base backoff is larger than max backoff: lower the base or raise the max")
	}
	return c, nil
}
