package fetch

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"ccecert/api"
	"ccecert/store"
	"ccecert/store/engine"
)

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func cce(ext bool) api.Target {
	t := api.Target{Kind: api.KindCCE, ID: "c1", Name: "web", Region: "cn-north-4", Version: "v1.28", Phase: api.PhaseAvailable,
		Endpoints: api.Endpoints{Internal: "https://10.0.0.1:5443"}}
	if ext {
		t.Endpoints.External = "https://100.1.1.1:5443"
	}
	return t
}

func open(t api.Target) Model {
	return New(t, Options{Now: now, Kubeconfig: "/tmp/kc"})
}

func keys(m Model, ks ...string) (Model, Action) {
	var act Action
	for _, k := range ks {
		var msg tea.KeyMsg
		switch k {
		case "tab":
			msg = tea.KeyMsg{Type: tea.KeyTab}
		case "shift+tab":
			msg = tea.KeyMsg{Type: tea.KeyShiftTab}
		case "right":
			msg = tea.KeyMsg{Type: tea.KeyRight}
		case "left":
			msg = tea.KeyMsg{Type: tea.KeyLeft}
		case "enter":
			msg = tea.KeyMsg{Type: tea.KeyEnter}
		case "esc":
			msg = tea.KeyMsg{Type: tea.KeyEsc}
		case "backspace":
			msg = tea.KeyMsg{Type: tea.KeyBackspace}
		default:
			msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
		}
		m, _, act = m.Update(msg)
	}
	return m, act
}

func TestPresetsAndMax(t *testing.T) {
	m := open(cce(true))
	r, err := m.Result()
	if err != nil || r.Validity != api.Days(30) || r.Mode != store.ModeInline || !r.Use || r.Kubeconfig != "/tmp/kc" {
		t.Fatalf("defaults: %+v %v", r, err)
	}
	m, _ = keys(m, "right", "right", "right") // 90d, 1y, 5y
	if r, _ := m.Result(); r.Validity != api.Days(api.MaxDuration) {
		t.Fatalf("5y on a cluster: %+v", r.Validity)
	}
	f := open(api.Target{Kind: api.KindFleet, Name: "f", Federation: true})
	f.SetVPCs(inProject(api.VPC{ID: "v", Subnets: []api.Subnet{{ID: "s"}}}), nil)
	f, _ = keys(f, "right", "right", "right")
	if r, err := f.Result(); err != nil || r.Validity != api.Days(api.FleetMaxDays) || r.VPCID != "v" || r.SubnetID != "s" {
		t.Fatalf("5y on a fleet: %+v %v", r, err)
	}
}

func TestCustomDaysRange(t *testing.T) {
	m := open(cce(true))
	m, _ = keys(m, "right", "right", "right", "right", "tab") // custom, its field
	for _, tc := range []struct {
		in string
		ok bool
	}{{"0", false}, {"1", true}, {"1826", true}, {"1827", false}, {"1828", false}, {"-1", false}, {"x", false}} {
		m.custom.SetValue(tc.in)
		_, err := m.Result()
		if (err == nil) != tc.ok {
			t.Errorf("custom %q: err %v, want ok=%v", tc.in, err, tc.ok)
		}
		if !tc.ok && !strings.Contains(ansi.Strip(m.View()), "✗") {
			t.Errorf("custom %q: no inline refusal", tc.in)
		}
		if _, act := keys(m, "enter"); (act == ActionSubmit) != tc.ok {
			t.Errorf("custom %q: enter gave %v", tc.in, act)
		}
	}
}

func TestUntilDate(t *testing.T) {
	m := open(cce(true))
	m, _ = keys(m, "left", "left", "left", "tab") // 7d, 1d, wraps to "until date"; its field
	m.until.SetValue("2026-03-01")
	if _, err := m.Result(); err == nil {
		t.Fatal("an expiry in the past was accepted")
	}
	m.until.SetValue("2027-01-15")
	r, err := m.Result()
	if err != nil || !r.Validity.ExpireAt.Equal(time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("until 2027-01-15: %+v %v", r.Validity, err)
	}
	f := open(api.Target{Kind: api.KindFleet, Name: "f", Federation: true})
	f, _ = keys(f, "left", "left", "left")
	if f.presets[f.preset].kind == presetUntil {
		t.Fatal("a fleet can choose an expiry date")
	}
}

