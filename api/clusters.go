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
	return mapTargets(resp.Items, p, KindCCE, cceListed), nil
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
	return mapTargets(resp.Items, p, KindAutopilot, autopilotListed), nil
}

// mapTargets maps a project's listed items to targets of kind, skipping
// those without a uid. read takes what a target needs from one item.
func mapTargets[T any](items *[]T, p Project, kind Kind, read func(T) listedCluster) []Target {
	var out []Target
	for _, it := range deref(items) {
		if t, ok := read(it).target(p, kind); ok {
			out = append(out, t)
		}
	}
	return out
}

// listedCluster is the part of a listed cluster a target needs. CCE's
// Cluster and Autopilot's AutopilotCluster are different SDK types for the
// same document (ListClusters, https://support.huaweicloud.com/intl/en-us/api-cce/cce_02_0239.html;
// ListAutopilotClusters,
// https://support.huaweicloud.com/intl/en-us/api-cce-autopilot/ListAutopilotClusters.html:
// metadata.uid/name, spec.version, status.phase/endpoints), so each is
// read into this one shape (field by field: a JSON round trip cost about
// 24 ms of CPU per 1,000 clusters), and one mapping serves both.
type listedCluster struct {
	uid, name, version, phase string
	endpoints                 []listedEndpoint
}

// listedEndpoint is one status endpoint: its type and URL.
type listedEndpoint struct{ typ, url string }

// cceListed reads a listed CCE cluster.
func cceListed(c ccemodel.Cluster) listedCluster {
	var l listedCluster
	if m := c.Metadata; m != nil {
		l.uid, l.name = deref(m.Uid), m.Name
	}
	if sp := c.Spec; sp != nil {
		l.version = deref(sp.Version)
	}
	if st := c.Status; st != nil {
		l.phase = deref(st.Phase)
		for _, ep := range deref(st.Endpoints) {
			l.endpoints = append(l.endpoints, listedEndpoint{deref(ep.Type), deref(ep.Url)})
		}
	}
	return l
}

// autopilotListed reads a listed Autopilot cluster: cceListed's lines over
// the Autopilot types, which Go generics cannot reach field by field.
func autopilotListed(c ccemodel.AutopilotCluster) listedCluster {
	var l listedCluster
	if m := c.Metadata; m != nil {
		l.uid, l.name = deref(m.Uid), m.Name
	}
	if sp := c.Spec; sp != nil {
		l.version = deref(sp.Version)
	}
	if st := c.Status; st != nil {
		l.phase = deref(st.Phase)
		for _, ep := range deref(st.Endpoints) {
			l.endpoints = append(l.endpoints, listedEndpoint{deref(ep.Type), deref(ep.Url)})
		}
	}
	return l
}

// target maps the listed cluster; false when it has no uid.
func (l listedCluster) target(p Project, kind Kind) (Target, bool) {
	if l.uid == "" {
		return Target{}, false
	}
	t := Target{Kind: kind, ID: l.uid, Name: l.name, Region: p.Region, ProjectID: p.ID, Version: l.version, Phase: l.phase}
	for _, ep := range l.endpoints {
		setEndpoint(&t.Endpoints, ep.typ, ep.url)
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
