// Package keysource builds a profile's credential source (api.KeySource):
// env, sdk-file, process or stored (issue 13).
package keysource

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"ccecert/api"
)

// Spec names one profile's credential source, as the config file's
// profiles section gives it (store parses it).
type Spec struct {
	Type    string        // "env" (default), "sdk-file", "process", "stored"
	File    string        // sdk-file: the ini file; empty = HUAWEICLOUD_SDK_CREDENTIALS_FILE or ~/.huaweicloud/credentials
	Section string        // sdk-file: the ini section; empty = the SDK's default
	Command []string      // process: argv, run without a shell
	Timeout time.Duration // process: bound on one run; 0 = the default
}

// Opener builds sources. Stored is set by the caller that holds the store
// (the stored source's SK is encrypted with the store's age identity).
type Opener struct {
	Getenv func(string) string
	Home   string
	Stored func(profile string) (api.KeySource, error)
	// Environ is the environment a credential process starts from, minus
	// the secrets in it; default os.Environ.
	Environ func() []string
	// Now is the clock of expiries; default time.Now.
	Now func() time.Time
	// OnRefresh, when set, is told of every run of a process source and
	// every ID-token exchange of an sdk-file source (a renewal, or its
	// failure), for the log. Never a secret.
	OnRefresh func(RefreshEvent)
	// Federate exchanges an OpenID Connect ID token for temporary keys,
	// for sdk-file sources whose section names idp_id and id_token_file;
	// without it such a file is refused.
	Federate Federator
}

// Open builds the source of one profile. Its errors name the profile and
// the fix.
func (o Opener) Open(profile string, s Spec) (api.KeySource, error) {
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	switch s.Type {
	case "", "env":
		return envSource{profile: profile, getenv: getenv}, nil
	case "sdk-file":
		home := o.Home
		if home == "" {
			home, _ = os.UserHomeDir()
		}
		return o.openSDKFile(profile, sdkFilePath(s.File, home, getenv), s.Section), nil
	case "process":
		return o.openProcess(profile, s)
	case "stored":
		if o.Stored == nil {
			return nil, fmt.Errorf("profile %q: the stored source needs the store", profile)
		}
		return o.Stored(profile)
	default:
		return nil, fmt.Errorf("profile %q: unknown credential source %q: use env, sdk-file, process or stored", profile, s.Type)
	}
}

// openProcess is the process source, renewed before its keys expire.
func (o Opener) openProcess(profile string, s Spec) (api.KeySource, error) {
	if len(s.Command) == 0 || strings.TrimSpace(s.Command[0]) == "" {
		return nil, fmt.Errorf("profile %q: the process source needs a command (argv list, run without a shell): set it in the profile", profile)
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = DefaultProcessTimeout
	}
	environ, now := o.Environ, o.Now
	if environ == nil {
		environ = os.Environ
	}
	if now == nil {
		now = time.Now
	}
	p := &processSource{profile: profile, argv: slices.Clone(s.Command), timeout: timeout, environ: childEnviron(environ())}
	return &refreshing{profile: profile, describe: p.Describe(), fetch: p.fetch, now: now, event: o.OnRefresh}, nil
}
