package api

import (
	"context"
	"errors"
	"time"
)

// Keys are one set of access keys: a permanent AK/SK, or a temporary one
// with its security token and expiry.
type Keys struct {
	AK            string
	SK            Secret
	SecurityToken Secret    // empty for permanent keys
	Expires       time.Time // zero: the keys do not expire
}

// KeySource yields the keys of one profile (issue 13: env, sdk-file,
// process, stored). Implementations cache and refresh their own keys;
// Keys is called before each SDK client is built and must be cheap when
// the cached keys are still good.
type KeySource interface {
	// Describe names the source for messages and `ccecert profiles`
	// ("env", "sdk-file ~/.huaweicloud/credentials", "process otc-auth"),
	// never a secret.
	Describe() string
	// Keys returns keys valid now, refreshing them first when they expire
	// soon. Its errors name the source and what to do, never a secret.
	Keys(ctx context.Context) (Keys, error)
}

// ErrKeysExpired is the cause (errors.Is) of a cloud call refused with 401
// while signing with temporary keys, or with the gateway's "token must be
// updated" code: the keys' source must be renewed. Such a call is never
// retried. Callers that know the profile wrap it ("profile %q: %w").
var ErrKeysExpired = errors.New("the access keys expired or were refused")

// KeyInvalidator is an optional KeySource method: the client calls it with
// the keys the cloud refused as expired, so the next Keys call fetches new
// ones (the failed call itself is not retried).
type KeyInvalidator interface {
	Invalidate(refused Keys)
}

// Temporary reports whether the keys carry a security token.
func (k Keys) Temporary() bool { return !k.SecurityToken.Empty() }

// Same reports whether k and o are the same key set.
func (k Keys) Same(o Keys) bool {
	return k.AK == o.AK && string(k.SK) == string(o.SK) && string(k.SecurityToken) == string(o.SecurityToken)
}
