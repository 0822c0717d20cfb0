package emulator

import (
	"fmt"
	"net/http"
)

// Values of ShowClusterList's managetype: clusters in a fleet, clusters in
// none, or both (UCS's default).
const (
	manageGrouped  = "grouped"
	manageDiscrete = "discrete"
	manageAll      = "all"
)

// ucsCluster is a cluster registered in UCS, as ShowClusterList returns it.
type ucsCluster struct {
	Kind       string         `json:"kind"`
	APIVersion string         `json:"apiVersion"`
	Metadata   map[string]any `json:"metadata"`
	Spec       map[string]any `json:"spec"`
	Status     map[string]any `json:"status"`
}

// renderUCSCluster describes the member cluster name of fleet f as UCS
// registers it: its own uid, spec.clusterGroupID = the fleet's uid, and the
// project and region of the inventory cluster of that name.
func (s *Server) renderUCSCluster(f *Fleet, name string) ucsCluster {
	spec := map[string]any{
		"clusterGroupID": f.ID,
		"category":       "self",
		"type":           "cce",
		"manageType":     manageGrouped,
	}
	if c, ok := s.idx.clusterByName[name]; ok {
		if p := s.idx.projectByName[c.Project]; p != nil {
			spec["projectID"], spec["projectName"], spec["region"] = p.ID, p.Name, p.Region()
		}
	}
	return ucsCluster{
		Kind: "Cluster", APIVersion: "v1",
		Metadata: ucsMeta(uuidID("ucs-cluster", f.ID, name), name),
		Spec:     spec,
		Status:   map[string]any{"phase": PhaseAvailable},
	}
}

// listUCSClusters is ShowClusterList: GET /v1/clusters?managetype=&
// clustergroupid=&limit=&offset= (limit -1 or absent: all). The emulator
// registers only fleet members in UCS, so managetype=discrete lists none.
// The other filters (category, clusterids, order) are not modelled.
func (s *Server) listUCSClusters(w http.ResponseWriter, c *call) {
	pg, ok := ucsPaging(w, c)
	if !ok {
		return
	}
	q := c.r.URL.Query()
	manage := q.Get("managetype")
	switch manage {
	case "":
		manage = manageAll
	case manageAll, manageGrouped, manageDiscrete:
	default:
		writeGatewayError(w, http.StatusBadRequest, codeUCSBad,
			fmt.Sprintf("managetype %q: use all, grouped or discrete", manage))
		return
	}
	all := s.registeredClusters(manage, q.Get("clustergroupid"))
	lo, hi := pg.bounds(len(all))
	items := append([]ucsCluster{}, all[lo:hi]...)
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": len(all)})
}

// registeredClusters are the clusters UCS lists for a managetype and an
// optional fleet uid, in inventory order: every fleet's members.
func (s *Server) registeredClusters(manage, fleetID string) []ucsCluster {
	if manage == manageDiscrete {
		return nil
	}
	var out []ucsCluster
	for i := range s.idx.inv.Fleets {
		f := &s.idx.inv.Fleets[i]
		if fleetID != "" && f.ID != fleetID {
			continue
		}
		for _, m := range f.Members {
			out = append(out, s.renderUCSCluster(f, m))
		}
	}
	return out
}
