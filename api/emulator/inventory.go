package emulator

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
)

// Kinds of cluster the emulator serves.
const (
	KindCCE       = "cce"       // a CCE cluster, under /api/v3
	KindAutopilot = "autopilot" // a CCE Autopilot cluster, under /autopilot/v3
)

// Phases as CCE reports them.
const (
	PhaseAvailable   = "Available"
	PhaseHibernation = "Hibernation"
)

// Fleet authentication modes of the federation kubeconfig.
const (
	FleetAuthCert  = "cert"  // client certificate and key (the default)
	FleetAuthToken = "token" // a bearer token only, no client certificate
)

// Inventory is what the emulator serves: one account (domain and user), its
// projects with VPCs, its clusters and its UCS fleets. Load one with
// LoadInventory, DemoInventory or Synthetic; IDs left empty are derived from
// names, so they are stable across runs.
type Inventory struct {
	// Site is the cloud this account is on: huaweicloud (default),
	// huaweicloud-eu or otc; International marks a Huawei Cloud
	// International account (its UCS is ucs-intl.myhuaweicloud.com).
	Site          string    `json:"site,omitempty"`
	International bool      `json:"international,omitempty"`
	Domain        Domain    `json:"domain"`
	User          User      `json:"user"`
	Projects      []Project `json:"projects"`
	Clusters      []Cluster `json:"clusters"`
	Fleets        []Fleet   `json:"fleets,omitempty"`
	// Accounts are further accounts, each with its own site, keys and
	// inventory (top level only), served beside this one; in proxy mode
	// each request goes to the account whose access key signed it.
	Accounts []Inventory `json:"accounts,omitempty"`
}

// Domain is the account (IAM domain).
type Domain struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`
}

// User owns the main access key; its ID is the CN of the certificates it gets.
type User struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`
}

// Project is an IAM project: a region ("cn-north-4"), a subproject
// ("cn-north-4_ops") or a non-region project ("MOS").
type Project struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`
	VPCs []VPC  `json:"vpcs,omitempty"`
}

// Region is the project's region: its name up to the first underscore.
func (p Project) Region() string {
	region, _, _ := strings.Cut(p.Name, "_")
	return region
}

// VPC is a virtual private cloud of a project.
type VPC struct {
	ID      string   `json:"id,omitempty"`
	Name    string   `json:"name"`
	CIDR    string   `json:"cidr"`
	Subnets []Subnet `json:"subnets,omitempty"`
}

// Subnet is a subnet of a VPC.
type Subnet struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`
	CIDR string `json:"cidr"`
}

// Cluster is a CCE or Autopilot cluster in a project (referenced by name).
type Cluster struct {
	ID      string `json:"id,omitempty"`
	Name    string `json:"name"`
	Project string `json:"project"`
	Kind    string `json:"kind,omitempty"`    // cce (default) or autopilot
	Version string `json:"version"`           // "v1.31"
	Phase   string `json:"phase,omitempty"`   // default Available
	EIP     bool   `json:"eip,omitempty"`     // has an external endpoint
	Type    string `json:"type,omitempty"`    // VirtualMachine (default) or ARM64
	Flavor  string `json:"flavor,omitempty"`  // default cce.s2.small
	PortID  string `json:"port_id,omitempty"` // Port-ID header of cert answers; derived when empty
	// GitVersion is what /version reports; default Version + ".1-r0".
	GitVersion string `json:"git_version,omitempty"`
	// LegacyCertDays is the validity of certificates from the legacy GET
	// clustercert (the cluster's own validity); default 365.
	LegacyCertDays int `json:"legacy_cert_days,omitempty"`
	// ExternalType is the type of the external endpoint in the cluster's
	// status: External (default) or External_OTC (Open Telekom Cloud's
	// address through its API gateway).
	ExternalType string `json:"external_type,omitempty"`
	// CustomSANs are the custom SANs of the API server certificate, CCE's
	// spec.customSan: IP addresses or DNS names, v1.19 and later. The
	// serving certificate covers the internal address and these, and the
	// external address only when it is one of them: the emulator's EIPs
	// are on EIPHost, so custom_sans: [127.0.0.2] puts the EIP in.
	CustomSANs []string `json:"custom_sans,omitempty"`
	// MITM makes the external endpoint present a certificate from another
	// CA, as a man in the middle would (needs eip).
	MITM bool `json:"mitm,omitempty"`
}

// Legacy reports whether the cluster is older than v1.13, so only the legacy
// GET clustercert works.
func (c Cluster) Legacy() bool {
	major, minor, ok := parseVersion(c.Version)
	return ok && (major < 1 || (major == 1 && minor < 13))
}

