package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// minExpireAhead is the shortest validity CCE accepts for expire_at.
const minExpireAhead = 15 * time.Minute

// listClusters is ListClusters / ListAutopilotClusters:
// GET .../projects/{project_id}/clusters[?status=&type=].
func (s *Server) listClusters(w http.ResponseWriter, c *call) {
	q := c.r.URL.Query()
	items := []json.RawMessage{}
	for _, cl := range s.idx.clustersByProject[c.projectID] {
		if cl.Kind != c.kind || (q.Get("status") != "" && q.Get("status") != cl.Phase) ||
			(q.Get("type") != "" && q.Get("type") != cl.Type) {
			continue
		}
		item, err := s.clusterJSON(cl)
		if err != nil {
			writeCCEError(w, http.StatusInternalServerError, codeInternal, err.Error())
			return
		}
		items = append(items, item)
	}
	writeJSON(w, http.StatusOK, map[string]any{"kind": "Cluster", "apiVersion": "v3", "items": items})
}

// showCluster is ShowCluster / ShowAutopilotCluster.
func (s *Server) showCluster(w http.ResponseWriter, c *call) {
	cl, ok := s.lookupCluster(w, c)
	if !ok {
		return
	}
	item, err := s.clusterJSON(cl)
	if err != nil {
		writeCCEError(w, http.StatusInternalServerError, codeInternal, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, json.RawMessage(item))
}

// createClusterCert is CreateKubernetesClusterCert, POST
// /api/v3/.../clustercert (CCE API reference cce_02_0248,
// https://support.huaweicloud.com/intl/en-us/api-cce/cce_02_0248.html), and
// CreateAutopilotKubernetesClusterCert, POST /autopilot/v3/.../clustercert
// (https://support.huaweicloud.com/api-cce-autopilot/CreateAutopilotKubernetesClusterCert.md).
// The English CCE reference marks duration mandatory, so a body without it
// is refused; CCE's expire_at (documented in the Chinese reference,
// https://support.huaweicloud.com/api-cce/cce_02_0248.html, as winning over
// duration) is honoured unless Faults.IgnoreExpireAt plays a cloud that
// predates it. Autopilot's body is the SDK's CertDuration: days only.
func (s *Server) createClusterCert(w http.ResponseWriter, c *call) {
	cl, ok := s.lookupCluster(w, c)
	if !ok {
		return
	}
	if c.kind == KindCCE && s.legacyOnly(cl) {
		// A gateway that does not publish the POST (played by
		// Faults.LegacyOnlyRegions) answers as for any unknown API.
		writeGatewayError(w, http.StatusNotFound, codeNoAPI, msgNoAPI)
		return
	}
	if cl.Legacy() {
		// Unconfirmed: the reference says only "applicable to clusters of
		// v1.13 and later"; the code and wording of the refusal are ours.
		writeCCEError(w, http.StatusBadRequest, codeBadRequest, fmt.Sprintf(
			"This API is applicable to clusters of v1.13 and later; cluster version %s: use GET clustercert", cl.Version))
		return
	}
	if !certAllowed(w, cl) {
		return
	}
	honourExpireAt := c.kind == KindCCE && !s.currentFaults().IgnoreExpireAt
	notAfter, err := certExpiry(c.body, s.now(), honourExpireAt)
	if err != nil {
		writeCCEError(w, http.StatusBadRequest, codeBadRequest, "Invalid request: "+err.Error())
		return
	}
	s.answerClusterCert(w, c, cl, notAfter)
}

// legacyClusterCert is the legacy GET /api/v3/.../clustercert (seeds 001,
// 004; "Obtaining a Cluster Certificate (Discarded)" cce_02_0359,
// https://support.huaweicloud.com/intl/en-us/api-cce/cce_02_0359.html): no
// duration; the validity is the cluster's own.
func (s *Server) legacyClusterCert(w http.ResponseWriter, c *call) {
	cl, ok := s.lookupCluster(w, c)
	if !ok || !certAllowed(w, cl) {
		return
	}
	s.answerClusterCert(w, c, cl, s.now().Add(time.Duration(cl.LegacyCertDays)*24*time.Hour))
}

// answerClusterCert mints a certificate for the caller and answers the
// kubeconfig with the Port-ID header.
func (s *Server) answerClusterCert(w http.ResponseWriter, c *call, cl *Cluster, notAfter time.Time) {
	rt, err := s.clusterRuntime(cl)
	if err != nil {
		writeCCEError(w, http.StatusInternalServerError, codeInternal, err.Error())
		return
	}
	urls, err := rt.endpoints()
	if err != nil {
		writeCCEError(w, http.StatusInternalServerError, codeInternal, err.Error())
		return
	}
	cc, ca, err := rt.issue(c.key.userID, notAfter)
	if err != nil {
		writeCCEError(w, http.StatusInternalServerError, codeInternal, err.Error())
		return
	}
	w.Header().Set("Port-ID", cl.PortID)
	writeJSON(w, http.StatusOK, cceKubeconfig(urls, ca.certPEM, cc))
}

// revokeClusterCert is RevokeKubernetesClusterCert: POST
// /api/v3/.../clustercertrevoke {"userId": "..."} revokes every certificate
// of that user on that cluster (CCE API reference cce_02_0249,
// https://support.huaweicloud.com/intl/en-us/api-cce/cce_02_0249.html).
func (s *Server) revokeClusterCert(w http.ResponseWriter, c *call) {
	cl, ok := s.lookupCluster(w, c)
	if !ok {
		return
	}
	var body struct {
		UserID   string `json:"userId"`
		AgencyID string `json:"agencyId"`
	}
	if err := json.Unmarshal(c.body, &body); err != nil || (body.UserID == "" && body.AgencyID == "") {
		writeCCEError(w, http.StatusBadRequest, codeBadRequest, "Invalid request: the body must be {\"userId\": \"...\"} or {\"agencyId\": \"...\"}")
		return
	}
	rt, err := s.clusterRuntime(cl)
	if err != nil {
		writeCCEError(w, http.StatusInternalServerError, codeInternal, err.Error())
		return
	}
	user := body.UserID
	if user == "" {
		user = body.AgencyID
	}
	rt.revoke(user)
	w.WriteHeader(http.StatusOK)
}

// lookupCluster finds the cluster of the URL, or answers 404.
func (s *Server) lookupCluster(w http.ResponseWriter, c *call) (*Cluster, bool) {
	id := c.vars["cluster_id"]
	cl, ok := s.idx.cluster(c.projectID, id, c.kind)
	if !ok {
		writeCCEError(w, http.StatusNotFound, codeNotFound, fmt.Sprintf("Resource not found: cluster %s does not exist in project %s", id, c.projectID))
	}
	return cl, ok
}

// certAllowed answers 400 unless the cluster is Available.
func certAllowed(w http.ResponseWriter, cl *Cluster) bool {
	switch cl.Phase {
	case PhaseAvailable:
		return true
	case PhaseHibernation:
		writeCCEError(w, http.StatusBadRequest, codeHibernating, fmt.Sprintf(
			"cluster %s is hibernating: wake it up before requesting a certificate", cl.Name))
	default:
		writeCCEError(w, http.StatusBadRequest, codeHibernating, fmt.Sprintf(
			"cluster %s is %s: certificates are issued only for Available clusters", cl.Name, cl.Phase))
	}
	return false
}

// certExpiry reads a ClusterCertDuration body and returns the NotAfter it
// asks for: duration (mandatory: 1..max days, or -1 for five years), or,
// when expireAt is honoured and set, expire_at (15 min..5 years ahead).
func certExpiry(body []byte, now time.Time, honourExpireAt bool) (time.Time, error) {
	var req struct {
		Duration *int64  `json:"duration"`
		ExpireAt *string `json:"expire_at"`
	}
	if err := json.Unmarshal(body, &req); err != nil {
		return time.Time{}, fmt.Errorf("the body is not a valid ClusterCertDuration: %w", err)
	}
	if req.Duration == nil {
		return time.Time{}, errors.New("duration is mandatory")
	}
	fiveYears := now.AddDate(5, 0, 0)
	d, maxDays := *req.Duration, maxCertDays(now)
	if d != -1 && (d < 1 || d > int64(maxDays)) {
		return time.Time{}, fmt.Errorf("duration %d is out of range: use 1..%d days, or -1 for five years", d, maxDays)
	}
	if honourExpireAt && req.ExpireAt != nil && *req.ExpireAt != "" {
		t, err := parseExpireAt(*req.ExpireAt)
		if err != nil {
			return time.Time{}, err
		}
		if t.Before(now.Add(minExpireAhead)) || t.After(fiveYears) {
			return time.Time{}, fmt.Errorf("expire_at %s must be between 15 minutes and 5 years from now", *req.ExpireAt)
		}
		return t, nil
	}
	if d == -1 {
		return fiveYears, nil
	}
	return now.Add(time.Duration(d) * 24 * time.Hour), nil
}

// parseExpireAt reads the SDK's "2025-01-01 16:00:00 +0000 UTC" (and
// RFC 3339).
func parseExpireAt(v string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04:05 -0700 MST", "2006-01-02 15:04:05 -0700", time.RFC3339} {
		if t, err := time.Parse(layout, v); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("expire_at %q: use the form 2025-01-01 16:00:00 +0000 UTC", v)
}

// maxCertDays is the number of days in the five calendar years after now:
// 1826 or 1827.
func maxCertDays(now time.Time) int {
	now = now.UTC()
	return int(now.AddDate(5, 0, 0).Sub(now).Hours() / 24)
}
