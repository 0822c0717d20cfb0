package api

import (
	"context"
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