func TestContextsWithoutEIP(t *testing.T) {
	m := open(cce(false))
	m, _ = keys(m, "tab", "right", "right")
	if m.contexts != ContextsInternal {
		t.Fatalf("external chosen without an EIP: %v", m.contexts)
	}
	m2 := open(cce(true)) // with an EIP, the engine's default is the external context
	if m2.contexts != ContextsExternal || !strings.Contains(ansi.Strip(m2.View()), "checked against the cluster CA") {
		t.Fatal("external not the default with an EIP, or without its TLS note")
	}
}

func TestDisabledTargets(t *testing.T) {
	sleepy := cce(true)
	sleepy.Phase = api.PhaseHibernation
	off := api.Target{Kind: api.KindFleet, Name: "f"}
	for _, tg := range []api.Target{sleepy, off} {
		m := open(tg)
		if m.Disabled() == "" {
			t.Fatalf("%s not disabled", tg.Name)
		}
		if _, act := keys(m, "enter"); act == ActionSubmit {
			t.Fatalf("%s submitted", tg.Name)
		}
		if !strings.Contains(ansi.Strip(m.View()), "Cannot fetch") {
			t.Fatalf("%s: no reason shown", tg.Name)
		}
	}
	legacy := cce(false)
	legacy.Version = "v1.11.3-r0"
	m := open(legacy)
	if r, err := m.Result(); err != nil || !strings.Contains(ansi.Strip(m.View()), "predates v1.13") || r.Validity.Validate(legacy.Kind, now) != nil {
		t.Fatalf("legacy: %+v %v", r, err)
	}
}

func TestFleetNeedsNetwork(t *testing.T) {
	f := open(api.Target{Kind: api.KindFleet, Name: "f", Federation: true})
	if _, err := f.Result(); err == nil || !strings.Contains(err.Error(), "loading") {
		t.Fatalf("fetch allowed while VPCs load: %v", err)
	}
	f.SetVPCs(nil, nil)
	if _, err := f.Result(); err == nil {
		t.Fatal("fetch allowed without a VPC")
	}
	f.SetVPCs(inProject(api.VPC{ID: "a", Subnets: []api.Subnet{{ID: "a1"}}}, api.VPC{ID: "b", Subnets: []api.Subnet{{ID: "b1"}, {ID: "b2"}}}), nil)
	f, _ = keys(f, "tab", "tab", "right", "tab", "right") // past Connection (new); VPC b, subnet b2
	if r, err := f.Result(); err != nil || r.VPCID != "b" || r.SubnetID != "b2" {
		t.Fatalf("network: %+v %v", r, err)
	}
	if !strings.Contains(ansi.Strip(f.View()), "creates a federation connection") {
		t.Fatal("no federation note")
	}
}

// TestNotesWrapAtEightyColumns: at 80 columns the dialog is 76 wide; its
// warnings and reasons wrap inside it instead of being cut off with "…".
func TestNotesWrapAtEightyColumns(t *testing.T) {
	ext := open(cce(true))
	ext, _ = keys(ext, "tab", "right") // contexts: external
	legacy := cce(false)
	legacy.Version = "v1.11.3-r0"
	fleet := open(api.Target{Kind: api.KindFleet, Name: "f", Federation: true})
	fleet.SetVPCs(nil, errors.New("listing VPCs in cn-north-4 failed: HTTP 403 VPC.0001 forbidden — grant vpc:vpcs:list to this user and press f again"))
	for _, tc := range []struct {
		m    Model
		want string
	}{
		{ext, "⚠ external: checked against the cluster CA when fetched; written insecure, and marked, only if it does not verify"},
		{open(legacy), "cluster v1.11.3-r0 predates v1.13: the validity is the cluster's own"},
		{open(api.Target{Kind: api.KindFleet, Name: "f"}), "Cannot fetch: federation is off for this fleet: enable it in the UCS console, then refresh (ctrl+r)"},
		{fleet, "grant vpc:vpcs:list to this user and press f again"},
		{fleetWithVPCs(false), "[new]  a new one in the VPC and subnet below"},
		{fleetWithVPCs(true), "uses the fleet's existing federation connection"},
		{execMode(), "runs `ccecert credential`; the key stays encrypted"},
	} {
		tc.m.SetWidth(76)
		view := ansi.Strip(tc.m.View())
		for _, l := range strings.Split(view, "\n") {
			if w := ansi.StringWidth(l); w > 76 || strings.Contains(l, "…") {
				t.Fatalf("line of width %d (or cut off): %q\n%s", w, l, view)
			}
		}
		if squash(view) == "" || !strings.Contains(squash(view), squash(tc.want)) {
			t.Fatalf("%q is not shown in full:\n%s", tc.want, view)
		}
	}
}

