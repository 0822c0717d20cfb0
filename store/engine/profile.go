package engine

import (
	"context"
	"fmt"

	"ccecert/store"
)

// ProfileError is a credential of another profile than the engine's: its
// cloud is reached with that profile's keys, never this one's. It comes in
// a HintError (HintSwitchProfile).
type ProfileError struct {
	ID      string // the credential
	Profile string // its profile
	Engine  string // the engine's
}

func (e *ProfileError) Error() string {
	return fmt.Sprintf("credential %s belongs to profile %s, not %s", e.ID, e.Profile, e.Engine)
}

// profile is the engine's profile name.
func (e *Engine) profile() string {
	if e.Profile == "" {
		return store.DefaultProfile
	}
	return e.Profile
}

// ownProfile refuses a credential of another profile.
func (e *Engine) ownProfile(c store.Credential) error {
	if p := c.Profile; p != "" && p != e.profile() {
		return &HintError{Hint: HintSwitchProfile, Err: &ProfileError{ID: c.ID, Profile: p, Engine: e.profile()}}
	}
	return nil
}

// targets is the engine's profile's cached inventory.
func (e *Engine) targets(ctx context.Context) ([]store.TargetRecord, error) {
	return e.Store.ProfileTargets(ctx, e.profile())
}
