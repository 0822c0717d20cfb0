package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// maxFleetDays is the longest validity UCS accepts for a fleet certificate.
const maxFleetDays = 1825

// ucsFleet is a fleet as UCS's ListClusterGroup / ShowClusterGroup return it.
type ucsFleet struct {
	Kind       string         `json:"kind"`
	APIVersion string         `json:"apiVersion"`
	Metadata   map[string]any `json:"metadata"`
	Spec       map[string]any `json:"spec"`
	Status     map[string]any `json:"status"`
}

// ucsCreated is when every emulated UCS object was created and last updated.
const ucsCreated = "2024-06-01T08:00:00Z"

// ucsMeta is a UCS object's metadata.
func ucsMeta(uid, name string) map[string]any {
	return map[string]any{"uid": uid, "name": name, "creationTimestamp": ucsCreated, "updateTimestamp": ucsCreated}
}

// renderFleet describes a fleet as ListClusterGroup / ShowClusterGroup do
// (UCS API reference, https://support.huaweicloud.com/intl/pt-br/api-ucs/ShowClusterGroup.html).
// With federation, spec.federationId is set and status.conditions holds
// {type: Federation, status: Available or Unavailable, reason}. Like UCS,
// it carries no member list: members are UCS clusters whose
// spec.clusterGroupID is the fleet's uid (listUCSClusters).
func renderFleet(f *Fleet) ucsFleet {
	spec := map[string]any{"description": f.Description}
	conditions := []map[string]any{}
	if f.Federation {
		spec["federationId"] = uuidID("federation", f.ID)
		spec["federationVersion"] = "v1.12.0"
		spec["dnsSuffix"] = []string{"cluster.local"}
		msg := "federation is enabled"
		if f.FederationStatus != "Available" {
			msg = "federation is enabled but not available"
		}
		conditions = append(conditions, map[string]any{
			"type": "Federation", "status": f.FederationStatus, "reason": f.FederationReason,
			"message": msg, "lastTransitionTime": ucsCreated,
		})
	}
	return ucsFleet{
		Kind: "ClusterGroup", APIVersion: "v1",
		Metadata: ucsMeta(f.ID, f.Name),
		Spec:     spec,
		Status:   map[string]any{"conditions": conditions},
	}
}

