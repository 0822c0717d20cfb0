package cli

import (
	"context"

	"ccecert/store"
	"ccecert/store/engine"
	"ccecert/ui"
)

// tuiProfile is the profile a TUI works with now: its engine (keys,
// cloud client, kubeconfig) and name. A switch replaces it whole; a call
// in flight finishes with the one it started with.
type tuiProfile struct {
	profile store.Profile
	engine  *engine.Engine
}

var _ ui.ProfileSwitcher = (*tuiBackend)(nil)

// current is the profile calls work with now.
func (b *tuiBackend) current() tuiProfile {
	b.pmu.Lock()
	defer b.pmu.Unlock()
	if b.cur.engine == nil {
		b.cur = tuiProfile{profile: b.a.profile, engine: b.a.engine}
	}
	return b.cur
}

// engine is the current profile's engine.
func (b *tuiBackend) engine() *engine.Engine { return b.current().engine }

// Profiles lists the config's profiles, the current one marked; no I/O.
func (b *tuiBackend) Profiles() []ui.ProfileInfo {
	cur := b.current().profile.Name
	var out []ui.ProfileInfo
	for _, p := range b.a.all.ProfileList() {
		out = append(out, b.profileInfo(p, p.Name == cur))
	}
	return out
}

// SwitchProfile makes name the current profile: a new engine with that
// profile's keys, site, regions and kubeconfig; its cloud client is built
// on its first call.
func (b *tuiBackend) SwitchProfile(ctx context.Context, name string) (ui.ProfileInfo, error) {
	if err := b.enter(); err != nil {
		return ui.ProfileInfo{}, err
	}
	defer b.leave()
	p, err := b.a.all.Profile(name)
	if err != nil {
		return ui.ProfileInfo{}, err
	}
	next := tuiProfile{profile: p, engine: b.a.engineFor(p)}
	b.pmu.Lock()
	b.cur = next
	b.pmu.Unlock()
	return b.profileInfo(p, true), nil
}

// profileInfo is p as the picker and the header show it.
func (b *tuiBackend) profileInfo(p store.Profile, current bool) ui.ProfileInfo {
	v := b.a.profileView(p)
	account := v.Source
	if v.Source == "env" {
		account = accountLabel(b.a.paths.Demo, b.a.env.getenv)
	}
	return ui.ProfileInfo{Name: p.Name, Site: v.Site, Source: v.Source, Current: current, Account: account,
		Regions: regionsLabel(p.Regions), Kubeconfig: b.a.kubeconfigFor(b.a.all.ForProfile(p))}
}
