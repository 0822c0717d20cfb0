package emulator

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"

	"sigs.k8s.io/yaml"

	"ccecert/assets"
)

// knownPhase reports whether p is a cluster phase CCE reports.
func knownPhase(p string) bool {
	switch p {
	case "Available", "Unavailable", "Creating", "Deleting", "Upgrading", "Resizing",
		"Hibernating", "Hibernation", "Awaking", "Empty", "Error", "Frozen":
		return true
	}
	return false
}

// LoadInventory parses an inventory in YAML or JSON, fills derived IDs and
// defaults, and validates it. Unknown fields are errors, so typos surface.
func LoadInventory(data []byte) (*Inventory, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, errors.New("inventory is empty: give at least a domain, a user and one project")
	}
	var inv Inventory
	if err := yaml.UnmarshalStrict(data, &inv); err != nil {
		return nil, fmt.Errorf("parse inventory (YAML or JSON): %w", err)
	}
	inv.fillDefaults()
	if err := inv.Validate(); err != nil {
		return nil, err
	}
	return &inv, nil
}

// DemoInventory returns the embedded demo inventory (assets.DemoInventory).
// The embedded file is covered by tests; should it ever fail to load, a
// minimal valid inventory is returned instead of panicking.
func DemoInventory() *Inventory {
	inv, err := LoadInventory(assets.DemoInventory)
	if err != nil {
		return Synthetic(1, 1)
	}
	return inv
}

// Validate reports every problem of an inventory whose defaults are filled.
func (inv *Inventory) Validate() error {
	var errs []error
	add := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("inventory: "+format, args...))
	}
	if inv.Domain.Name == "" {
		add("domain.name is missing")
	}
	if inv.User.Name == "" {
		add("user.name is missing")
	}
	if len(inv.Projects) == 0 {
		add("no projects: add at least one (a region name such as cn-north-4)")
	}
	ids := map[string]string{}
	unique := func(id, what string) {
		if prev, ok := ids[id]; ok {
			add("%s has the same id %q as %s: ids must be unique", what, id, prev)
		}
		ids[id] = what
	}
	projects := inv.validateProjects(add, unique)
	clusters := inv.validateClusters(add, unique, projects)
	inv.validateFleets(add, unique, clusters)
	if err := checkSite(inv.Site); err != nil {
		add("%v", err)
	}
	if inv.International && inv.Site != SiteHuaweiCloud {
		add("international applies to site %s only", SiteHuaweiCloud)
	}
	for i := range inv.Accounts {
		a := &inv.Accounts[i]
		if len(a.Accounts) > 0 {
			add("accounts[%d] (%s): accounts nest one level only", i, a.Domain.Name)
		}
		if err := a.Validate(); err != nil {
			add("accounts[%d] (%s): %v", i, a.Domain.Name, err)
		}
	}
	return errors.Join(errs...)
}

type addFunc func(format string, args ...any)

func (inv *Inventory) validateProjects(add addFunc, unique func(id, what string)) map[string]bool {
	names := map[string]bool{}
	for i, p := range inv.Projects {
		what := fmt.Sprintf("projects[%d] (%s)", i, p.Name)
		switch {
		case p.Name == "":
			add("projects[%d]: name is missing", i)
		case strings.ContainsAny(p.Name, " /\t"):
			add("%s: name must not contain spaces or slashes", what)
		case names[p.Name]:
			add("%s: duplicate project name", what)
		}
		names[p.Name] = true
		unique(p.ID, what)
		for j, v := range p.VPCs {
			vwhat := fmt.Sprintf("%s vpcs[%d] (%s)", what, j, v.Name)
			unique(v.ID, vwhat)
			_, vnet, err := net.ParseCIDR(v.CIDR)
			if v.Name == "" || err != nil {
				add("%s: needs a name and a CIDR such as 192.168.0.0/16", vwhat)
				continue
			}
			for k, s := range v.Subnets {
				swhat := fmt.Sprintf("%s subnets[%d] (%s)", vwhat, k, s.Name)
				unique(s.ID, swhat)
				ip, _, err := net.ParseCIDR(s.CIDR)
				if s.Name == "" || err != nil || !vnet.Contains(ip) {
					add("%s: needs a name and a CIDR inside the VPC's %s", swhat, v.CIDR)
				}
			}
		}
	}
	return names
}

func (inv *Inventory) validateClusters(add addFunc, unique func(id, what string), projects map[string]bool) map[string]bool {
	names := map[string]bool{}
	for i, c := range inv.Clusters {
		what := fmt.Sprintf("clusters[%d] (%s)", i, c.Name)
		if c.Name == "" {
			add("clusters[%d]: name is missing", i)
		} else if names[c.Name] {
			add("%s: duplicate cluster name (fleets refer to clusters by name)", what)
		}
		names[c.Name] = true
		unique(c.ID, what)
		if !projects[c.Project] {
			add("%s: unknown project %q: add it under projects", what, c.Project)
		}
		if c.Kind != KindCCE && c.Kind != KindAutopilot {
			add("%s: kind %q: use cce or autopilot", what, c.Kind)
		}
		if _, _, ok := parseVersion(c.Version); !ok || !strings.HasPrefix(c.Version, "v") {
			add("%s: version %q: use the form v1.31", what, c.Version)
		}
		if !knownPhase(c.Phase) {
			add("%s: phase %q is not a CCE phase (Available, Hibernation, Unavailable, ...)", what, c.Phase)
		}
		if c.Type != "VirtualMachine" && c.Type != "ARM64" {
			add("%s: type %q: use VirtualMachine or ARM64", what, c.Type)
		}
		if c.ExternalType != "External" && c.ExternalType != "External_OTC" {
			add("%s: external_type %q: use External or External_OTC", what, c.ExternalType)
		}
		if c.LegacyCertDays < 1 || c.LegacyCertDays > 3650 {
			add("%s: legacy_cert_days %d: use 1..3650", what, c.LegacyCertDays)
		}
		validateServing(c, what, add)
	}
	return names
}

func (inv *Inventory) validateFleets(add addFunc, unique func(id, what string), clusters map[string]bool) {
	names := map[string]bool{}
	for i, f := range inv.Fleets {
		what := fmt.Sprintf("fleets[%d] (%s)", i, f.Name)
		if f.Name == "" {
			add("fleets[%d]: name is missing", i)
		} else if names[f.Name] {
			add("%s: duplicate fleet name", what)
		}
		names[f.Name] = true
		unique(f.ID, what)
		if f.Auth != FleetAuthCert && f.Auth != FleetAuthToken {
			add("%s: auth %q: use cert or token", what, f.Auth)
		}
		if f.FederationStatus != "" && (!f.Federation || (f.FederationStatus != "Available" && f.FederationStatus != "Unavailable")) {
			add("%s: federation_status %q: use Available or Unavailable, on a fleet with federation", what, f.FederationStatus)
		}
		seen := map[string]bool{}
		for _, m := range f.Members {
			if !clusters[m] {
				add("%s: member %q is not a cluster of this inventory", what, m)
			}
			if seen[m] {
				add("%s: member %q listed twice", what, m)
			}
			seen[m] = true
		}
	}
}

// parseVersion reads "v1.11", "v1.31.1-r0", "1.28" into major and minor.
func parseVersion(v string) (major, minor int, ok bool) {
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return 0, 0, false
	}
	major, err1 := strconv.Atoi(parts[0])
	minorStr := parts[1]
	if i := strings.IndexFunc(minorStr, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		minorStr = minorStr[:i]
	}
	minor, err2 := strconv.Atoi(minorStr)
	return major, minor, err1 == nil && err2 == nil
}
