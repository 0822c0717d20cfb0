package api

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/global"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/region"
	cce "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3"
	iam "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3"
	ucs "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ucs/v1"
	vpc "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/vpc/v2"
)

// ucsRegion is the region id of the SDK's one UCS endpoint
// (services/ucs/v1/region: cn-north-4 → ucs.myhuaweicloud.com). UCS is
// global; the id only keys the SDK's overrides.
const ucsRegion = "cn-north-4"

// keys are the keys to sign with now: the source's (Config.Keys), asked
// before each SDK client is used, so refreshed keys take effect on the next
// call; else the static AK/SK. The SDK clients built with older keys are
// rebuilt (signsWith).
func (c *Client) keys(ctx context.Context) (Keys, error) {
	k := Keys{AK: c.cfg.AK, SK: c.cfg.SK, SecurityToken: c.cfg.SecurityToken}
	if src := c.cfg.Keys; src != nil {
		var err error
		if k, err = src.Keys(ctx); err != nil {
			return Keys{}, err
		}
		if k.AK == "" || k.SK.Empty() { // never an empty AK/SK: the SDK would ask the metadata service
			return Keys{}, fmt.Errorf("credential source %s gave no access key: check it", src.Describe())
		}
	}
	c.cfg.signed.remember(k)
	return k, nil
}

// signsWith reports whether an SDK client signs with keys k.
func signsWith(hc *core.HcHttpClient, k Keys) bool {
	var b *auth.BaseCredentials
	switch cred := hc.GetCredential().(type) {
	case *auth.BasicCredentials:
		b = &cred.BaseCredentials
	case *auth.GlobalCredentials:
		b = &cred.BaseCredentials
	default:
		return false
	}
	return b.AK == k.AK && b.SK == string(k.SK) && b.SecurityToken == string(k.SecurityToken)
}

// signedKeys are the last secret keys the client signed with (the current
// and a few before a refresh), for scrubbing text that came from outside.
type signedKeys struct {
	mu   sync.Mutex
	sks  []string
	last Keys
}

// maxSignedKeys bounds signedKeys: a refresh every few minutes leaves only
// the recent keys worth scrubbing.
const maxSignedKeys = 4

func (s *signedKeys) remember(k Keys) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last = k
	sk := string(k.SK)
	for _, have := range s.sks {
		if have == sk {
			return
		}
	}
	s.sks = append(s.sks, sk)
	if len(s.sks) > maxSignedKeys {
		s.sks = s.sks[1:]
	}
}

