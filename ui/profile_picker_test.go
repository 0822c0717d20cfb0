package ui

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"ccecert/api"
	"ccecert/store"
)

// profileFake is a Backend with two profiles, each its own fakeBackend;
// a switch points the inventory and credential calls at the other one.
type profileFake struct {
	*fakeBackend // cn's: the other calls
	mu           sync.Mutex
	by           map[string]*fakeBackend
	cur          string
	switches     []string
}

func newProfileFake() *profileFake {
	eu := &fakeBackend{
		inv: Inventory{Targets: []api.Target{{Kind: api.KindCCE, ID: "c-eu", Name: "prod-eu", Region: "eu-west-101", Phase: api.PhaseAvailable,
			Endpoints: api.Endpoints{Internal: "https://10.30.0.5:5443"}}}, FetchedAt: testNow.Add(-time.Minute)},
	}
	eu.refreshInv = eu.inv
	eu.creds = []store.Credential{newCred("e0e0e0e0", eu.inv.Targets[0], testNow.Add(-day), testNow.Add(29*day))}
	cn := newFake()
	return &profileFake{fakeBackend: cn, by: map[string]*fakeBackend{"cn": cn, "eu": eu}, cur: "cn"}
}

func (p *profileFake) current() *fakeBackend {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.by[p.cur]
}

func (p *profileFake) CachedTargets(ctx context.Context) (Inventory, error) {
	return p.current().CachedTargets(ctx)
}

func (p *profileFake) Refresh(ctx context.Context, progress func(done, total int)) (Inventory, error) {
	return p.current().Refresh(ctx, progress)
}

func (p *profileFake) Credentials(ctx context.Context) ([]store.Credential, error) {
	return p.current().Credentials(ctx)
}

func (p *profileFake) Profiles() []ProfileInfo {
	p.mu.Lock()
	defer p.mu.Unlock()
	return []ProfileInfo{
		{Name: "cn", Site: "huaweicloud", Source: "env", Current: p.cur == "cn", Account: "acme-ops"},
		{Name: "eu", Site: "huaweicloud-eu", Source: "sdk-file ~/.huaweicloud/credentials", Current: p.cur == "eu", Account: "acme-eu",
			Regions: "eu-west-101", Kubeconfig: "/home/op/.kube/eu"},
	}
}

func (p *profileFake) SwitchProfile(_ context.Context, name string) (ProfileInfo, error) {
	p.mu.Lock()
	if p.by[name] == nil {
		p.mu.Unlock()
		return ProfileInfo{}, fmt.Errorf("no profile %q", name)
	}
	p.cur = name
	p.switches = append(p.switches, name)
	p.mu.Unlock()
	for _, it := range p.Profiles() {
		if it.Name == name {
			return it, nil
		}
	}
	return ProfileInfo{}, nil
}

// TestProfilePickerSwitchesWithoutRestart: the header names the profile;
// P lists the profiles; enter switches, and the screen shows the new
// profile's inventory and credentials only, never the old one's, even
// when an answer to a request made before the switch arrives late.
func TestProfilePickerSwitchesWithoutRestart(t *testing.T) {
	clock := testNow
	f := newProfileFake()
	opts := testOptions(&clock)
	opts.Profile = "cn"
	m := New(f, opts)
	m.ticker = noTick
	m, _ = update(m, tea.WindowSizeMsg{Width: 120, Height: 30})
	m = drive(t, m, m.Init())
	if s := screen(m); !strings.Contains(s, "profile cn") || !strings.Contains(s, "prod-web") {
		t.Fatalf("before the switch:\n%s", s)
	}
	staleID := m.begin("a cn listing still running")

	m = press(t, m, "P")
	s := screen(m)
	if !strings.Contains(s, "Switch profile") || !strings.Contains(s, "huaweicloud-eu") || !strings.Contains(s, "(current)") {
		t.Fatalf("picker:\n%s", s)
	}
	m = press(t, m, "down", "enter")
	if len(f.switches) != 1 || f.switches[0] != "eu" {
		t.Fatalf("switches %v", f.switches)
	}
	s = screen(m)
	body := s[strings.Index(s, "\n")+1:] // the header names the kubeconfig's current context, any profile's
	if !strings.Contains(s, "profile eu") || !strings.Contains(s, "acme-eu") || !strings.Contains(s, "prod-eu") || strings.Contains(body, "prod-web") {
		t.Fatalf("after the switch:\n%s", s)
	}
	// The old profile's late answer is dropped.
	m, _ = update(m, inventoryMsg{id: staleID, inv: f.by["cn"].inv})
	m = press(t, m, "3")
	if s := screen(m); strings.Contains(s[strings.Index(s, "\n")+1:], "prod-web") || !strings.Contains(s, "e0e0e0e0") {
		t.Fatalf("a late cn answer reached the eu screen:\n%s", s)
	}
	if got := m.kubeconfigPath(); got != "/home/op/.kube/eu" {
		t.Errorf("fetch dialog's kubeconfig %q, want the eu profile's", got)
	}
	// esc closes the picker without a switch.
	m = press(t, m, "P", "esc")
	if len(f.switches) != 1 || m.dialog != dialogNone {
		t.Fatalf("esc switched or left the picker open: %v", f.switches)
	}
}

// TestProfileKeyNeedsProfiles: a backend with one profile has no picker,
// and its header names none.
func TestProfileKeyNeedsProfiles(t *testing.T) {
	clock := testNow
	m := loaded(t, newFake(), &clock, 120, 30)
	m = press(t, m, "P")
	if m.dialog != dialogNone || strings.Contains(screen(m), "profile") || m.widgets.keys.Profile.Enabled() {
		t.Fatalf("picker without profiles:\n%s", screen(m))
	}
}
