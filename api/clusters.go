package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	ccemodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3/model"
)

// listForbiddenHint is the hint of a 403 from a cluster listing.
const listForbiddenHint = "grant this IAM user cce:cluster:list in this project"

// listCCE lists a project's CCE clusters (one request).
func (c *Client) listCCE(ctx context.Context, p Project) ([]Target, error) {
	o := op{name: "list CCE clusters in", target: p.Name, forbidden: listForbiddenHint}
	cl, err := c.cceClient(ctx, ServiceCCE, p.Region, p.ID)
	if err != nil {
		return nil, o.failure(callRecord{}, err)
	}
	resp, _, err := invoke(ctx, c, o, func() sdkInvoker[*ccemodel.ListClustersResponse] {
		return cl.ListClustersInvoker(&ccemodel.ListClustersRequest{})
	})
	if err != nil {
		return nil, err
	}
	return mapTargets(resp.Items, p, KindCCE)
}

// listAutopilot lists a project's Autopilot clusters (one request). A region
// without Autopilot answers 404: that is no clusters, not an error.
func (c *Client) listAutopilot(ctx context.Context, p Project) ([]Target, error) {
	o := op{name: "list Autopilot clusters in", target: p.Name, forbidden: listForbiddenHint}
	cl, err := c.cceClient(ctx, ServiceAutopilot, p.Region, p.ID)
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
	return mapTargets(resp.Items, p, KindAutopilot)
}

// mapTargets maps a project's listed items to targets of kind, skipping
// those without a uid.
func mapTargets[T any](items *[]T, p Project, kind Kind) ([]Target, error) {
	var out []Target
	for _, it := range deref(items) {
		t, ok, err := listedTarget(it, p, kind)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, t)
		}
	}
	return out, nil
}

// listedCluster is the part of a listed cluster a target needs. CCE's
// Cluster and Autopilot's AutopilotCluster are different SDK types for the
// same document (ListClusters, https://support.huaweicloud.com/intl/en-us/api-cce/cce_02_0239.html;
// ListAutopilotClusters,
// https://support.huaweicloud.com/intl/en-us/api-cce-autopilot/ListAutopilotClusters.html:
// metadata.uid/name, spec.version, status.phase/endpoints), so both are
// read through this one shape instead of two copies of the mapping.
type listedCluster struct {
	Metadata *struct {
		UID  string `json:"uid"`
		Name string `json:"name"`
	} `json:"metadata"`
	Spec *struct {
		Version string `json:"version"`
	} `json:"spec"`
	Status *struct {
		Phase     string `json:"phase"`
		Endpoints []struct {
			URL  string `json:"url"`
			Type string `json:"type"`
		} `json:"endpoints"`
	} `json:"status"`
}

// listedTarget maps one listed SDK cluster model; false when it has no uid.
func listedTarget(item any, p Project, kind Kind) (Target, bool, error) {
	data, err := json.Marshal(item)
	if err != nil {
		return Target{}, false, fmt.Errorf("read a listed cluster: %w", err)
	}
	var it listedCluster
	if err := json.Unmarshal(data, &it); err != nil {
		return Target{}, false, fmt.Errorf("read a listed cluster: %w", err)
	}
	if it.Metadata == nil || it.Metadata.UID == "" {
		return Target{}, false, nil
	}
	t := Target{Kind: kind, ID: it.Metadata.UID, Name: it.Metadata.Name, Region: p.Region, ProjectID: p.ID}
	if it.Spec != nil {
		t.Version = it.Spec.Version
	}
	if it.Status != nil {
		t.Phase = it.Status.Phase
		for _, ep := range it.Status.Endpoints {
			setEndpoint(&t.Endpoints, ep.Type, ep.URL)
		}
	}
	return t, true, nil
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
