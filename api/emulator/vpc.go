package emulator

import (
	"net"
	"net/http"
)

const vpcCreated = "2024-03-01T08:00:00Z"

// listVPCs is VPC v2's ListVpcs: GET /v1/{project_id}/vpcs[?id=&limit=&marker=].
func (s *Server) listVPCs(w http.ResponseWriter, c *call) {
	q := c.r.URL.Query()
	p := s.idx.projects[c.projectID]
	var out []map[string]any
	for _, v := range p.VPCs {
		if id := q.Get("id"); id != "" && id != v.ID {
			continue
		}
		out = append(out, map[string]any{
			"id": v.ID, "name": v.Name, "cidr": v.CIDR, "description": "", "routes": []any{},
			"status": "OK", "enterprise_project_id": "0", "tenant_id": c.projectID,
			"created_at": vpcCreated, "updated_at": vpcCreated,
		})
	}
	page, ok := pageByMarker(out, q.Get("marker"), q.Get("limit"))
	if !ok {
		writeGatewayError(w, http.StatusBadRequest, "VPC.0101", "limit must be a positive integer and marker an id of this list")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"vpcs": page})
}

// listSubnets is VPC v2's ListSubnets: GET /v1/{project_id}/subnets[?vpc_id=&limit=&marker=].
func (s *Server) listSubnets(w http.ResponseWriter, c *call) {
	q := c.r.URL.Query()
	vpcFilter := q.Get("vpc_id")
	if vpcFilter != "" {
		if _, ok := s.idx.vpc(c.projectID, vpcFilter); !ok {
			writeGatewayError(w, http.StatusNotFound, codeVPCNotFound, "VPC "+vpcFilter+" does not exist in project "+c.projectID)
			return
		}
	}
	var out []map[string]any
	for _, v := range s.idx.projects[c.projectID].VPCs {
		if vpcFilter != "" && v.ID != vpcFilter {
			continue
		}
		for _, sn := range v.Subnets {
			out = append(out, renderSubnet(c.projectID, v.ID, sn))
		}
	}
	page, ok := pageByMarker(out, q.Get("marker"), q.Get("limit"))
	if !ok {
		writeGatewayError(w, http.StatusBadRequest, "VPC.0101", "limit must be a positive integer and marker an id of this list")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"subnets": page})
}

func renderSubnet(projectID, vpcID string, sn Subnet) map[string]any {
	gateway := ""
	if ip, _, err := net.ParseCIDR(sn.CIDR); err == nil {
		if v4 := ip.To4(); v4 != nil {
			gw := append(net.IP(nil), v4...)
			gw[3]++
			gateway = gw.String()
		}
	}
	return map[string]any{
		"id": sn.ID, "name": sn.Name, "description": "", "cidr": sn.CIDR, "gateway_ip": gateway,
		"ipv6_enable": false, "dhcp_enable": true, "primary_dns": "100.125.1.250",
		"secondary_dns": "100.125.21.250", "dnsList": []string{"100.125.1.250", "100.125.21.250"},
		"availability_zone": "", "vpc_id": vpcID, "status": "ACTIVE",
		"neutron_network_id": uuidID("network", sn.ID), "neutron_subnet_id": uuidID("neutron-subnet", sn.ID),
		"extra_dhcp_opts": []any{}, "tenant_id": projectID,
		"created_at": vpcCreated, "updated_at": vpcCreated, "available_ip_address_count": 250,
	}
}

// pageByMarker returns the items after the one whose id is marker, at most
// limit of them (all when limit is empty).
func pageByMarker(items []map[string]any, marker, limit string) ([]map[string]any, bool) {
	if items == nil {
		items = []map[string]any{}
	}
	if marker != "" {
		i := 0
		for i < len(items) && items[i]["id"] != marker {
			i++
		}
		if i == len(items) {
			return nil, false
		}
		items = items[i+1:]
	}
	n, err := queryInt(limit, len(items))
	if err != nil || n < 1 && limit != "" {
		return nil, false
	}
	return items[:min(n, len(items))], true
}
