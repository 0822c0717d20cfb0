package api

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"ccecert/api/emulator"
)

// fleetVPC picks the first VPC and subnet of a region project.
func fleetVPC(t *testing.T, e *testEnv, region string) (Project, VPC) {
	t.Helper()
	ps, err := e.client.Projects(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Name == region {
			vpcs, err := e.client.VPCs(context.Background(), p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(vpcs) == 0 || len(vpcs[0].Subnets) == 0 {
				t.Fatalf("no VPC with a subnet in %s", region)
			}
			return p, vpcs[0]
		}
	}
	t.Fatalf("no project %s", region)
	return Project{}, VPC{}
}

func TestVPCs(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	inv := e.srv.Inventory()
	for _, ep := range inv.Projects {
		if _, ok := ProjectRegion(ep.Name); !ok {
			continue
		}
		got, err := e.client.VPCs(context.Background(), ep.ID)
		if err != nil {
			t.Fatalf("%s: %v", ep.Name, err)
		}
		if len(got) != len(ep.VPCs) {
			t.Fatalf("%s: %d VPCs, want %d", ep.Name, len(got), len(ep.VPCs))
		}
		for _, want := range ep.VPCs {
			i := slices.IndexFunc(got, func(v VPC) bool { return v.ID == want.ID })
			if i < 0 || got[i].Name != want.Name || got[i].CIDR != want.CIDR || len(got[i].Subnets) != len(want.Subnets) {
				t.Fatalf("%s: VPC %s: got %+v", ep.Name, want.Name, got)
			}
			for _, ws := range want.Subnets {
				if !slices.ContainsFunc(got[i].Subnets, func(s Subnet) bool { return s.ID == ws.ID && s.CIDR == ws.CIDR && s.Name == ws.Name }) {
					t.Fatalf("%s: subnet %s missing from %+v", ep.Name, ws.Name, got[i].Subnets)
				}
			}
		}
	}
	if _, err := e.client.VPCs(context.Background(), "no-such-project"); err == nil || !strings.Contains(err.Error(), "refresh") {
		t.Fatalf("unknown project: %v", err)
	}
}

func TestIssueFleet(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	ctx := context.Background()
	fleet := e.target(t, "global-prod")
	if !fleet.Federation || fleet.Region != "global" {
		t.Fatalf("fleet %+v", fleet)
	}

	// No connection yet: the download fails with the cloud's reason and our hint.
	_, err := e.client.Issue(ctx, fleet, CertRequest{Validity: Days(30)})
	if ae, ok := asError(err); !ok || ae.Status != 400 || !strings.Contains(err.Error(), "pick a VPC and subnet") {
		t.Fatalf("download without connection: %v", err)
	}

	p, vpc := fleetVPC(t, e, "cn-north-4")
	req := CertRequest{Validity: Days(30), ProjectID: p.ID, VPCID: vpc.ID, SubnetID: vpc.Subnets[0].ID}
	is, err := e.client.Issue(ctx, fleet, req)
	if err != nil {
		t.Fatal(err)
	}
	if c := leaf(t, is); !within(c.NotAfter, time.Now().Add(30*24*time.Hour), time.Minute) {
		t.Fatalf("NotAfter %v", c.NotAfter)
	}
	fc, ok := is.Context(RoleFederation)
	if !ok || len(is.Contexts) != 1 || !strings.HasPrefix(fc.Server, "https://127.0.0.1:") {
		t.Fatalf("fleet contexts %+v", is.Contexts)
	}

	// Now the connection exists: download works, max = 1825 days.
	is, err = e.client.Issue(ctx, fleet, CertRequest{Validity: Days(MaxDuration)})
	if err != nil {
		t.Fatal(err)
	}
	if c := leaf(t, is); !within(c.NotAfter, time.Now().Add(FleetMaxDays*24*time.Hour), time.Minute) {
		t.Fatalf("max fleet NotAfter %v", c.NotAfter)
	}

	// A subnet from another VPC is the cloud's 400.
	bad := req
	bad.SubnetID = "00000000-0000-0000-0000-000000000000"
	if _, err := e.client.Issue(ctx, fleet, bad); err == nil {
		t.Fatal("foreign subnet accepted")
	}
}

func TestIssueFleetTokenOnly(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	fleet := e.target(t, "platform-shared")
	p, vpc := fleetVPC(t, e, "cn-east-3")
	is, err := e.client.Issue(context.Background(), fleet, CertRequest{Validity: Days(7), ProjectID: p.ID, VPCID: vpc.ID, SubnetID: vpc.Subnets[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	if is.Token.Empty() || len(is.CertPEM) != 0 || !is.Key.Empty() {
		t.Fatalf("token-only fleet: token empty=%v cert=%d", is.Token.Empty(), len(is.CertPEM))
	}
	if strings.Contains(sprintf("%+v", *is), string(is.Token.Reveal())) {
		t.Fatal("formatting Issued prints the token")
	}
}

func TestIssueFleetRefusedBeforeAnyRequest(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	off := e.target(t, "asia-batch")
	on := e.target(t, "global-prod")
	before := e.srv.Requests()
	if _, err := e.client.Issue(context.Background(), off, CertRequest{Validity: Days(1)}); err == nil ||
		!strings.Contains(err.Error(), "federation is not enabled") {
		t.Fatalf("federation off: %v", err)
	}
	if _, err := e.client.Issue(context.Background(), on, CertRequest{Validity: Days(1), VPCID: "v"}); err == nil ||
		!strings.Contains(err.Error(), "both a VPC and a subnet") {
		t.Fatalf("VPC without subnet: %v", err)
	}
	if _, err := e.client.Revoke(context.Background(), on, e.srv.UserID); err == nil || !strings.Contains(err.Error(), "no API to revoke") {
		t.Fatalf("fleet revoke: %v", err)
	}
	if n := e.srv.Requests() - before; n != 0 {
		t.Fatalf("%d requests reached the emulator", n)
	}
}
