package emulator

import (
	"crypto/subtle"
	"errors"
	"time"
)

// headerSecurityToken carries the security token of temporary keys; the
// SDK adds it and signs it (core/auth/base_credentials.go,
// securityTokenInHeader).
const headerSecurityToken = "X-Security-Token"

// codeTokenExpired is the gateway's 401 "The token must be updated." (API
// signing guide, error codes,
// https://support.huaweicloud.com/devg-apisign/api-sign-errorcode.html).
// Unconfirmed: that the gateway answers exactly this to temporary AK/SK
// whose security token has expired; the page names tokens in general.
const (
	codeTokenExpired = "APIGW.0307"
	msgTokenExpired  = "The token must be updated."
)

// pruneAfter is how long an expired temporary key is still known (and
// answered APIGW.0307 rather than "does not exist").
const pruneAfter = time.Hour

// TempKeys are temporary access keys minted by the emulator: an AK, its SK,
// the security token and the expiry. Emulator only: the real cloud mints
// them through IAM (temporary access keys); the emulator does not
// implement that API.
type TempKeys struct {
	AK, SK, SecurityToken string
	Expires               time.Time
}

// MintTempKeys mints temporary keys of this account's main user, with
// access to every project, valid for lifetime from the emulator's clock
// (a second at least). Once expired, requests signed with them are refused
// with 401 APIGW.0307.
func (s *Server) MintTempKeys(lifetime time.Duration) TempKeys {
	lifetime = max(lifetime, time.Second)
	now := s.now()
	k := TempKeys{
		AK: randomString(20, upperAlnum), SK: randomString(40, mixedAlnum),
		SecurityToken: randomString(160, mixedAlnum),
		Expires:       now.Add(lifetime),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for ak, old := range s.keys {
		if !old.expires.IsZero() && now.Sub(old.expires) > pruneAfter {
			delete(s.keys, ak)
		}
	}
	s.keys[k.AK] = accessKey{sk: k.SK, userID: s.UserID, token: k.SecurityToken, expires: k.Expires}
	return k
}

// checkToken checks the security token of temporary keys: present, the
// one minted with them, not expired. Permanent keys need none.
func (s *Server) checkToken(key accessKey, token string) error {
	if key.token == "" {
		return nil
	}
	if token == "" {
		return errors.New("temporary access keys need their security token (" + headerSecurityToken + ")")
	}
	if subtle.ConstantTimeCompare([]byte(token), []byte(key.token)) != 1 {
		return errors.New("the security token does not belong to the access key")
	}
	if !s.now().Before(key.expires) {
		return &authError{code: codeTokenExpired, msg: msgTokenExpired}
	}
	return nil
}
