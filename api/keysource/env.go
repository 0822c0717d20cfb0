package keysource

import (
	"context"
	"fmt"
	"strings"

	"ccecert/api"
)

// The SDK's own variables (core/auth/provider/env_provider.go), read when
// none of the seeds' CLOUD_SDK_AK/SK is set.
const (
	EnvSDKAK            = "HUAWEICLOUD_SDK_AK"
	EnvSDKSK            = "HUAWEICLOUD_SDK_SK"
	EnvSDKSecurityToken = "HUAWEICLOUD_SDK_SECURITY_TOKEN"
)

// envFamily is one set of variables naming an AK, SK and token.
type envFamily struct{ ak, sk, token string }

// envFamilies in order of precedence: the seeds' CLOUD_SDK_* (what
// ccecert always read) win; the SDK's HUAWEICLOUD_SDK_* are read only when
// neither CLOUD_SDK_AK nor CLOUD_SDK_SK is set. The keys never mix: AK, SK
// and token come from one family.
var envFamilies = []envFamily{
	{api.EnvAK, api.EnvSK, api.EnvSecurityToken},
	{EnvSDKAK, EnvSDKSK, EnvSDKSecurityToken},
}

// secretEnv are the variables that hold secrets: kept from the children
// ccecert starts (the credential process included).
var secretEnv = []string{api.EnvSK, api.EnvSecurityToken, EnvSDKSK, EnvSDKSecurityToken}

// envSource reads the environment: CLOUD_SDK_AK/SK/SECURITY_TOKEN, else
// HUAWEICLOUD_SDK_AK/SK/SECURITY_TOKEN.
type envSource struct {
	profile string
	getenv  func(string) string
}

func (envSource) Describe() string { return "env" }

func (e envSource) Keys(context.Context) (api.Keys, error) {
	for _, f := range envFamilies {
		ak, sk := strings.TrimSpace(e.getenv(f.ak)), strings.TrimSpace(e.getenv(f.sk))
		if ak == "" && sk == "" {
			continue
		}
		if ak == "" || sk == "" {
			missing := f.ak
			if sk == "" {
				missing = f.sk
			}
			return api.Keys{}, fmt.Errorf("profile %q (source env): %s is set but %s is not: export both %s and %s", e.profile, other(f, missing), missing, f.ak, f.sk)
		}
		return api.Keys{AK: ak, SK: api.Secret(sk), SecurityToken: api.Secret(strings.TrimSpace(e.getenv(f.token)))}, nil
	}
	return api.Keys{}, fmt.Errorf("profile %q (source env): no access key: export %s and %s (or the SDK's %s and %s), an access key from IAM → My Credentials → Access Keys",
		e.profile, api.EnvAK, api.EnvSK, EnvSDKAK, EnvSDKSK)
}

// other is the variable of f's pair that is not missing.
func other(f envFamily, missing string) string {
	if missing == f.ak {
		return f.sk
	}
	return f.ak
}