// listFleets is ListClusterGroup: GET /v1/clustergroups?limit=&offset=
// (limit -1 or absent: all).
func (s *Server) listFleets(w http.ResponseWriter, c *call) {
	pg, ok := ucsPaging(w, c)
	if !ok {
		return
	}
	all := s.idx.inv.Fleets
	lo, hi := pg.bounds(len(all))
	items := []ucsFleet{}
	for i := lo; i < hi; i++ {
		items = append(items, renderFleet(&all[i]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": items, "total": len(all)})
}

// showFleet is ShowClusterGroup: GET /v1/clustergroups/{id}.
func (s *Server) showFleet(w http.ResponseWriter, c *call) {
	if f, ok := s.lookupFleet(w, c); ok {
		writeJSON(w, http.StatusOK, renderFleet(f))
	}
}

// createFederationCert is CreateFederationCert: POST
// /v1/clustergroups/{id}/cert creates the federation connection in the
// given project, VPC and subnet and answers 201 with a kubeconfig.
func (s *Server) createFederationCert(w http.ResponseWriter, c *call) {
	f, ok := s.lookupFederatedFleet(w, c)
	if !ok {
		return
	}
	var body struct {
		ProjectID string `json:"projectID"`
		VpcID     string `json:"vpcID"`
		SubnetID  string `json:"subnetID"`
		Duration  int64  `json:"duration"`
	}
	if err := json.Unmarshal(c.body, &body); err != nil {
		writeGatewayError(w, http.StatusBadRequest, codeUCSBad, "request body is not valid JSON: "+err.Error())
		return
	}
	if msg := s.checkConnectionTarget(c.key, body.ProjectID, body.VpcID, body.SubnetID); msg != "" {
		writeGatewayError(w, http.StatusBadRequest, codeUCSBad, msg)
		return
	}
	s.answerFleetKubeconfig(w, c, f, body.Duration, http.StatusCreated)
}

// downloadFederationKubeconfig is DownloadFederationKubeconfig: POST
// /v1/clustergroups/{id}/kubeconfig, once a federation connection exists.
func (s *Server) downloadFederationKubeconfig(w http.ResponseWriter, c *call) {
	f, ok := s.lookupFederatedFleet(w, c)
	if !ok {
		return
	}
	rt, err := s.fleetRuntime(f)
	if err != nil {
		writeGatewayError(w, http.StatusInternalServerError, codeInternal, err.Error())
		return
	}
	rt.mu.Lock()
	connected := rt.connected
	rt.mu.Unlock()
	if !connected {
		writeGatewayError(w, http.StatusBadRequest, codeUCSNoConnect, fmt.Sprintf(
			"fleet %s has no federation connection: create one with POST /v1/clustergroups/%s/cert", f.Name, f.ID))
		return
	}
	var body struct {
		Duration int64 `json:"duration"`
	}
	if err := json.Unmarshal(c.body, &body); err != nil {
		writeGatewayError(w, http.StatusBadRequest, codeUCSBad, "request body is not valid JSON: "+err.Error())
		return
	}
	s.answerFleetKubeconfig(w, c, f, body.Duration, http.StatusOK)
}

// checkConnectionTarget checks that the project exists and the key may use
// it, the VPC belongs to it and the subnet to the VPC; it returns the
// problem or "".
func (s *Server) checkConnectionTarget(k accessKey, projectID, vpcID, subnetID string) string {
	if _, ok := s.idx.projects[projectID]; !ok || !k.allows(projectID) {
		return fmt.Sprintf("projectID %q is not a project of this account the key may use", projectID)
	}
	vpc, ok := s.idx.vpc(projectID, vpcID)
	if !ok {
		return fmt.Sprintf("vpcID %q does not belong to project %s", vpcID, projectID)
	}
	for _, sn := range vpc.Subnets {
		if sn.ID == subnetID {
			return ""
		}
	}
	return fmt.Sprintf("subnetID %q does not belong to VPC %s", subnetID, vpcID)
}

// answerFleetKubeconfig validates the duration, marks the connection, and
// answers the federation kubeconfig (certificate or token).
func (s *Server) answerFleetKubeconfig(w http.ResponseWriter, c *call, f *Fleet, days int64, status int) {
	if days < 1 || days > maxFleetDays {
		writeGatewayError(w, http.StatusBadRequest, codeUCSBad, fmt.Sprintf("duration %d is out of range: use 1..%d days", days, maxFleetDays))
		return
	}
	kc, err := s.fleetKubeconfig(f, c.key.userID, s.now().Add(time.Duration(days)*24*time.Hour))
	if err != nil {
		writeGatewayError(w, http.StatusInternalServerError, codeInternal, err.Error())
		return
	}
	writeJSON(w, status, kc)
}

// fleetKubeconfig starts the fleet's federation API server if needed,
// records the connection and issues a certificate for user (or a token).
func (s *Server) fleetKubeconfig(f *Fleet, user string, notAfter time.Time) (kubeconfig, error) {
	rt, err := s.fleetRuntime(f)
	if err != nil {
		return kubeconfig{}, err
	}
	urls, err := rt.endpoints()
	if err != nil {
		return kubeconfig{}, err
	}
	ca, err := rt.authority()
	if err != nil {
		return kubeconfig{}, err
	}
	var u kubeUser
	if f.Auth == FleetAuthToken {
		u.Token = rt.issueToken()
	} else {
		cc, _, err := rt.issue(user, notAfter)
		if err != nil {
			return kubeconfig{}, err
		}
		u = kubeUser{CertData: b64(cc.certPEM), KeyData: b64(cc.keyPEM)}
	}
	rt.mu.Lock()
	rt.connected = true
	rt.mu.Unlock()
	return ucsKubeconfig(f.Name, urls[0], ca.certPEM, u), nil
}

func (s *Server) lookupFleet(w http.ResponseWriter, c *call) (*Fleet, bool) {
	id := c.vars["clustergroupid"]
	f, ok := s.idx.fleets[id]
	if !ok {
		writeGatewayError(w, http.StatusNotFound, codeUCSNotFound, fmt.Sprintf("fleet %s not found", id))
	}
	return f, ok
}

// lookupFederatedFleet finds the fleet and answers 400 when its federation
// is off.
func (s *Server) lookupFederatedFleet(w http.ResponseWriter, c *call) (*Fleet, bool) {
	f, ok := s.lookupFleet(w, c)
	if ok && !f.Federation {
		writeGatewayError(w, http.StatusBadRequest, codeUCSNoFed, fmt.Sprintf(
			"federation is not enabled for fleet %s: enable it in the UCS console first", f.Name))
		return nil, false
	}
	return f, ok
}

// paging is a UCS listing's limit and offset (limit -1: all).
type paging struct{ limit, offset int }

// ucsPaging reads ?limit=&offset=, or answers 400 and returns false.
func ucsPaging(w http.ResponseWriter, c *call) (paging, bool) {
	q := c.r.URL.Query()
	limit, err1 := queryInt(q.Get("limit"), -1)
	offset, err2 := queryInt(q.Get("offset"), 0)
	if err1 != nil || err2 != nil || offset < 0 {
		writeGatewayError(w, http.StatusBadRequest, codeUCSBad, "limit and offset must be integers, offset >= 0")
		return paging{}, false
	}
	return paging{limit: limit, offset: offset}, true
}

// bounds is the page's [lo, hi) among n items.
func (p paging) bounds(n int) (lo, hi int) {
	lo = min(p.offset, n)
	hi = n
	if p.limit >= 0 {
		hi = min(n, lo+p.limit)
	}
	return lo, hi
}

func queryInt(v string, def int) (int, error) {
	if v == "" {
		return def, nil
	}
	return strconv.Atoi(v)
}
