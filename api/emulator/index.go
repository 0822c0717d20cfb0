package emulator

import (
	"crypto/rand"
	"encoding/hex"
)

// index is the inventory with lookups by ID; it never changes after Start.
type index struct {
	inv               *Inventory
	projects          map[string]*Project // by id
	projectByName     map[string]*Project
	clusters          map[string]*Cluster // by id
	clusterByName     map[string]*Cluster
	clustersByProject map[string][]*Cluster // project id → clusters in inventory order
	fleets            map[string]*Fleet     // by id
}

func newIndex(inv *Inventory) *index {
	x := &index{
		inv:               inv,
		projects:          map[string]*Project{},
		projectByName:     map[string]*Project{},
		clusters:          map[string]*Cluster{},
		clusterByName:     map[string]*Cluster{},
		clustersByProject: map[string][]*Cluster{},
		fleets:            map[string]*Fleet{},
	}
	for i := range inv.Projects {
		p := &inv.Projects[i]
		x.projects[p.ID] = p
		x.projectByName[p.Name] = p
	}
	for i := range inv.Clusters {
		c := &inv.Clusters[i]
		x.clusters[c.ID] = c
		x.clusterByName[c.Name] = c
		if p := x.projectByName[c.Project]; p != nil {
			x.clustersByProject[p.ID] = append(x.clustersByProject[p.ID], c)
		}
	}
	for i := range inv.Fleets {
		x.fleets[inv.Fleets[i].ID] = &inv.Fleets[i]
	}
	return x
}

// cluster finds a cluster of the given kind in a project.
func (x *index) cluster(projectID, id, kind string) (*Cluster, bool) {
	c, ok := x.clusters[id]
	if !ok || c.Kind != kind {
		return nil, false
	}
	p := x.projectByName[c.Project]
	if p == nil || p.ID != projectID {
		return nil, false
	}
	return c, true
}

// regionOf is the region of a project ID, or "" when unknown.
func (x *index) regionOf(projectID string) string {
	if p, ok := x.projects[projectID]; ok {
		return p.Region()
	}
	return ""
}

// vpc finds a VPC of a project.
func (x *index) vpc(projectID, vpcID string) (*VPC, bool) {
	p, ok := x.projects[projectID]
	if !ok {
		return nil, false
	}
	for i := range p.VPCs {
		if p.VPCs[i].ID == vpcID {
			return &p.VPCs[i], true
		}
	}
	return nil, false
}

const (
	upperAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	mixedAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
)

// randomString is n random characters of alphabet (AK/SK, tokens).
func randomString(n int, alphabet string) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails since Go 1.24
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// newRequestID is a random 32-hex-digit request id, like the gateway's.
func newRequestID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