// execMode is a dialog with the exec write mode chosen.
func execMode() Model {
	m, _ := keys(open(cce(true)), "tab", "tab", "right")
	return m
}

// TestDialogSizesToTheTerminal: the dialog takes the room it needs up to
// maxWidth, and wraps within a narrow terminal.
func TestDialogSizesToTheTerminal(t *testing.T) {
	m := execMode()
	for _, w := range []int{196, 116, 76} {
		m.SetWidth(w)
		view := ansi.Strip(m.View())
		if got := ansi.StringWidth(strings.Split(view, "\n")[0]); got != min(w, maxWidth) {
			t.Errorf("width %d: the dialog is %d wide", w, got)
		}
		if strings.Contains(view, "…") || !strings.Contains(squash(view), squash("runs `ccecert credential`; the key stays encrypted")) {
			t.Errorf("width %d: cut:\n%s", w, view)
		}
	}
}

// squash drops the box borders and all spaces, so wrapped text compares
// equal to the sentence.
func squash(s string) string {
	s = strings.NewReplacer("│", "", "╭", "", "╮", "", "╰", "", "╯", "", "─", "").Replace(s)
	return strings.Join(strings.Fields(s), "")
}

// inProject puts VPCs in one project, as the engine lists them.
func inProject(vpcs ...api.VPC) []engine.ProjectVPC {
	out := make([]engine.ProjectVPC, len(vpcs))
	for i, v := range vpcs {
		out[i] = engine.ProjectVPC{VPC: v, ProjectID: "p-" + v.ID, Region: "cn-north-4"}
	}
	return out
}

func TestContextsRoles(t *testing.T) {
	in, ex := api.RoleInternal, api.RoleExternal
	for _, c := range []struct {
		kind api.Kind
		c    Contexts
		want []api.ContextRole
	}{
		{api.KindCCE, ContextsInternal, []api.ContextRole{in}},
		{api.KindAutopilot, ContextsExternal, []api.ContextRole{ex}},
		{api.KindCCE, ContextsBoth, []api.ContextRole{in, ex}},
		{api.KindFleet, ContextsBoth, nil},
	} {
		if got := c.c.Roles(c.kind); !slices.Equal(got, c.want) {
			t.Errorf("%v.Roles(%s) = %v; want %v", c.c, c.kind, got, c.want)
		}
	}
}

// TestFleetRequestCarriesTheVPCsProject: the engine gets the project of the
// VPC picked, so it need not list every project's VPCs again to find it;
// VPCs of several regions are named with their region.
func TestFleetRequestCarriesTheVPCsProject(t *testing.T) {
	f := open(api.Target{Kind: api.KindFleet, Name: "f", Federation: true})
	f.SetVPCs([]engine.ProjectVPC{
		{VPC: api.VPC{ID: "a", Name: "vpc-a", Subnets: []api.Subnet{{ID: "a1"}}}, ProjectID: "p-cn", Region: "cn-north-4"},
		{VPC: api.VPC{ID: "b", Name: "vpc-b", Subnets: []api.Subnet{{ID: "b1"}}}, ProjectID: "p-eu", Region: "eu-west-101"},
	}, nil)
	if !strings.Contains(ansi.Strip(f.View()), "vpc-a (cn-north-4)") {
		t.Errorf("VPCs of two regions not named with their region:\n%s", ansi.Strip(f.View()))
	}
	f, _ = keys(f, "tab", "tab", "right") // past Connection (new); VPC b
	if r, err := f.Result(); err != nil || r.VPCID != "b" || r.SubnetID != "b1" || r.ProjectID != "p-eu" || r.Target.Name != "f" {
		t.Fatalf("request %+v, %v; want VPC b with its project p-eu", r, err)
	}
}

// TestDialogDefaultsAreTheEngines: the dialog starts on the engine's own
// defaults (engine.DefaultRoles, engine.DefaultUse), the same the CLI's
// get uses, so the two front ends cannot disagree.
func TestDialogDefaultsAreTheEngines(t *testing.T) {
	for _, tg := range []api.Target{cce(true), cce(false)} {
		r, err := open(tg).Result()
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(r.Roles, engine.DefaultRoles(tg)) || r.Use != engine.DefaultUse {
			t.Errorf("%s (EIP %v): dialog defaults roles %v use %v; engine's %v, %v", tg.Name, tg.HasEIP(), r.Roles, r.Use, engine.DefaultRoles(tg), engine.DefaultUse)
		}
	}
}
