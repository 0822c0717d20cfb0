package api

import (
	"context"
	"errors"
	"strings"

	ucs "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ucs/v1"
	ucsmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ucs/v1/model"
)

// fleetPageSize is UCS's page limit for cluster groups.
const fleetPageSize = 100

// maxFleetPages stops a paging loop a misbehaving server would never end.
const maxFleetPages = 1000

// fleetClient returns the UCS client, looking the account id up first when
// no project listing provided it.
func (c *Client) fleetClient(ctx context.Context) (*ucs.UcsClient, error) {
	id, err := c.domain(ctx)
	if err != nil {
		return nil, err
	}
	cl, err := c.ucsClient(ctx, id)
	if err != nil {
		return nil, op{name: "list fleets"}.failure(callRecord{}, err)
	}
	return cl, nil
}

// listFleets lists every UCS fleet (ListClusterGroup, paged by 100).
func (c *Client) listFleets(ctx context.Context) ([]Target, error) {
	cl, err := c.fleetClient(ctx)
	if err != nil {
		return nil, err
	}
	o := c.ucsOp(op{name: "list fleets", forbidden: "grant this IAM user read access to UCS (e.g. the UCS ReadOnlyAccess policy)"})
	var out []Target
	for page := 0; page < maxFleetPages; page++ {
		items, total, err := c.fleetPage(ctx, o, cl, int32(page*fleetPageSize))
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			if t, ok := fleetTarget(it); ok {
				out = append(out, t)
			}
		}
		if len(items) < fleetPageSize || (total > 0 && (page+1)*fleetPageSize >= total) {
			return out, nil
		}
	}
	return nil, o.failure(callRecord{}, errors.New("UCS keeps returning fleet pages: report it"))
}

func (c *Client) fleetPage(ctx context.Context, o op, cl *ucs.UcsClient, offset int32) ([]ucsmodel.ClusterGroup, int, error) {
	limit := int32(fleetPageSize)
	resp, _, err := invoke(ctx, c, o, func() sdkInvoker[*ucsmodel.ListClusterGroupResponse] {
		return cl.ListClusterGroupInvoker(&ucsmodel.ListClusterGroupRequest{Limit: &limit, Offset: &offset})
	})
	if err != nil {
		return nil, 0, err
	}
	return deref(resp.Items), int(deref(resp.Total)), nil
}

// fleetTarget maps a cluster group: Region "global"; Federation from its
// spec.federationId, the federation's state from its Federation condition.
// UCS's cluster group carries no member list: Members come from the
// cluster listing (listFleetMembers).
func fleetTarget(g ucsmodel.ClusterGroup) (Target, bool) {
	if g.Metadata == nil || deref(g.Metadata.Uid) == "" {
		return Target{}, false
	}
	t := Target{
		Kind:   KindFleet,
		ID:     deref(g.Metadata.Uid),
		Name:   deref(g.Metadata.Name),
		Region: "global",
	}
	fleetFederation(g, &t)
	return t, true
}

// fleetFederation reads federation as UCS documents it (UCS API reference,
// "Obtaining a Fleet" ShowClusterGroup,
// https://support.huaweicloud.com/intl/pt-br/api-ucs/ShowClusterGroup.html,
// and ListClusterGroup): spec.federationId is the fleet's federation ID,
// set once federation is enabled; status.conditions[type=Federation]
// carries its status and reason. An enabled federation whose condition
// reads Unavailable stays enabled, its state shown with its reason; the
// status is also the fleet's phase, verbatim. Without a federationId, a
// condition that reads Available (as older answers had) still counts.
func fleetFederation(g ucsmodel.ClusterGroup, t *Target) {
	if g.Spec != nil && strings.TrimSpace(deref(g.Spec.FederationId)) != "" {
		t.Federation = true
	}
	if g.Status == nil {
		return
	}
	for _, cond := range deref(g.Status.Conditions) {
		if !strings.EqualFold(deref(cond.Type), "Federation") {
			continue
		}
		t.FederationStatus = deref(cond.Status)
		t.FederationReason = sanitize(deref(cond.Reason), maxMessage)
		t.Phase = t.FederationStatus
		if strings.EqualFold(strings.TrimSpace(t.FederationStatus), "Available") {
			t.Federation = true
		}
		return
	}
}
