package fetch

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"ccecert/api"
)

func fleetTarget() api.Target {
	return api.Target{Kind: api.KindFleet, ID: "f1", Name: "f", Federation: true, Members: []string{"a"}}
}

// openFleet opens a fleet dialog; hasConn is Options.HasConnection.
func openFleet(hasConn bool) Model {
	return New(fleetTarget(), Options{Now: now, Kubeconfig: "/tmp/kc", HasConnection: hasConn})
}

var twoVPCs = []api.VPC{
	{ID: "a", Name: "vpc-a", Subnets: []api.Subnet{{ID: "a1", Name: "sub-a1"}}},
	{ID: "b", Name: "vpc-b", Subnets: []api.Subnet{{ID: "b1", Name: "sub-b1"}, {ID: "b2", Name: "sub-b2"}}},
}

func fleetWithVPCs(hasConn bool) Model {
	m := openFleet(hasConn)
	m.SetVPCs(inProject(twoVPCs...), nil)
	return m
}

const warning = "⚠ Fetching creates a federation connection"

func TestConnectionDefaultFollowsHasConnection(t *testing.T) {
	existing := openFleet(true)
	v := ansi.Strip(existing.View())
	if !strings.Contains(v, "[existing] new") || strings.Contains(v, "⚠") || !strings.Contains(v, "uses the fleet's existing federation connection") {
		t.Fatalf("HasConnection: not the existing connection, or the warning shown:\n%s", v)
	}
	fresh := openFleet(false)
	v = ansi.Strip(fresh.View())
	if !strings.Contains(v, " existing [new]") || !strings.Contains(v, warning) || strings.Contains(v, "uses the fleet's existing") {
		t.Fatalf("no connection yet: not a new one, or no warning:\n%s", v)
	}
	if _, err := fresh.Result(); err == nil || !strings.Contains(err.Error(), "loading") {
		t.Fatalf("a new connection fetched while VPCs load: %v", err)
	}
}

// TestExistingConnectionNeedsNoNetwork: with the existing connection the
// result has no VPC or subnet, whatever the VPC listing is doing.
func TestExistingConnectionNeedsNoNetwork(t *testing.T) {
	loading := openFleet(true)
	failed := openFleet(true)
	failed.SetVPCs(nil, errors.New("HTTP 403 VPC.0001 forbidden"))
	none := openFleet(true)
	none.SetVPCs(nil, nil)
	for name, m := range map[string]Model{"loading": loading, "failed": failed, "no VPC": none, "listed": fleetWithVPCs(true)} {
		r, err := m.Result()
		if err != nil || r.VPCID != "" || r.SubnetID != "" || r.Validity != api.Days(30) {
			t.Errorf("%s: %+v %v", name, r, err)
		}
		if _, act := keys(m, "enter"); act != ActionSubmit {
			t.Errorf("%s: enter gave %v", name, act)
		}
		if v := ansi.Strip(m.View()); strings.Contains(v, "loading VPCs") || strings.Contains(v, "✗") || !strings.Contains(v, "— only for a new connection") {
			t.Errorf("%s: the unused VPC row is not shown disabled:\n%s", name, v)
		}
	}
}

func TestSwitchingToNewBringsBackTheNetwork(t *testing.T) {
	m := openFleet(true)
	m, _ = keys(m, "tab")
	if m.focus != fieldConnection || !strings.Contains(ansi.Strip(m.View()), "▸ Connection") {
		t.Fatalf("tab from Validity focused %v, want Connection", m.focus)
	}
	m, _ = keys(m, "right") // new
	v := ansi.Strip(m.View())
	if !m.newConn || !strings.Contains(v, warning) || !strings.Contains(v, "loading VPCs") || strings.Contains(v, "uses the fleet's existing") {
		t.Fatalf("new connection: no warning or VPC row:\n%s", v)
	}
	if _, act := keys(m, "enter"); act == ActionSubmit {
		t.Fatal("a new connection submitted while VPCs load")
	}
	m.SetVPCs(inProject(api.VPC{ID: "e", Name: "empty"}), nil)
	if _, err := m.Result(); err == nil || !strings.Contains(err.Error(), "no subnet") {
		t.Fatalf("a VPC without a subnet accepted: %v", err)
	}
	m.SetVPCs(inProject(twoVPCs...), nil)
	m, _ = keys(m, "tab", "right", "tab", "right") // VPC b, subnet b2
	if m.focus != fieldSubnet {
		t.Fatalf("focus %v, want Subnet", m.focus)
	}
	if r, err := m.Result(); err != nil || r.VPCID != "b" || r.SubnetID != "b2" {
		t.Fatalf("new connection: %+v %v", r, err)
	}
	m, _ = keys(m, "shift+tab", "shift+tab", "h") // back to Connection: existing again
	if r, err := m.Result(); err != nil || m.newConn || r.VPCID != "" || r.SubnetID != "" {
		t.Fatalf("back to existing: %+v %v (new %v)", r, err, m.newConn)
	}
	m, _ = keys(m, " ", "l") // space and l step forward too
	if m.newConn {
		t.Fatal("space then l did not come back to existing")
	}
}

