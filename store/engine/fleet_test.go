package engine

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"ccecert/api"
	"ccecert/api/emulator"
	"ccecert/store"
)

// demoVPC is a VPC and subnet of the demo inventory, by project name.
type demoVPC struct{ projectID, vpcID, subnetID string }

func vpcOf(t *testing.T, e *engineEnv, project string) demoVPC {
	t.Helper()
	p, ok := e.srv.Inventory().Project(project)
	if !ok || len(p.VPCs) == 0 || len(p.VPCs[0].Subnets) == 0 {
		t.Fatalf("demo project %s has no VPC with a subnet", project)
	}
	return demoVPC{projectID: p.ID, vpcID: p.VPCs[0].ID, subnetID: p.VPCs[0].Subnets[0].ID}
}

// lastIssuePath is the path of the emulator's last federation request.
func lastIssuePath(e *engineEnv) string {
	log := e.srv.Log()
	for i := len(log) - 1; i >= 0; i-- {
		if strings.HasPrefix(log[i].Path, "/v1/clustergroups/") && log[i].Method == "POST" {
			return log[i].Path
		}
	}
	return ""
}

func TestFetchFleetCreatesThenReusesTheConnection(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	fleet := e.target(t, "global-prod")
	if fleet.ProjectID != "" {
		t.Fatalf("fleets are global; got project %q", fleet.ProjectID)
	}
	// prod-gz, a member, is in cn-south-1: the engine finds the VPC there.
	v := vpcOf(t, e, "cn-south-1")
	first := e.fetch(t, FetchRequest{Target: fleet, VPCID: v.vpcID, SubnetID: v.subnetID})
	if p := lastIssuePath(e); !strings.HasSuffix(p, "/cert") {
		t.Fatalf("the first fetch went to %q, want the connection-creating /cert", p)
	}
	if len(first.Contexts) != 1 || first.Contexts[0] != "global-prod-federation" || first.Credential.Roles[0] != api.RoleFederation {
		t.Fatalf("fleet contexts %v roles %v", first.Contexts, first.Credential.Roles)
	}
	second := e.fetch(t, FetchRequest{Target: fleet})
	if p := lastIssuePath(e); !strings.HasSuffix(p, "/kubeconfig") {
		t.Fatalf("the second fetch went to %q, want the existing connection's /kubeconfig", p)
	}
	if second.Credential.ID == first.Credential.ID || second.Contexts[0] != first.Contexts[0] {
		t.Errorf("second fetch: id %s (first %s), contexts %v", second.Credential.ID, first.Credential.ID, second.Contexts)
	}
	if len(readKube(t, e.kube).Contexts) != 1 {
		t.Error("a second fetch for the fleet added a context instead of updating its own")
	}
}

func TestFetchFleetContextWorksWithKubectl(t *testing.T) {
	needKubectl(t)
	e := newEngineEnv(t, envOptions{})
	v := vpcOf(t, e, "cn-north-4")
	res := e.fetch(t, FetchRequest{Target: e.target(t, "global-prod"), VPCID: v.vpcID, SubnetID: v.subnetID})
	mustKubectl(t, e.kube, res.Contexts[0])
}

func TestFetchFleetWithoutConnectionNeedsAVPC(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	_, err := e.eng.Fetch(t.Context(), FetchRequest{Target: e.target(t, "global-prod"), Validity: api.Days(30)})
	var cloudErr *api.Error
	if err == nil || !strings.Contains(err.Error(), "VPC") || hintOf(err) != HintCreateFleetConnection || !errors.As(err, &cloudErr) {
		t.Fatalf("err = %v, want one asking for a VPC and subnet, keeping the cloud's error", err)
	}
	if creds, _ := e.store.Credentials(t.Context(), store.Filter{All: true}); len(creds) != 0 {
		t.Errorf("%d credentials stored", len(creds))
	}
}

func TestFetchFleetFindsTheVPCsProject(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	fleet := e.target(t, "global-prod")
	v := vpcOf(t, e, "cn-east-3") // any project of the key will do
	res := e.fetch(t, FetchRequest{Target: fleet, VPCID: v.vpcID, SubnetID: v.subnetID})
	if !strings.HasSuffix(lastIssuePath(e), "/cert") || res.Credential.ID == "" {
		t.Fatalf("fetch with a VPC of cn-east-3: %+v", res)
	}
	// Naming the project (as the dialog does, from Engine.VPCs) lists nothing.
	reqs := e.srv.Requests()
	e.fetch(t, FetchRequest{Target: fleet, VPCID: v.vpcID, SubnetID: v.subnetID, ProjectID: v.projectID})
	if n := e.srv.Requests() - reqs; n != 1 {
		t.Errorf("a fetch with the VPC's project made %d requests, want 1", n)
	}
}

