package emulator

import (
	"encoding/json"
	"strconv"
	"time"
)

// cceCluster is a cluster as CCE's ListClusters / ShowCluster return it
// (Autopilot uses the same shape).
type cceCluster struct {
	Kind       string      `json:"kind"`
	APIVersion string      `json:"apiVersion"`
	Metadata   cceMetadata `json:"metadata"`
	Spec       cceSpec     `json:"spec"`
	Status     cceStatus   `json:"status"`
}

type cceMetadata struct {
	Name              string            `json:"name"`
	UID               string            `json:"uid"`
	Alias             string            `json:"alias"`
	Labels            map[string]string `json:"labels"`
	Annotations       map[string]string `json:"annotations"`
	CreationTimestamp string            `json:"creationTimestamp"`
	UpdateTimestamp   string            `json:"updateTimestamp"`
	Timezone          string            `json:"timezone"`
}

type cceSpec struct {
	Category             string            `json:"category"`
	Type                 string            `json:"type"`
	Flavor               string            `json:"flavor"`
	Version              string            `json:"version"`
	PlatformVersion      string            `json:"platformVersion"`
	Description          string            `json:"description"`
	HostNetwork          map[string]string `json:"hostNetwork"`
	ContainerNetwork     map[string]string `json:"containerNetwork"`
	EniNetwork           map[string]string `json:"eniNetwork,omitempty"`
	ServiceNetwork       map[string]string `json:"serviceNetwork,omitempty"`
	Authentication       map[string]string `json:"authentication"`
	BillingMode          int               `json:"billingMode"`
	KubernetesSvcIPRange string            `json:"kubernetesSvcIpRange,omitempty"`
	KubeProxyMode        string            `json:"kubeProxyMode"`
	Az                   string            `json:"az"`
	CustomSan            []string          `json:"customSan,omitempty"`
}

type cceStatus struct {
	Phase     string        `json:"phase"`
	Endpoints []cceEndpoint `json:"endpoints"`
}

type cceEndpoint struct {
	URL  string `json:"url"`
	Type string `json:"type"` // Internal, External or External_OTC
}

// clusterJSON is the cluster as JSON, rendered once: a cluster never changes
// and its endpoints keep their addresses.
func (s *Server) clusterJSON(c *Cluster) ([]byte, error) {
	rt, err := s.clusterRuntime(c)
	if err != nil {
		return nil, err
	}
	rt.mu.Lock()
	cached := rt.rendered
	rt.mu.Unlock()
	if cached != nil {
		return cached, nil
	}
	urls, err := rt.endpoints()
	if err != nil {
		return nil, err
	}
	data, err := json.Marshal(s.renderCluster(c, urls))
	if err != nil {
		return nil, err
	}
	rt.mu.Lock()
	rt.rendered = data
	rt.mu.Unlock()
	return data, nil
}

// renderCluster describes a cluster whose API servers listen at urls
// (internal first).
func (s *Server) renderCluster(c *Cluster, urls []string) cceCluster {
	eps := []cceEndpoint{{URL: urls[0], Type: "Internal"}}
	if len(urls) > 1 {
		eps = append(eps, cceEndpoint{URL: urls[1], Type: c.ExternalType})
	}
	created := createdAt(c.ID)
	out := cceCluster{
		Kind: "Cluster", APIVersion: "v3",
		Metadata: cceMetadata{
			Name: c.Name, UID: c.ID, Alias: c.Name,
			Labels:            map[string]string{"FeatureGates": ""},
			Annotations:       map[string]string{},
			CreationTimestamp: created, UpdateTimestamp: created, Timezone: "Etc/UTC",
		},
		Spec:   s.clusterSpec(c),
		Status: cceStatus{Phase: c.Phase, Endpoints: eps},
	}
	return out
}

func (s *Server) clusterSpec(c *Cluster) cceSpec {
	vpcID, subnetID := uuidID("vpc", c.Project), uuidID("subnet", c.Project)
	if p := s.idx.projectByName[c.Project]; p != nil && len(p.VPCs) > 0 {
		vpcID = p.VPCs[0].ID
		if len(p.VPCs[0].Subnets) > 0 {
			subnetID = p.VPCs[0].Subnets[0].ID
		}
	}
	// CCE's reference example (ShowCluster) also reports the cluster's
	// container and service CIDRs (spec.containerNetwork.cidr,
	// serviceNetwork.IPv4CIDR, kubernetesSvcIpRange). They are optional in
	// the SDK's models and ccecert reads none of them, so the emulator
	// leaves them out: it names no address but loopback.
	spec := cceSpec{
		Category: "CCE", Type: c.Type, Flavor: c.Flavor, Version: c.Version,
		PlatformVersion:  "cce.10.0",
		HostNetwork:      map[string]string{"vpc": vpcID, "subnet": subnetID},
		ContainerNetwork: map[string]string{"mode": "vpc-router"},
		Authentication:   map[string]string{"mode": "rbac"},
		KubeProxyMode:    "iptables", Az: "multi_az",
		CustomSan: c.CustomSANs,
	}
	if c.Kind == KindAutopilot {
		spec.Category = "Turbo"
		spec.ContainerNetwork = map[string]string{"mode": "eni"}
		spec.EniNetwork = map[string]string{"eniSubnetId": subnetID}
	}
	return spec
}

// createdAt is a stable creation time in 2024 derived from the cluster ID,
// in CCE's format.
func createdAt(id string) string {
	n, _ := strconv.ParseUint(hexID("created", id)[:8], 16, 64)
	t := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n%(365*24*3600)) * time.Second)
	return t.Format("2006-01-02 15:04:05.000000 -0700 MST")
}
