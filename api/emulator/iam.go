package emulator

import "net/http"

// iamProject is a project as IAM lists it.
type iamProject struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	DomainID    string            `json:"domain_id"`
	ParentID    string            `json:"parent_id"`
	Enabled     bool              `json:"enabled"`
	IsDomain    bool              `json:"is_domain"`
	Description string            `json:"description"`
	Links       map[string]string `json:"links"`
}

// visibleProjects are the projects the key may use whose name matches name
// (any name when empty), in inventory order.
func (s *Server) visibleProjects(k accessKey, name string) []iamProject {
	out := []iamProject{}
	for _, p := range s.idx.inv.Projects {
		if !k.allows(p.ID) || (name != "" && p.Name != name) {
			continue
		}
		out = append(out, iamProject{
			ID: p.ID, Name: p.Name, DomainID: s.DomainID, ParentID: s.DomainID,
			Enabled: true, Links: map[string]string{"self": s.URL + "/v3/projects/" + p.ID},
		})
	}
	return out
}

// listAuthProjects is KeystoneListAuthProjects: GET /v3/auth/projects.
func (s *Server) listAuthProjects(w http.ResponseWriter, c *call) {
	writeJSON(w, http.StatusOK, map[string]any{
		"projects": s.visibleProjects(c.key, ""),
		"links":    map[string]string{"self": s.URL + "/v3/auth/projects"},
	})
}

// listProjects is KeystoneListProjects: GET /v3/projects?name=, which the SDK
// itself calls to find a project ID when credentials have none.
func (s *Server) listProjects(w http.ResponseWriter, c *call) {
	name := c.r.URL.Query().Get("name")
	writeJSON(w, http.StatusOK, map[string]any{
		"projects": s.visibleProjects(c.key, name),
		"links":    map[string]any{"self": s.URL + "/v3/projects", "previous": nil, "next": nil},
	})
}

// listAuthDomains is KeystoneListAuthDomains: GET /v3/auth/domains.
func (s *Server) listAuthDomains(w http.ResponseWriter, _ *call) {
	writeJSON(w, http.StatusOK, map[string]any{
		"domains": []map[string]any{{
			"id": s.DomainID, "name": s.DomainName, "enabled": true, "description": "",
			"links": map[string]string{"self": s.URL + "/v3/domains/" + s.DomainID},
		}},
		"links": map[string]string{"self": s.URL + "/v3/auth/domains"},
	})
}