// lastKeys are the keys the client last signed with.
func (s *signedKeys) lastKeys() Keys {
	if s == nil {
		return Keys{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// scrub replaces every remembered secret key (of 8 bytes or more) in text.
func (s *signedKeys) scrub(text string) string {
	if s == nil {
		return text
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sk := range s.sks {
		if len(sk) >= 8 && strings.Contains(text, sk) {
			text = strings.ReplaceAll(text, sk, redacted)
		}
	}
	return text
}

// httpConfig is a fresh SDK HTTP config: our user agent (so the SDK never
// writes ~/.huaweicloud), our timeout, our context-aware transport.
func (c *Client) httpConfig() *config.HttpConfig {
	return config.DefaultHttpConfig().
		WithTimeout(c.cfg.Timeout).
		WithUserAgent(c.cfg.UserAgent).
		WithHttpRoundTripper(c.transport)
}

// endpointRegion is the SDK region for a service: its endpoint from the
// resolver (EndpointFor), with the region id the SDK signs and caches by.
func (c *Client) endpointRegion(svc Service, regionID string) (*region.Region, error) {
	u, err := c.resolver.resolve(svc, regionID)
	if err != nil {
		return nil, err
	}
	return region.NewRegion(regionID, u), nil
}

// basicCredentials are project-scoped AK/SK credentials. ProjectId is always
// set, so building a client never makes a request.
func (c *Client) basicCredentials(k Keys, projectID string) (*basic.Credentials, error) {
	b := basic.NewCredentialsBuilder().
		WithAk(k.AK).
		WithSk(string(k.SK.Reveal())).
		WithProjectId(projectID)
	if k.Temporary() {
		b = b.WithSecurityToken(string(k.SecurityToken.Reveal()))
	}
	if iam := c.iamOverride(); iam != "" {
		b = b.WithIamEndpointOverride(iam)
	}
	return b.SafeBuild()
}

// iamOverride is the IAM endpoint the SDK's credentials would use for
// their own lookups (never made: ids are always set): ours.
func (c *Client) iamOverride() string {
	u, err := c.resolver.resolve(ServiceIAM, "")
	if err != nil {
		return ""
	}
	return u
}

// globalCredentials are account-scoped AK/SK credentials; domainID may be
// empty only for clients built without a region (no automatic lookup).
func (c *Client) globalCredentials(k Keys, domainID string) (*global.Credentials, error) {
	b := global.NewCredentialsBuilder().
		WithAk(k.AK).
		WithSk(string(k.SK.Reveal())).
		WithDomainId(domainID)
	if k.Temporary() {
		b = b.WithSecurityToken(string(k.SecurityToken.Reveal()))
	}
	if iam := c.iamOverride(); iam != "" {
		b = b.WithIamEndpointOverride(iam)
	}
	return b.SafeBuild()
}

// cceClient returns the cached CCE client of a project for svc (CCE or
// Autopilot, which share CCE's SDK client and, unless overridden, its
// endpoint).
func (c *Client) cceClient(ctx context.Context, svc Service, regionID, projectID string) (*cce.CceClient, error) {
	k, err := c.keys(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	key := string(svc) + "/" + projectID
	if cl, ok := c.cce[key]; ok && signsWith(cl.HcClient, k) {
		return cl, nil
	}
	hc, err := c.buildProjectClient(k, cce.CceClientBuilder(), svc, regionID, projectID)
	if err != nil {
		return nil, err
	}
	cl := cce.NewCceClient(hc)
	c.cce[key] = cl
	return cl, nil
}

// vpcClient returns the cached VPC client of a project.
func (c *Client) vpcClient(ctx context.Context, regionID, projectID string) (*vpc.VpcClient, error) {
	k, err := c.keys(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if cl, ok := c.vpc[projectID]; ok && signsWith(cl.HcClient, k) {
		return cl, nil
	}
	hc, err := c.buildProjectClient(k, vpc.VpcClientBuilder(), ServiceVPC, regionID, projectID)
	if err != nil {
		return nil, err
	}
	cl := vpc.NewVpcClient(hc)
	c.vpc[projectID] = cl
	return cl, nil
}

func (c *Client) buildProjectClient(k Keys, b *core.HcHttpClientBuilder, service Service, regionID, projectID string) (*core.HcHttpClient, error) {
	if projectID == "" {
		return nil, fmt.Errorf("no project id for %s in %s: refresh the list", service, regionID)
	}
	r, err := c.endpointRegion(service, regionID)
	if err != nil {
		return nil, err
	}
	cred, err := c.basicCredentials(k, projectID)
	if err != nil {
		return nil, fmt.Errorf("build %s credentials: %w", service, err)
	}
	hc, err := b.WithRegion(r).WithCredential(cred).WithHttpConfig(c.httpConfig()).SafeBuild()
	if err != nil {
		return nil, fmt.Errorf("build the %s client for %s: %w", service, regionID, err)
	}
	return hc, nil
}

// iamClient returns the cached IAM client. It is built on the endpoint, not
// a region, with account credentials and no domain id, so building it makes
// no request (the SDK would otherwise look the domain up itself, without
// our context).
func (c *Client) iamClient(ctx context.Context) (*iam.IamClient, error) {
	k, err := c.keys(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.iam != nil && signsWith(c.iam.HcClient, k) {
		return c.iam, nil
	}
	r, err := c.endpointRegion(ServiceIAM, c.cfg.IAMRegion)
	if err != nil {
		return nil, err
	}
	cred, err := c.globalCredentials(k, "")
	if err != nil {
		return nil, fmt.Errorf("build IAM credentials: %w", err)
	}
	hc, err := iam.IamClientBuilder().WithEndpoints(r.Endpoints).WithCredential(cred).
		WithHttpConfig(c.httpConfig()).SafeBuild()
	if err != nil {
		return nil, fmt.Errorf("build the IAM client: %w", err)
	}
	c.iam = iam.NewIamClient(hc)
	return c.iam, nil
}

// ucsClient returns the cached UCS client, built with the account's domain
// id (global credentials, as UCS requires).
func (c *Client) ucsClient(ctx context.Context, domainID string) (*ucs.UcsClient, error) {
	k, err := c.keys(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ucs != nil && signsWith(c.ucs.HcClient, k) {
		return c.ucs, nil
	}
	if domainID == "" { // SafeBuild would look it up itself, without our context
		return nil, errors.New("no account (domain) id for UCS: list the projects first")
	}
	r, err := c.endpointRegion(ServiceUCS, c.resolver.ucsRegion())
	if err != nil {
		return nil, err
	}
	cred, err := c.globalCredentials(k, domainID)
	if err != nil {
		return nil, fmt.Errorf("build UCS credentials: %w", err)
	}
	hc, err := ucs.UcsClientBuilder().WithRegion(r).WithCredential(cred).
		WithHttpConfig(c.httpConfig()).SafeBuild()
	if err != nil {
		return nil, fmt.Errorf("build the UCS client: %w", err)
	}
	c.ucs = ucs.NewUcsClient(hc)
	return c.ucs, nil
}
