package api

import (
	"context"
	"sort"
	"sync"

	vpc "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/vpc/v2"
	vpcmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/vpc/v2/model"
)

// VPC is a virtual private cloud with its subnets, for the fleet dialog.
type VPC struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	CIDR    string   `json:"cidr"`
	Subnets []Subnet `json:"subnets"`
}

// Subnet is a subnet of a VPC.
type Subnet struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	CIDR string `json:"cidr"`
}

// vpcPageSize is the page limit of the VPC list APIs.
const vpcPageSize = 200

// VPCs lists the VPCs of a project with their subnets: VPCs and subnets are
// listed in parallel (each paged by marker) and joined.
func (c *Client) VPCs(ctx context.Context, projectID string) ([]VPC, error) {
	p, err := c.projectByID(ctx, projectID)
	if err != nil {
		if _, ok := asError(err); ok {
			return nil, err
		}
		return nil, op{name: "list VPCs in", target: projectID}.failure(callRecord{}, err)
	}
	o := op{name: "list VPCs in", target: p.Name}
	cl, err := c.vpcClient(ctx, p.Region, p.ID)
	if err != nil {
		return nil, o.failure(callRecord{}, err)
	}
	var (
		wg             sync.WaitGroup
		vpcs           []vpcmodel.Vpc
		subnets        []vpcmodel.Subnet
		vpcErr, subErr error
	)
	wg.Add(2)
	go func() { defer wg.Done(); vpcs, vpcErr = c.listVPCPages(ctx, o, cl) }()
	go func() { defer wg.Done(); subnets, subErr = c.listSubnetPages(ctx, o, cl) }()
	wg.Wait()
	if err := firstError(vpcErr, subErr); err != nil {
		return nil, err
	}
	return joinVPCs(vpcs, subnets), nil
}

func firstError(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func (c *Client) listVPCPages(ctx context.Context, o op, cl *vpc.VpcClient) ([]vpcmodel.Vpc, error) {
	return pageByMarker(func(marker *string) ([]vpcmodel.Vpc, error) {
		limit := int32(vpcPageSize)
		resp, _, err := invoke(ctx, c, o, func() sdkInvoker[*vpcmodel.ListVpcsResponse] {
			return cl.ListVpcsInvoker(&vpcmodel.ListVpcsRequest{Limit: &limit, Marker: marker})
		})
		if err != nil {
			return nil, err
		}
		return deref(resp.Vpcs), nil
	}, func(v vpcmodel.Vpc) string { return v.Id })
}

func (c *Client) listSubnetPages(ctx context.Context, o op, cl *vpc.VpcClient) ([]vpcmodel.Subnet, error) {
	return pageByMarker(func(marker *string) ([]vpcmodel.Subnet, error) {
		limit := int32(vpcPageSize)
		resp, _, err := invoke(ctx, c, o, func() sdkInvoker[*vpcmodel.ListSubnetsResponse] {
			return cl.ListSubnetsInvoker(&vpcmodel.ListSubnetsRequest{Limit: &limit, Marker: marker})
		})
		if err != nil {
			return nil, err
		}
		return deref(resp.Subnets), nil
	}, func(s vpcmodel.Subnet) string { return s.Id })
}

// pageByMarker fetches pages until a short page, or a page with nothing new
// (a server that ignores the marker).
func pageByMarker[T any](fetch func(marker *string) ([]T, error), id func(T) string) ([]T, error) {
	var (
		all    []T
		marker *string
		seen   = map[string]bool{}
	)
	for range 1000 {
		page, err := fetch(marker)
		if err != nil {
			return nil, err
		}
		fresh := 0
		for _, it := range page {
			if k := id(it); !seen[k] {
				seen[k] = true
				all = append(all, it)
				fresh++
			}
		}
		if len(page) < vpcPageSize || fresh == 0 {
			return all, nil
		}
		last := id(page[len(page)-1])
		marker = &last
	}
	return all, nil
}

func joinVPCs(vpcs []vpcmodel.Vpc, subnets []vpcmodel.Subnet) []VPC {
	byVPC := map[string][]Subnet{}
	for _, s := range subnets {
		byVPC[s.VpcId] = append(byVPC[s.VpcId], Subnet{ID: s.Id, Name: s.Name, CIDR: s.Cidr})
	}
	out := make([]VPC, 0, len(vpcs))
	for _, v := range vpcs {
		subs := byVPC[v.Id]
		sort.Slice(subs, func(i, j int) bool { return subs[i].Name < subs[j].Name })
		out = append(out, VPC{ID: v.Id, Name: v.Name, CIDR: v.Cidr, Subnets: subs})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
