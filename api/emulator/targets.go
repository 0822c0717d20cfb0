package emulator

import "fmt"

// TargetInfo describes one served cluster or fleet, for tests to know what
// to expect. Kind is "cce", "autopilot" or "fleet"; fleets have Region
// "global" and no project.
type TargetInfo struct {
	Kind        string
	ID          string
	Name        string
	Region      string
	ProjectID   string
	ProjectName string
	Version     string
	Phase       string
	EIP         bool
	Legacy      bool
	PortID      string
	Federation  bool
	Members     []string
}

// Targets lists every cluster, then every fleet, in inventory order. It does
// not start any API server; Endpoints does.
func (s *Server) Targets() []TargetInfo {
	var out []TargetInfo
	for _, c := range s.idx.inv.Clusters {
		p := s.idx.projectByName[c.Project]
		out = append(out, TargetInfo{
			Kind: c.Kind, ID: c.ID, Name: c.Name, Region: p.Region(), ProjectID: p.ID,
			ProjectName: p.Name, Version: c.Version, Phase: c.Phase, EIP: c.EIP,
			Legacy: c.Legacy(), PortID: c.PortID,
		})
	}
	for _, f := range s.idx.inv.Fleets {
		out = append(out, TargetInfo{
			Kind: "fleet", ID: f.ID, Name: f.Name, Region: "global",
			Federation: f.Federation, Members: append([]string(nil), f.Members...),
		})
	}
	return out
}

// Target returns the served cluster or fleet with the given name.
func (s *Server) Target(name string) (TargetInfo, bool) {
	for _, t := range s.Targets() {
		if t.Name == name {
			return t, true
		}
	}
	return TargetInfo{}, false
}

// Endpoints returns a cluster's API server URLs (internal, and external when
// it has an EIP), starting the servers if they are not running yet — the
// same URLs the CCE API reports.
func (s *Server) Endpoints(clusterID string) (internal, external string, err error) {
	c, ok := s.idx.clusters[clusterID]
	if !ok {
		return "", "", fmt.Errorf("cluster %s is not in the emulator's inventory", clusterID)
	}
	rt, err := s.clusterRuntime(c)
	if err != nil {
		return "", "", err
	}
	urls, err := rt.endpoints()
	if err != nil {
		return "", "", err
	}
	if len(urls) > 1 {
		external = urls[1]
	}
	return urls[0], external, nil
}