func TestConnectionFocusOrder(t *testing.T) {
	existing := []field{fieldValidity, fieldConnection, fieldMode, fieldKubeconfig, fieldUse, fieldSubmit}
	fresh := []field{fieldValidity, fieldConnection, fieldVPC, fieldSubnet, fieldMode, fieldKubeconfig, fieldUse, fieldSubmit}
	for _, tc := range []struct {
		name string
		m    Model
		want []field
	}{
		{"existing", fleetWithVPCs(true), existing},
		{"new", fleetWithVPCs(false), fresh},
	} {
		if got := tc.m.focusable(); !slices.Equal(got, tc.want) {
			t.Errorf("%s: focusable %v, want %v", tc.name, got, tc.want)
		}
		var visited []field
		m := tc.m
		for range tc.want {
			visited = append(visited, m.focus)
			m, _ = keys(m, "tab")
		}
		if !slices.Equal(visited, tc.want) || m.focus != fieldValidity {
			t.Errorf("%s: tab visits %v then %v, want %v then wrap", tc.name, visited, m.focus, tc.want)
		}
		m, _ = keys(m, "shift+tab")
		if m.focus != fieldSubmit {
			t.Errorf("%s: shift+tab from Validity went to %v", tc.name, m.focus)
		}
	}
	custom := fleetWithVPCs(true)
	custom, _ = keys(custom, "right", "right", "right", "right") // 90d, 1y, 5y, custom
	want := []field{fieldValidity, fieldCustom, fieldConnection, fieldMode, fieldKubeconfig, fieldUse, fieldSubmit}
	if got := custom.focusable(); !slices.Equal(got, want) {
		t.Errorf("custom days: focusable %v, want %v", got, want)
	}
	if got := openFleet(true); !strings.Contains(ansi.Strip(got.View()), "▸ Validity") {
		t.Error("the dialog does not open on Validity")
	}
}

// TestConnectionKeepsTheDialogHeight: switching between the existing and a
// new connection does not make the dialog jump at 80 columns.
func TestConnectionKeepsTheDialogHeight(t *testing.T) {
	for _, w := range []int{76, 80} {
		a, b := fleetWithVPCs(true), fleetWithVPCs(false)
		a.SetWidth(w)
		b.SetWidth(w)
		ha, hb := strings.Count(a.View(), "\n"), strings.Count(b.View(), "\n")
		if ha != hb {
			t.Errorf("width %d: %d lines with the existing connection, %d with a new one", w, ha+1, hb+1)
		}
	}
}

// TestFleetWithoutFederationIgnoresConnection: federation off stays
// disabled whatever HasConnection says.
func TestFleetWithoutFederationIgnoresConnection(t *testing.T) {
	off := fleetTarget()
	off.Federation = false
	m := New(off, Options{Now: now, Kubeconfig: "/tmp/kc", HasConnection: true})
	if _, err := m.Result(); err == nil || !strings.Contains(err.Error(), "federation is off") {
		t.Fatalf("federation off: %v", err)
	}
	if v := ansi.Strip(m.View()); strings.Contains(v, "Connection") || strings.Contains(v, "uses the fleet's existing") {
		t.Fatalf("federation off shows a connection choice:\n%s", v)
	}
}
