// Package keysource builds a profile's credential source (api.KeySource):
// env, sdk-file, process or stored (issue 13).
package keysource

import (
	"fmt"
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
}

// Open builds the source of one profile. Its errors name the profile and
// the fix.
func (o Opener) Open(profile string, s Spec) (api.KeySource, error) {
	switch s.Type {
	case "", "env":
		return envSource{getenv: o.Getenv}, nil
	case "stored":
		if o.Stored == nil {
			return nil, fmt.Errorf("profile %q: the stored source needs the store", profile)
		}
		return o.Stored(profile)
	default:
		// sdk-file and process: being built (issue 13).
		return nil, fmt.Errorf("profile %q: credential source %q is not supported", profile, s.Type)
	}
}
