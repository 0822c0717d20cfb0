package keysource

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"ccecert/api"
)

// Federator exchanges an OpenID Connect ID token of identity provider
// idpID for temporary keys: api.Client.FederatedKeys through a client of
// the profile's site and endpoints.
type Federator func(ctx context.Context, idpID, idToken string) (api.Keys, error)

// maxIDToken bounds the ID token file: a JWT is a few kilobytes.
const maxIDToken = 64 << 10

// openSDKFile is the sdk-file source at path. A section with idp_id and
// id_token_file is exchanged for temporary keys (Federate) and renewed
// before they expire, like a process source's keys.
func (o Opener) openSDKFile(profile, path, section string) *sdkFileSource {
	now := o.Now
	if now == nil {
		now = time.Now
	}
	s := &sdkFileSource{profile: profile, path: path, section: section, federate: o.Federate}
	s.newFed = func(f federationSpec) *refreshing {
		return &refreshing{profile: profile, describe: "sdk-file " + path + " (OIDC " + f.idpID + ")",
			fetch: s.exchange(f), now: now, event: o.OnRefresh}
	}
	return s
}

// exchange reads the ID token (anew: the IdP's login rewrites the file)
// and trades it for keys.
func (s *sdkFileSource) exchange(f federationSpec) fetchFunc {
	return func(ctx context.Context) (api.Keys, error) {
		tok, err := readIDToken(f.tokenFile)
		if err != nil {
			return api.Keys{}, s.fail("id_token_file %s %v", f.tokenFile, err)
		}
		k, err := s.federate(ctx, f.idpID, tok)
		if err != nil {
			return api.Keys{}, s.fail("%v", err) // (api's errors hold no token)
		}
		return k, nil
	}
}

// readIDToken reads an ID token file as the SDK does (trimmed,
// core/auth/internal/sts_accessor.go getContent), bounded. Its errors
// complete "id_token_file PATH …" and never hold the token.
func readIDToken(path string) (string, error) {
	f, err := os.Open(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "", errors.New("does not exist: log in with the identity provider so it writes the ID token there, or fix id_token_file")
	case err != nil:
		return "", fmt.Errorf("cannot be read: %w", errors.Unwrap(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxIDToken+1))
	switch {
	case err != nil:
		return "", fmt.Errorf("cannot be read: %w", err)
	case len(data) > maxIDToken:
		return "", fmt.Errorf("is over %d KiB, which no ID token is: point id_token_file at the token", maxIDToken>>10)
	}
	tok := strings.TrimSpace(string(data))
	if tok == "" {
		return "", errors.New("is empty: log in with the identity provider again so it writes a fresh ID token")
	}
	return tok, nil
}
