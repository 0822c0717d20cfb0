package api

import (
	"context"
	"net/http"
	"strings"

	ccemodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3/model"
)

// listForbiddenHint is the hint of a 403 from a cluster listing.
const listForbiddenHint = "grant this IAM user cce:cluster:list in this project"

// listCCE lists a project's CCE clusters (one request).
func (c *Client) listCCE(ctx context.Context, p Project) ([]Target, error) {
	o := op{name: "list CCE clusters in", target: p.Name, forbidden: listForbiddenHint}
	cl, err := c.cceClient(ServiceCCE, p.Region, p.ID)
	if err != nil {
		return nil, o.failure(callRecord{}, err)
	}
	resp, _, err := invoke(ctx, c, o, func() sdkInvoker[*ccemodel.ListClustersResponse] {
		return cl.ListClustersInvoker(&ccemodel.ListClustersRequest{})
	})
	if err != nil {
		return nil, err
	}
	return mapTargets(resp.Items, p, cceTarget), nil
}

// listAutopilot lists a project's Autopilot clusters (one request). A region
// without Autopilot answers 404: that is no clusters, not an error.
func (c *Client) listAutopilot(ctx context.Context, p Project) ([]Target, error) {
	o := op{name: "list Autopilot clusters in", target: p.Name, forbidden: listForbiddenHint}
	cl, err := c.cceClient(ServiceAutopilot, p.Region, p.ID)
	if err != nil {
		return nil, o.failure(callRecord{}, err)
	}
	resp, _, err := invoke(ctx, c, o, func() sdkInvoker[*ccemodel.ListAutopilotClustersResponse] {
		return cl.ListAutopilotClustersInvoker(&ccemodel.ListAutopilotClustersRequest{})
	})
	if e, ok := asError(err); ok && e.Status == http.StatusNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return mapTargets(resp.Items, p, autopilotTarget), nil
}

// mapTargets maps a project's listed items to targets, skipping those the
// mapping refuses (no uid).
func mapTargets[T any](items *[]T, p Project, target func(T, Project) (Target, bool)) []Target {
	var out []Target
	for _, it := range deref(items) {
		if t, ok := target(it, p); ok {
			out = append(out, t)
		}
	}
	return out
}

func cceTarget(it ccemodel.Cluster, p Project) (Target, bool) {
	if it.Metadata == nil || deref(it.Metadata.Uid) == "" {
		return Target{}, false
	}
	t := Target{Kind: KindCCE, ID: deref(it.Metadata.Uid), Name: it.Metadata.Name, Region: p.Region, ProjectID: p.ID}
	if it.Spec != nil {
		t.Version = deref(it.Spec.Version)
	}
	if it.Status != nil {
		t.Phase = deref(it.Status.Phase)
		if it.Status.Endpoints != nil {
			for _, ep := range *it.Status.Endpoints {
				setEndpoint(&t.Endpoints, deref(ep.Type), deref(ep.Url))
			}
		}
	}
	return t, true
}

func autopilotTarget(it ccemodel.AutopilotCluster, p Project) (Target, bool) {
	if it.Metadata == nil || deref(it.Metadata.Uid) == "" {
		return Target{}, false
	}
	t := Target{Kind: KindAutopilot, ID: deref(it.Metadata.Uid), Name: it.Metadata.Name, Region: p.Region, ProjectID: p.ID}
	if it.Spec != nil {
		t.Version = deref(it.Spec.Version)
	}
	if it.Status != nil {
		t.Phase = deref(it.Status.Phase)
		if it.Status.Endpoints != nil {
			for _, ep := range *it.Status.Endpoints {
				setEndpoint(&t.Endpoints, deref(ep.Type), deref(ep.Url))
			}
		}
	}
	return t, true
}

// setEndpoint files a status endpoint by CCE's type: Internal (the
// address inside the user's subnet) and External (the public address), as
// the CCE API reference lists them (ListClusters cce_02_0239,
// https://support.huaweicloud.com/intl/en-us/api-cce/cce_02_0239.html),
// and External_OTC, which CCE on Open Telekom Cloud also reports: "the
// endpoint of the cluster to be accessed through API Gateway"
// (terraform-provider-opentelekomcloud, cce_cluster_v3 attribute
// external_otc; the exact spelling of the type is unconfirmed, so types
// are matched without case). An External address wins over External_OTC.
func setEndpoint(e *Endpoints, typ, url string) {
	switch strings.ToLower(strings.TrimSpace(typ)) {
	case "internal":
		if e.Internal == "" {
			e.Internal = url
		}
	case "external":
		if e.External == "" || e.External == e.ExternalOTC {
			e.External = url
		}
	case "external_otc":
		if e.External == "" {
			e.External = url
		}
		e.ExternalOTC = url
	}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
