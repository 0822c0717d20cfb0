package api

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	iammodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3/model"
)

// Project is an IAM project the key can use: a region ("cn-north-4") or a
// region's subproject ("cn-north-4_ops", Region "cn-north-4").
type Project struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Region   string `json:"region"`
	DomainID string `json:"domain_id"`
}

// regionName matches Huawei Cloud region ids: cn-north-4, ap-southeast-1,
// eu-west-101, la-south-2.
var regionName = regexp.MustCompile(`^[a-z]{2,}(-[a-z0-9]+)+$`)

// ProjectRegion returns the region of a project name, or false for names
// that are not region projects (MOS, the account's global project).
func ProjectRegion(name string) (string, bool) {
	region, _, _ := strings.Cut(name, "_")
	if !regionName.MatchString(region) {
		return "", false
	}
	return region, true
}

// Projects lists the region projects the key can use (IAM
// KeystoneListAuthProjects): disabled and non-region projects are skipped,
// Config.Regions applies. Sorted by name.
func (c *Client) Projects(ctx context.Context) ([]Project, error) {
	o := op{name: "list projects"}
	cl, err := c.iamClient(ctx)
	if err != nil {
		return nil, o.failure(callRecord{}, err)
	}
	resp, _, err := invoke(ctx, c, o, func() sdkInvoker[*iammodel.KeystoneListAuthProjectsResponse] {
		return cl.KeystoneListAuthProjectsInvoker(&iammodel.KeystoneListAuthProjectsRequest{})
	})
	if err != nil {
		return nil, err
	}
	var all []Project
	if resp.Projects != nil {
		all = projectsFrom(*resp.Projects)
	}
	c.rememberProjects(all)
	return filterRegions(all, c.cfg.Regions), nil
}

func projectsFrom(items []iammodel.AuthProjectResult) []Project {
	out := make([]Project, 0, len(items))
	for _, p := range items {
		region, ok := ProjectRegion(p.Name)
		if !ok || !p.Enabled || p.Id == "" {
			continue
		}
		out = append(out, Project{ID: p.Id, Name: p.Name, Region: region, DomainID: p.DomainId})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// filterRegions keeps the projects in regions (all when regions is empty).
func filterRegions(ps []Project, regions []string) []Project {
	if len(regions) == 0 {
		return ps
	}
	out := make([]Project, 0, len(ps))
	for _, p := range ps {
		if slices.Contains(regions, p.Region) {
			out = append(out, p)
		}
	}
	return out
}

func (c *Client) rememberProjects(ps []Project) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.projects = ps
	for _, p := range ps {
		if p.DomainID != "" && c.domainID == "" {
			c.domainID = p.DomainID
		}
	}
}

// projectByID finds a project among those last listed, listing once if
// needed.
func (c *Client) projectByID(ctx context.Context, id string) (Project, error) {
	find := func() (Project, bool) {
		c.mu.Lock()
		defer c.mu.Unlock()
		for _, p := range c.projects {
			if p.ID == id {
				return p, true
			}
		}
		return Project{}, false
	}
	if p, ok := find(); ok {
		return p, nil
	}
	if _, err := c.Projects(ctx); err != nil {
		return Project{}, err
	}
	if p, ok := find(); ok {
		return p, nil
	}
	return Project{}, fmt.Errorf("project %s is not among the key's region projects: refresh the list", id)
}

// domain returns the account (domain) id UCS needs: from the projects
// already listed, else from IAM /v3/auth/domains.
func (c *Client) domain(ctx context.Context) (string, error) {
	c.mu.Lock()
	id := c.domainID
	c.mu.Unlock()
	if id != "" {
		return id, nil
	}
	o := op{name: "look up the account id"}
	cl, err := c.iamClient(ctx)
	if err != nil {
		return "", o.failure(callRecord{}, err)
	}
	resp, rec, err := invoke(ctx, c, o, func() sdkInvoker[*iammodel.KeystoneListAuthDomainsResponse] {
		return cl.KeystoneListAuthDomainsInvoker(&iammodel.KeystoneListAuthDomainsRequest{})
	})
	if err != nil {
		return "", err
	}
	if resp.Domains == nil || len(*resp.Domains) == 0 || (*resp.Domains)[0].Id == "" {
		return "", o.failure(rec, errors.New("IAM returned no account for this key"))
	}
	id = (*resp.Domains)[0].Id
	c.mu.Lock()
	c.domainID = id
	c.mu.Unlock()
	return id, nil
}
