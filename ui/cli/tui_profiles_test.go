package cli

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"ccecert/api"
	"ccecert/api/keysource"
	"ccecert/store"
	"ccecert/store/engine"
)

// staticKeys is a test credential source: one account's keys.
type staticKeys struct{ ak, sk string }

func (s staticKeys) Describe() string { return "test keys" }
func (s staticKeys) Keys(context.Context) (api.Keys, error) {
	return api.Keys{AK: s.ak, SK: api.Secret(s.sk)}, nil
}

// TestTUIBackendSwitchesProfiles: one TUI backend, two accounts in one
// emulator: a switch makes every call the other profile's (its keys, its
// inventory, its credentials) with no restart, and back.
func TestTUIBackendSwitchesProfiles(t *testing.T) {
	c, eu := newProfilesCLI(t)
	keys := map[string]staticKeys{"default": {c.srv.AK, c.srv.SK}, "eu": {eu.AK, eu.SK}}
	e := env{getenv: c.getenv, now: time.Now, stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, deps: testDeps,
		keys: func(profile string, _ keysource.Spec) (api.KeySource, error) { return keys[profile], nil }}
	ctx := t.Context()
	a, err := openApp(ctx, &globalFlags{quiet: true}, e)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.close)
	b := newTUIBackend(a)
	names := func() []string {
		inv, err := b.Refresh(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, tg := range inv.Targets {
			out = append(out, tg.Name+"@"+tg.Region)
		}
		return out
	}
	if got := strings.Join(names(), ","); got != "prod@cn-north-4,web@cn-north-4" {
		t.Fatalf("default: %s", got)
	}
	ps := b.Profiles()
	if len(ps) != 2 || !ps[0].Current || ps[1].Site != "huaweicloud-eu" {
		t.Fatalf("profiles %+v", ps)
	}
	info, err := b.SwitchProfile(ctx, "eu")
	if err != nil || info.Name != "eu" || !info.Current {
		t.Fatalf("switch: %+v %v", info, err)
	}
	if got := strings.Join(names(), ","); got != "prod@eu-west-101" {
		t.Fatalf("eu: %s", got)
	}
	inv, _ := b.CachedTargets(ctx)
	if len(inv.Targets) != 1 || inv.Targets[0].Region != "eu-west-101" {
		t.Fatalf("eu cache mixes profiles: %+v", inv.Targets)
	}
	out, err := b.Fetch(ctx, engine.FetchRequest{Target: inv.Targets[0], Validity: api.Days(7), Roles: []api.ContextRole{api.RoleExternal}, Mode: store.ModeInline, Kubeconfig: c.kubeconfig})
	if err != nil || out.Credential.Profile != "eu" {
		t.Fatalf("fetch under eu: %+v %v", out.Credential.Profile, err)
	}
	if len(eu.Log()) == 0 {
		t.Fatal("the eu account was never called")
	}
	if _, err := b.SwitchProfile(ctx, "default"); err != nil {
		t.Fatal(err)
	}
	creds, err := b.Credentials(ctx)
	if err != nil || len(creds) != 0 {
		t.Fatalf("default's credentials show eu's: %d %v", len(creds), err)
	}
	if _, err := b.SwitchProfile(ctx, "nope"); err == nil || !strings.Contains(err.Error(), "default, eu") {
		t.Fatalf("unknown profile: %v", err)
	}
}
