package api

import (
	"context"
	"errors"
	"slices"

	ucs "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ucs/v1"
	ucsmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ucs/v1/model"
)

// memberPageSize is the page limit of UCS's cluster listing.
const memberPageSize = 100

// manageGrouped asks ShowClusterList for the clusters that are in a fleet.
const manageGrouped = "grouped"

// memberForbiddenHint replaces the generic 403 hint: the member listing
// needs a UCS permission the fleet listing does not.
const memberForbiddenHint = "grant this IAM user ucs:clusters:list (e.g. the UCS ReadOnlyAccess policy) " +
	"to see the fleets' members; the fleets are listed without them"

// fleetMembers are member cluster names by fleet uid.
type fleetMembers map[string][]string

// listFleetMembers lists, once for the whole account, the clusters UCS
// manages in fleets (ShowClusterList, managetype=grouped, paged by 100) and
// files their names under their spec.clusterGroupID: sorted, deduplicated,
// empty names skipped.
func (c *Client) listFleetMembers(ctx context.Context) (fleetMembers, error) {
	o := c.ucsOp(op{name: "list fleet member clusters", forbidden: memberForbiddenHint})
	cl, err := c.fleetClient(ctx)
	if err != nil {
		return nil, err
	}
	out := fleetMembers{}
	for page := 0; page < maxFleetPages; page++ {
		items, total, err := c.memberPage(ctx, o, cl, int32(page*memberPageSize))
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			out.add(it)
		}
		if len(items) < memberPageSize || (total > 0 && (page+1)*memberPageSize >= total) {
			out.tidy()
			return out, nil
		}
	}
	return nil, o.failure(callRecord{}, errors.New("UCS keeps returning cluster pages: report it"))
}

func (c *Client) memberPage(ctx context.Context, o op, cl *ucs.UcsClient, offset int32) ([]ucsmodel.Cluster, int, error) {
	limit, manage, status := int32(memberPageSize), manageGrouped, false
	req := &ucsmodel.ShowClusterListRequest{Managetype: &manage, Enablestatus: &status, Limit: &limit, Offset: &offset}
	resp, _, err := invoke(ctx, c, o, func() sdkInvoker[*ucsmodel.ShowClusterListResponse] {
		return cl.ShowClusterListInvoker(req)
	})
	if err != nil {
		return nil, 0, err
	}
	return deref(resp.Items), int(deref(resp.Total)), nil
}

// add files one cluster under its fleet; clusters without a fleet or a
// name are skipped.
func (m fleetMembers) add(it ucsmodel.Cluster) {
	if it.Metadata == nil || it.Spec == nil {
		return
	}
	name, fleet := deref(it.Metadata.Name), deref(it.Spec.ClusterGroupID)
	if name != "" && fleet != "" {
		m[fleet] = append(m[fleet], name)
	}
}

// tidy sorts and deduplicates every fleet's names.
func (m fleetMembers) tidy() {
	for id, names := range m {
		slices.Sort(names)
		m[id] = slices.Compact(names)
	}
}

// apply sets the Members of the fleets among ts; a fleet UCS lists no
// cluster for has none.
func (m fleetMembers) apply(ts []Target) {
	for i := range ts {
		if ts[i].Kind == KindFleet {
			ts[i].Members = slices.Clone(m[ts[i].ID])
		}
	}
}