// Fleet is a UCS fleet (cluster group) of clusters referenced by name.
type Fleet struct {
	ID          string `json:"id,omitempty"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Federation  bool   `json:"federation,omitempty"`
	// FederationStatus is the Federation condition's status when
	// federation is enabled: Available (default) or Unavailable, with
	// FederationReason, as in UCS's own ListClusterGroup example.
	FederationStatus string   `json:"federation_status,omitempty"`
	FederationReason string   `json:"federation_reason,omitempty"`
	Auth             string   `json:"auth,omitempty"` // cert (default) or token
	Members          []string `json:"members,omitempty"`
}

// Project returns the project with the given name.
func (inv *Inventory) Project(name string) (Project, bool) {
	for _, p := range inv.Projects {
		if p.Name == name {
			return p, true
		}
	}
	return Project{}, false
}

// Clone returns a deep copy, so callers cannot change what a server serves.
func (inv *Inventory) Clone() *Inventory {
	out := *inv
	out.Projects = slices.Clone(inv.Projects) // keeps nil and empty apart
	for i, p := range inv.Projects {
		p.VPCs = slices.Clone(p.VPCs)
		for j, v := range p.VPCs {
			p.VPCs[j].Subnets = slices.Clone(v.Subnets)
		}
		out.Projects[i] = p
	}
	out.Clusters = slices.Clone(inv.Clusters)
	for i, c := range inv.Clusters {
		out.Clusters[i].CustomSANs = slices.Clone(c.CustomSANs)
	}
	out.Fleets = slices.Clone(inv.Fleets)
	for i, f := range inv.Fleets {
		f.Members = slices.Clone(f.Members)
		out.Fleets[i] = f
	}
	out.Accounts = slices.Clone(inv.Accounts)
	for i := range inv.Accounts {
		out.Accounts[i] = *inv.Accounts[i].Clone()
	}
	return &out
}

// fillDefaults derives missing IDs from names and sets default values.
func (inv *Inventory) fillDefaults() {
	if inv.Site == "" {
		inv.Site = SiteHuaweiCloud
	}
	for i := range inv.Accounts {
		inv.Accounts[i].fillDefaults()
	}
	if inv.Domain.ID == "" {
		inv.Domain.ID = hexID("domain", inv.Domain.Name)
	}
	if inv.User.ID == "" {
		inv.User.ID = hexID("user", inv.Domain.Name, inv.User.Name)
	}
	for i := range inv.Projects {
		p := &inv.Projects[i]
		if p.ID == "" {
			p.ID = hexID("project", inv.Domain.Name, p.Name)
		}
		for j := range p.VPCs {
			v := &p.VPCs[j]
			if v.ID == "" {
				v.ID = uuidID("vpc", p.Name, v.Name)
			}
			for k := range v.Subnets {
				if v.Subnets[k].ID == "" {
					v.Subnets[k].ID = uuidID("subnet", p.Name, v.Name, v.Subnets[k].Name)
				}
			}
		}
	}
	for i := range inv.Clusters {
		inv.Clusters[i].fillDefaults()
	}
	for i := range inv.Fleets {
		f := &inv.Fleets[i]
		if f.ID == "" {
			f.ID = uuidID("fleet", f.Name)
		}
		if f.Auth == "" {
			f.Auth = FleetAuthCert
		}
		if f.Federation && f.FederationStatus == "" {
			f.FederationStatus = "Available"
		}
	}
}

func (c *Cluster) fillDefaults() {
	if c.ID == "" {
		c.ID = uuidID("cluster", c.Project, c.Name)
	}
	if c.Kind == "" {
		c.Kind = KindCCE
	}
	if c.Phase == "" {
		c.Phase = PhaseAvailable
	}
	if c.Type == "" {
		c.Type = "VirtualMachine"
	}
	if c.Flavor == "" {
		c.Flavor = "cce.s2.small"
	}
	if c.PortID == "" {
		c.PortID = uuidID("port", c.ID)
	}
	if c.GitVersion == "" {
		c.GitVersion = c.Version + ".1-r0"
		if strings.Count(c.Version, ".") >= 2 {
			c.GitVersion = c.Version
		}
	}
	if c.LegacyCertDays == 0 {
		c.LegacyCertDays = 365
	}
	if c.ExternalType == "" {
		c.ExternalType = "External"
	}
}

// hexID is a stable 32-hex-digit ID, the shape of IAM domain, user and
// project IDs.
func hexID(parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:16])
}

// uuidID is a stable UUID-shaped ID, the shape of cluster, fleet and VPC IDs.
func uuidID(parts ...string) string {
	h := hexID(parts...)
	return fmt.Sprintf("%s-%s-%s-%s-%s", h[0:8], h[8:12], h[12:16], h[16:20], h[20:32])
}
