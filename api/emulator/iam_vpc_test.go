package emulator

import (
	"net/http"
	"testing"

	iammodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3/model"
	vpcmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/vpc/v2/model"
)

func TestKeystoneListAuthProjects(t *testing.T) {
	srv := start(t, Options{})
	resp, err := iamClient(t, srv, mainKey(srv)).KeystoneListAuthProjects(&iammodel.KeystoneListAuthProjectsRequest{})
	if err != nil {
		t.Fatalf("KeystoneListAuthProjects: %v", err)
	}
	names := map[string]string{}
	for _, p := range *resp.Projects {
		names[p.Name] = p.Id
		if p.DomainId != srv.DomainID || !p.Enabled {
			t.Errorf("project %s: domain %s enabled %v", p.Name, p.DomainId, p.Enabled)
		}
	}
	for _, want := range []string{"cn-north-4", "cn-north-4_ops", "cn-east-3", "ap-southeast-1", "cn-south-1", "MOS"} {
		if names[want] == "" {
			t.Errorf("projects lack %s: %v", want, names)
		}
	}

	limited := keyPair{"LIMITEDKEY0000000002", "limited-secret-key-000000000000000000002"}
	srv.AddKey(limited.ak, limited.sk, "u2", names["cn-south-1"])
	resp, err = iamClient(t, srv, limited).KeystoneListAuthProjects(&iammodel.KeystoneListAuthProjectsRequest{})
	if err != nil {
		t.Fatalf("limited key: %v", err)
	}
	var seen []string
	for _, p := range *resp.Projects {
		seen = append(seen, p.Name)
	}
	if len(seen) != 1 || seen[0] != "cn-south-1" {
		t.Errorf("limited key sees %v, want only cn-south-1", seen)
	}
}

func TestKeystoneListAuthDomains(t *testing.T) {
	srv := start(t, Options{})
	resp, err := iamClient(t, srv, mainKey(srv)).KeystoneListAuthDomains(&iammodel.KeystoneListAuthDomainsRequest{})
	if err != nil {
		t.Fatalf("KeystoneListAuthDomains: %v", err)
	}
	if d := *resp.Domains; len(d) != 1 || d[0].Id != srv.DomainID || d[0].Name != srv.DomainName || d[0].Name != "acme-cloud" {
		t.Errorf("domains = %+v", d)
	}
}

func TestListVPCsAndSubnets(t *testing.T) {
	srv := start(t, Options{})
	inv := srv.Inventory()
	p, _ := inv.Project("cn-north-4")
	client := vpcClient(t, srv, p.Region(), p.ID)
	vpcs, err := client.ListVpcs(&vpcmodel.ListVpcsRequest{})
	if err != nil {
		t.Fatalf("ListVpcs: %v", err)
	}
	if len(*vpcs.Vpcs) != 2 || (*vpcs.Vpcs)[0].Id != p.VPCs[0].ID || (*vpcs.Vpcs)[0].Cidr != "192.168.0.0/16" {
		t.Fatalf("ListVpcs = %d vpcs", len(*vpcs.Vpcs))
	}
	page, err := client.ListVpcs(&vpcmodel.ListVpcsRequest{Limit: ptr(int32(1)), Marker: &p.VPCs[0].ID})
	if err != nil || len(*page.Vpcs) != 1 || (*page.Vpcs)[0].Id != p.VPCs[1].ID {
		t.Errorf("ListVpcs after marker: %v", err)
	}
	subnets, err := client.ListSubnets(&vpcmodel.ListSubnetsRequest{VpcId: &p.VPCs[0].ID})
	if err != nil {
		t.Fatalf("ListSubnets: %v", err)
	}
	if len(*subnets.Subnets) != 2 || (*subnets.Subnets)[0].VpcId != p.VPCs[0].ID || (*subnets.Subnets)[0].GatewayIp != "192.168.0.1" {
		t.Errorf("ListSubnets = %+v", len(*subnets.Subnets))
	}
	all, err := client.ListSubnets(&vpcmodel.ListSubnetsRequest{})
	if err != nil || len(*all.Subnets) != 3 {
		t.Errorf("ListSubnets without vpc_id: %v", err)
	}
	_, err = client.ListSubnets(&vpcmodel.ListSubnetsRequest{VpcId: ptr("no-such-vpc")})
	assertServiceError(t, err, http.StatusNotFound, codeVPCNotFound)
}
