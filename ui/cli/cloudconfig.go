package cli

import (
	"context"
	"fmt"
	"time"

	"ccecert/api"
	"ccecert/api/keysource"
	"ccecert/store"
)

// applyCloudConfig lays the config file's site settings over the cloud
// client's config; CCECERT_SITE and CCECERT_INTERNATIONAL in the
// environment win over the file, as variables do over files elsewhere.
func applyCloudConfig(cfg *api.Config, c store.CloudConfig, getenv func(string) string) {
	if getenv(api.EnvSite) == "" && c.Site != "" {
		cfg.Site = c.Site
	}
	if getenv(api.EnvInternational) == "" {
		cfg.International = c.International
	}
	cfg.IAMRegion = c.IAMRegion
	cfg.EndpointTemplate = c.EndpointTemplate
	cfg.Domain = c.Domain
	cfg.Endpoints = c.Endpoints
}

// profileConfig is the cloud client's config for profile p: its site,
// regions and endpoints, and its credential source as Config.Keys. The
// source's current keys also fill AK/SK/SecurityToken, for a client that
// reads only those. getenv is the cloud's environment (endpoint, CA,
// proxy; the keys of an env source).
func (a *app) profileConfig(ctx context.Context, p store.Profile, getenv func(string) string) (api.Config, error) {
	src, err := a.openKeys(p, getenv)
	if err != nil {
		return api.Config{}, err
	}
	keys, err := src.Keys(ctx)
	if err != nil {
		return api.Config{}, err // the source's errors name the profile and the fix
	}
	cfg, err := api.ConfigFromEnv(withKeys(getenv, keys))
	if err != nil {
		return api.Config{}, fmt.Errorf("profile %q: %w", p.Name, err)
	}
	cfg.Getenv = getenv // never the keys
	cfg.Keys = src
	applyCloudConfig(&cfg, p.Cloud, getenv)
	c := a.all.ForProfile(p)
	cfg.Timeout = c.Timeouts.Request
	cfg.RegionTimeout = c.Timeouts.Region
	cfg.Concurrency = c.Concurrency
	cfg.Regions = c.Regions
	cfg.UserAgent = "ccecert/" + a.env.deps.Version
	cfg.Now = a.env.now
	return cfg, nil
}

// openKeys builds profile p's credential source (a test's, when its env
// gives one).
func (a *app) openKeys(p store.Profile, getenv func(string) string) (api.KeySource, error) {
	if a.env.keys != nil {
		return a.env.keys(p.Name, p.Source)
	}
	o := keysource.Opener{Getenv: getenv, Home: getenv("HOME"), Stored: a.storedKeys, OnRefresh: a.logKeysRefresh,
		Federate: a.federator(p, getenv)}
	return o.Open(p.Name, p.Source)
}

// federator exchanges ID tokens at the IAM of profile p's site (its
// endpoints, CA and proxy), through a client that holds no keys.
func (a *app) federator(p store.Profile, getenv func(string) string) keysource.Federator {
	return func(ctx context.Context, idpID, idToken string) (api.Keys, error) {
		cfg, err := api.ConfigWithKeys(getenv, api.UnsignedKeys)
		if err != nil {
			return api.Keys{}, err
		}
		applyCloudConfig(&cfg, p.Cloud, getenv)
		cfg.Timeout = a.all.ForProfile(p).Timeouts.Request
		cfg.UserAgent = "ccecert/" + a.env.deps.Version
		cfg.Now = a.env.now
		c, err := api.New(cfg)
		if err != nil {
			return api.Keys{}, err
		}
		defer c.Close()
		return c.FederatedKeys(ctx, idpID, idToken, api.FederationKeyLifetime)
	}
}

// logKeysRefresh records each run of a credential process in the audit
// log (`ccecert log`): one "keys" event per renewal, with the new keys'
// expiry or the failure. Never a secret: the event names the source.
func (a *app) logKeysRefresh(ev keysource.RefreshEvent) {
	if a.store == nil {
		return
	}
	result := "ok"
	if ev.Err != nil {
		result = "error: " + ev.Err.Error()
	} else if !ev.Expires.IsZero() {
		result = "ok: keys until " + ev.Expires.UTC().Format(time.RFC3339)
	}
	_ = a.store.AppendEvent(context.WithoutCancel(a.root), store.Event{Action: "keys", Target: ev.Source, Result: result, Profile: ev.Profile})
}

// storedKeys is the stored source of a profile: the keys `ccecert
// configure --profile NAME` stored, the SK encrypted with the store's age
// identity.
func (a *app) storedKeys(profile string) (api.KeySource, error) {
	if a.store == nil {
		return nil, fmt.Errorf("profile %q: the stored keys need ccecert's data dir", profile)
	}
	return a.store.OpenStored(profile)
}

// withKeys reads the access key variables from keys and the rest from
// getenv, so api.ConfigFromEnv takes a source's keys with the
// environment's endpoint settings.
func withKeys(getenv func(string) string, keys api.Keys) func(string) string {
	return func(name string) string {
		switch name {
		case api.EnvAK:
			return keys.AK
		case api.EnvSK:
			return string(keys.SK.Reveal())
		case api.EnvSecurityToken:
			return string(keys.SecurityToken.Reveal())
		}
		return getenv(name)
	}
}

// profileName is a recorded profile as shown: rows from before profiles
// (or without one) are the default profile's.
func profileName(p string) string {
	if p == "" {
		return store.DefaultProfile
	}
	return p
}
