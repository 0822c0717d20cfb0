package api

import (
	"errors"
	"fmt"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/global"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/region"
	cce "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3"
	cceregion "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3/region"
	iam "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3"
	iamregion "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3/region"
	ucs "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ucs/v1"
	ucsregion "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ucs/v1/region"
	vpc "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/vpc/v2"
	vpcregion "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/vpc/v2/region"
)

// ucsRegion is the one region UCS (a global service) is served from.
const ucsRegion = "cn-north-4"

// httpConfig is a fresh SDK HTTP config: our user agent (so the SDK never
// writes ~/.huaweicloud), our timeout, our context-aware transport.
func (c *Client) httpConfig() *config.HttpConfig {
	return config.DefaultHttpConfig().
		WithTimeout(c.cfg.Timeout).
		WithUserAgent(c.cfg.UserAgent).
		WithHttpRoundTripper(c.transport)
}

// endpointRegion is the SDK region for a service: the override endpoint when
// set, else the SDK's own table.
func (c *Client) endpointRegion(service, regionID string) (*region.Region, error) {
	if c.cfg.Endpoint != "" {
		return region.NewRegion(regionID, c.cfg.Endpoint), nil
	}
	var (
		r   *region.Region
		err error
	)
	switch service {
	case "cce":
		r, err = cceregion.SafeValueOf(regionID)
	case "vpc":
		r, err = vpcregion.SafeValueOf(regionID)
	case "iam":
		r, err = iamregion.SafeValueOf(regionID)
	case "ucs":
		r, err = ucsregion.SafeValueOf(regionID)
	}
	if err != nil || r == nil {
		return nil, fmt.Errorf("the SDK knows no %s endpoint for region %q: leave the region out (Regions filter) or set %s", service, regionID, EnvEndpoint)
	}
	// A private copy: SafeBuild may rewrite the endpoint slice in place.
	return region.NewRegion(r.Id, append([]string(nil), r.Endpoints...)...), nil
}

// basicCredentials are project-scoped AK/SK credentials. ProjectId is always
// set, so building a client never makes a request.
func (c *Client) basicCredentials(projectID string) (*basic.Credentials, error) {
	b := basic.NewCredentialsBuilder().
		WithAk(c.cfg.AK).
		WithSk(string(c.cfg.SK.Reveal())).
		WithProjectId(projectID)
	if !c.cfg.SecurityToken.Empty() {
		b = b.WithSecurityToken(string(c.cfg.SecurityToken.Reveal()))
	}
	if c.cfg.Endpoint != "" {
		b = b.WithIamEndpointOverride(c.cfg.Endpoint)
	}
	return b.SafeBuild()
}

// globalCredentials are account-scoped AK/SK credentials; domainID may be
// empty only for clients built without a region (no automatic lookup).
func (c *Client) globalCredentials(domainID string) (*global.Credentials, error) {
	b := global.NewCredentialsBuilder().
		WithAk(c.cfg.AK).
		WithSk(string(c.cfg.SK.Reveal())).
		WithDomainId(domainID)
	if !c.cfg.SecurityToken.Empty() {
		b = b.WithSecurityToken(string(c.cfg.SecurityToken.Reveal()))
	}
	if c.cfg.Endpoint != "" {
		b = b.WithIamEndpointOverride(c.cfg.Endpoint)
	}
	return b.SafeBuild()
}

// cceClient returns the cached CCE client of a project.
func (c *Client) cceClient(regionID, projectID string) (*cce.CceClient, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cl, ok := c.cce[projectID]; ok {
		return cl, nil
	}
	hc, err := c.buildProjectClient(cce.CceClientBuilder(), "cce", regionID, projectID)
	if err != nil {
		return nil, err
	}
	cl := cce.NewCceClient(hc)
	c.cce[projectID] = cl
	return cl, nil
}

// vpcClient returns the cached VPC client of a project.
func (c *Client) vpcClient(regionID, projectID string) (*vpc.VpcClient, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cl, ok := c.vpc[projectID]; ok {
		return cl, nil
	}
	hc, err := c.buildProjectClient(vpc.VpcClientBuilder(), "vpc", regionID, projectID)
	if err != nil {
		return nil, err
	}
	cl := vpc.NewVpcClient(hc)
	c.vpc[projectID] = cl
	return cl, nil
}

func (c *Client) buildProjectClient(b *core.HcHttpClientBuilder, service, regionID, projectID string) (*core.HcHttpClient, error) {
	if projectID == "" {
		return nil, fmt.Errorf("no project id for %s in %s: refresh the list", service, regionID)
	}
	r, err := c.endpointRegion(service, regionID)
	if err != nil {
		return nil, err
	}
	cred, err := c.basicCredentials(projectID)
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
func (c *Client) iamClient() (*iam.IamClient, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.iam != nil {
		return c.iam, nil
	}
	r, err := c.endpointRegion("iam", c.cfg.IAMRegion)
	if err != nil {
		return nil, err
	}
	cred, err := c.globalCredentials("")
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
func (c *Client) ucsClient(domainID string) (*ucs.UcsClient, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ucs != nil {
		return c.ucs, nil
	}
	if domainID == "" { // SafeBuild would look it up itself, without our context
		return nil, errors.New("no account (domain) id for UCS: list the projects first")
	}
	r, err := c.endpointRegion("ucs", ucsRegion)
	if err != nil {
		return nil, err
	}
	cred, err := c.globalCredentials(domainID)
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
