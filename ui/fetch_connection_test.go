package ui

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"ccecert/api"
	"ccecert/store"
)

// withoutFleetCreds drops every credential of fleet-main from the fake.
func withoutFleetCreds(f *fakeBackend) {
	f.creds = slices.DeleteFunc(f.creds, func(c store.Credential) bool { return c.Target.ID == "f-main" })
}

// openFleetFetch opens the fetch dialog of fleet-main from the Fleets page.
func openFleetFetch(t *testing.T, m Model) Model {
	t.Helper()
	m = press(t, m, "2")
	if m.page().filter != "" {
		m = press(t, m, "esc")
	}
	m = press(t, m, "/")
	m = typeText(t, m, "fleet-main")
	m = press(t, m, "enter", "f")
	if m.dialog != dialogFetch || m.widgets.fetch.Target().ID != "f-main" {
		t.Fatalf("no fetch dialog for fleet-main:\n%s", screen(m))
	}
	return m
}

// TestSecondFleetFetchReusesTheConnection: the first fetch of a fleet
// creates its federation connection in the VPC and subnet picked; the next
// one, the fleet now having a credential, reuses it and sends no VPC.
func TestSecondFleetFetchReusesTheConnection(t *testing.T) {
	clock := testNow
	f := newFake()
	withoutFleetCreds(f)
	m := loaded(t, f, &clock, 120, 40)

	m = openFleetFetch(t, m)
	if v := screen(m); !strings.Contains(v, " existing [new]") || !strings.Contains(v, "⚠ Fetching creates a federation connection") || !strings.Contains(v, "vpc-main") {
		t.Fatalf("first fetch: not a new connection in a VPC:\n%s", v)
	}
	m = press(t, m, "enter")
	if len(f.fetches) != 1 || f.fetches[0].VPCID != "vpc-1" || f.fetches[0].SubnetID != "sub-1" {
		t.Fatalf("first fetch request: %+v", f.fetches)
	}

	m = openFleetFetch(t, m)
	v := screen(m)
	if !strings.Contains(v, "[existing] new") || strings.Contains(v, "⚠") || !strings.Contains(v, "uses the fleet's existing federation connection") {
		t.Fatalf("second fetch: not the existing connection:\n%s", v)
	}
	m = press(t, m, "enter")
	if len(f.fetches) != 2 || f.fetches[1].Target.ID != "f-main" || f.fetches[1].VPCID != "" || f.fetches[1].SubnetID != "" {
		t.Fatalf("second fetch request: %+v", f.fetches)
	}
	if m.dialog != dialogNone {
		t.Fatal("the dialog stayed open after the second fetch")
	}
}

// TestExistingConnectionFetchesWhileVPCsFail: a failed VPC listing does not
// block the existing connection.
func TestExistingConnectionFetchesWhileVPCsFail(t *testing.T) {
	clock := testNow
	f := newFake()
	f.vpcErr = errors.New("HTTP 403 VPC.0001 forbidden")
	m := loaded(t, f, &clock, 120, 40)
	m = openFleetFetch(t, m) // fleet-main has a (token) credential
	m = press(t, m, "enter")
	if len(f.fetches) != 1 || f.fetches[0].VPCID != "" || f.fetches[0].SubnetID != "" {
		t.Fatalf("fetch over the existing connection: %+v\n%s", f.fetches, screen(m))
	}
}

// TestHasCredentialCountsEveryState: replaced, revoked and expired
// credentials show the fleet's connection was made; another kind with the
// same id does not.
func TestHasCredentialCountsEveryState(t *testing.T) {
	fleet := testTargets()[6]
	same := fleet
	same.Region = "elsewhere" // matched by kind and id
	replaced := newCred("r1", same, testNow.Add(-40*day), testNow.Add(-10*day))
	replaced.ReplacedBy = "gone"
	revoked := newCred("r2", fleet, testNow.Add(-4*day), testNow.Add(20*day))
	revoked.RevokedAt = testNow.Add(-day)
	expired := newCred("r3", fleet, testNow.Add(-40*day), testNow.Add(-day))
	cluster := newCred("r4", api.Target{Kind: api.KindCCE, ID: fleet.ID, Name: "namesake", Region: "cn-north-4"}, testNow, testNow.Add(30*day))
	for _, tc := range []struct {
		name  string
		creds []store.Credential
		want  bool
	}{
		{"none", nil, false},
		{"replaced", []store.Credential{replaced}, true},
		{"revoked", []store.Credential{revoked}, true},
		{"expired", []store.Credential{expired}, true},
		{"a cluster with the same id", []store.Credential{cluster}, false},
	} {
		clock := testNow
		f := newFake()
		f.creds = tc.creds
		m := loaded(t, f, &clock, 120, 40)
		if got := m.hasCredential(fleet); got != tc.want {
			t.Errorf("%s: hasCredential = %v, want %v", tc.name, got, tc.want)
		}
		m = openFleetFetch(t, m)
		if got := strings.Contains(screen(m), "[existing] new"); got != tc.want {
			t.Errorf("%s: dialog defaults to existing = %v, want %v", tc.name, got, tc.want)
		}
	}
}