func TestFetchFleetUnknownVPC(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	_, err := e.eng.Fetch(t.Context(), FetchRequest{Target: e.target(t, "global-prod"), Validity: api.Days(30), VPCID: "no-such-vpc", SubnetID: "s"})
	if err == nil || !strings.Contains(err.Error(), "none of the projects") {
		t.Fatalf("err = %v, want the VPC not found", err)
	}
	if n := e.cloud.issues.Load(); n != 0 {
		t.Fatalf("%d issue calls for an unknown VPC", n)
	}
}

func TestFetchFleetSubnetOutsideTheVPC(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	v, other := vpcOf(t, e, "cn-north-4"), vpcOf(t, e, "cn-south-1")
	_, err := e.eng.Fetch(t.Context(), FetchRequest{Target: e.target(t, "global-prod"), Validity: api.Days(30), VPCID: v.vpcID, SubnetID: other.subnetID})
	if err == nil || !strings.Contains(err.Error(), "not in VPC") || e.cloud.issues.Load() != 0 {
		t.Fatalf("err = %v (issues %d), want the subnet refused before issuing", err, e.cloud.issues.Load())
	}
}

func TestFetchTokenFleet(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	v := vpcOf(t, e, "cn-north-4_ops") // ops-tools, a member, is there
	res := e.fetch(t, FetchRequest{Target: e.target(t, "platform-shared"), VPCID: v.vpcID, SubnetID: v.subnetID})
	c := res.Credential
	if !c.TokenOnly || c.Subject != "" || !c.NotAfter.IsZero() || c.Health(e.clock.Now(), e.eng.Config.Thresholds) != store.HealthUnknown {
		t.Fatalf("token credential %+v", c)
	}
	cfg := readKube(t, e.kube)
	if ai := cfg.AuthInfos[cfg.Contexts[res.Contexts[0]].AuthInfo]; ai.Token == "" || len(ai.ClientCertificateData) != 0 {
		t.Errorf("token user entry %+v", ai)
	}
	if e.eng.NeedsAttention(c, 0) || e.eng.NeedsAttention(c, 10000*store.Day) {
		t.Error("a token-only credential (no expiry info) needs attention")
	}
	if _, err := e.eng.ExecCredential(t.Context(), c.ID); err == nil || !strings.Contains(err.Error(), "ccecert export") {
		t.Errorf("exec credential of a token: %v, want a refusal pointing at export", err)
	}
	if _, err := e.eng.Revoke(t.Context(), c); err == nil || e.cloud.revokes.Load() != 0 {
		t.Errorf("revoking a token credential: %v (%d requests)", err, e.cloud.revokes.Load())
	}
	data, err := e.eng.Export(t.Context(), c, "")
	if err != nil || !strings.Contains(string(data), "token:") {
		t.Errorf("export of a token credential: %v\n%s", err, data)
	}
}

func TestVPCsOfAFleetSpanEveryProject(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	e.refresh(t)
	inv := e.srv.Inventory()
	want := map[string]string{} // vpc id -> project id
	for _, p := range inv.Projects {
		for _, v := range p.VPCs {
			want[v.ID] = p.ID
		}
	}
	got, err := e.eng.VPCs(t.Context(), e.target(t, "global-prod"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d VPCs for a fleet, want every project's %d", len(got), len(want))
	}
	for _, v := range got {
		if want[v.ID] != v.ProjectID || v.Region == "" || len(v.Subnets) == 0 {
			t.Errorf("VPC %s (%s): project %s region %q, want project %s", v.Name, v.ID, v.ProjectID, v.Region, want[v.ID])
		}
	}
	cluster := e.target(t, "staging-web")
	got, err = e.eng.VPCs(t.Context(), cluster)
	if err != nil || len(got) != 1 || got[0].ProjectID != cluster.ProjectID {
		t.Errorf("VPCs of a cluster: %+v, %v; want its project's one VPC", got, err)
	}
}

func TestVPCsSkipAProjectThatDoesNotAnswer(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	fleet := e.target(t, "global-prod")
	e.srv.SetFaults(emulator.Faults{HangRegions: []string{"cn-south-1"}})
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Second)
	defer cancel()
	got, err := e.eng.VPCs(ctx, fleet)
	if err != nil {
		t.Fatalf("one silent region failed the whole listing: %v", err)
	}
	eu := vpcOf(t, e, "cn-south-1")
	if len(got) == 0 || slices.ContainsFunc(got, func(v ProjectVPC) bool { return v.ProjectID == eu.projectID }) {
		t.Errorf("VPCs %d, cn-south-1's included", len(got))
	}
}
