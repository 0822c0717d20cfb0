package emulator

import (
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// OpenID Connect federation (issue 13): the SDK's credentials file may
// name idp_id and id_token_file instead of ak/sk; the SDK (and ccecert)
// exchange the ID token for temporary keys in two IAM calls, neither
// signed (the tokens travel in the body; "You do not need to obtain
// permissions to call this API" on both pages):
//
//  1. POST /v3.0/OS-AUTH/id-token/tokens, header X-Idp-Id, body
//     {"auth":{"id_token":{"id":ID_TOKEN}}}: 201 with the unscoped token
//     in X-Subject-Token and token.expires_at in the body ("Obtaining a
//     Token with an OpenID Connect ID Token",
//     https://support.huaweicloud.com/intl/en-us/api-iam/iam_13_0605.html;
//     SDK services/iam/v3 CreateTokenWithIdToken).
//  2. POST /v3.0/OS-CREDENTIAL/securitytokens, body
//     {"auth":{"identity":{"methods":["token"],"token":{"id":TOKEN,"duration_seconds":N}}}}:
//     201 with credential.access, secret, securitytoken, expires_at;
//     15 minutes to 24 hours ("Obtaining Temporary Access Keys and
//     Security Tokens of a Federated User",
//     https://support.huaweicloud.com/intl/en-us/api-iam/iam_04_0003.html;
//     SDK CreateTemporaryAccessKeyByToken).
//
// The enterprise IdP is played by MintIDToken: the emulator knows the ID
// tokens it minted and does not verify JWTs. Unconfirmed: the error codes
// of both APIs (the pages list none for a refused ID token or token); the
// emulator answers 400 for a malformed body and 401 for an unknown or
// expired token, in the gateway's error format, and ccecert relies on the
// status only.

// Federation token lifetimes.
const (
	unscopedTokenLife = 10 * time.Minute // the unscoped token lives long enough for step 2 (unconfirmed: IAM's own lifetime)
	minKeyDuration    = 15 * time.Minute
	maxKeyDuration    = 24 * time.Hour
	defaultKeyDur     = 15 * time.Minute // duration_seconds omitted: the page's default, 900 s
)

// Codes of the emulator's federation refusals (unconfirmed, see above).
const (
	codeFedBadRequest   = "IAM.0101"
	codeFedUnauthorized = "IAM.0102"
)

// federation holds the ID tokens the emulated IdP minted and the unscoped
// tokens IAM issued for them.
type federation struct {
	mu       sync.Mutex
	idTokens map[string]idToken   // by the token
	unscoped map[string]time.Time // expiry, by the X-Subject-Token
	keyLife  time.Duration        // Options.TempKeyLifetime
}

// idToken is one ID token of an identity provider.
type idToken struct {
	idp     string
	expires time.Time
}

// MintIDToken plays an enterprise OpenID Connect IdP registered in IAM as
// idpID: it returns an ID token valid for lifetime (a second at least),
// which IAM (step 1 above) accepts with X-Idp-Id idpID until then.
// EMULATOR-ONLY: the real ID token is a JWT of the enterprise IdP.
func (s *Server) MintIDToken(idpID string, lifetime time.Duration) string {
	tok := "eyJ" + randomString(120, mixedAlnum) // JWT-shaped, opaque here
	s.fed.mu.Lock()
	defer s.fed.mu.Unlock()
	if s.fed.idTokens == nil {
		s.fed.idTokens = map[string]idToken{}
	}
	s.fed.idTokens[tok] = idToken{idp: idpID, expires: s.now().Add(max(lifetime, time.Second))}
	return tok
}

// createTokenWithIDToken is CreateTokenWithIdToken (step 1): an unscoped
// federated token for a valid ID token of the identity provider X-Idp-Id.
func (s *Server) createTokenWithIDToken(w http.ResponseWriter, c *call) {
	var body struct {
		Auth struct {
			IDToken struct {
				ID string `json:"id"`
			} `json:"id_token"`
		} `json:"auth"`
	}
	idp := c.r.Header.Get("X-Idp-Id")
	if json.Unmarshal(c.body, &body) != nil || body.Auth.IDToken.ID == "" || idp == "" {
		writeGatewayError(w, http.StatusBadRequest, codeFedBadRequest, "X-Idp-Id and auth.id_token.id are mandatory")
		return
	}
	now := s.now()
	s.fed.mu.Lock()
	tok, ok := s.fed.idTokens[body.Auth.IDToken.ID]
	var subject string
	expires := now.Add(unscopedTokenLife)
	if ok && tok.idp == idp && now.Before(tok.expires) {
		subject = "MII" + randomString(200, mixedAlnum)
		if s.fed.unscoped == nil {
			s.fed.unscoped = map[string]time.Time{}
		}
		s.fed.unscoped[subject] = expires
	}
	s.fed.mu.Unlock()
	switch {
	case !ok || tok.idp != idp:
		writeGatewayError(w, http.StatusUnauthorized, codeFedUnauthorized, "The ID token is not valid for this identity provider.")
		return
	case subject == "":
		writeGatewayError(w, http.StatusUnauthorized, codeFedUnauthorized, "The ID token has expired.")
		return
	}
	w.Header().Set("X-Subject-Token", subject)
	writeJSON(w, http.StatusCreated, map[string]any{"token": map[string]any{
		"expires_at": iamTime(expires), "issued_at": iamTime(now), "methods": []string{"mapped"},
		"user": map[string]any{
			"domain":        map[string]string{"id": s.DomainID, "name": s.DomainName},
			"id":            s.UserID,
			"name":          "federated-user",
			"OS-FEDERATION": map[string]any{"identity_provider": map[string]string{"id": idp}, "protocol": map[string]string{"id": "oidc"}},
		},
	}})
}

// createSecurityTokens is CreateTemporaryAccessKeyByToken with an
// unscoped federated token in the body (step 2): temporary keys of the
// account's user, valid for duration_seconds (Options.TempKeyLifetime
// overrides it, for tests of renewal).
func (s *Server) createSecurityTokens(w http.ResponseWriter, c *call) {
	var body struct {
		Auth struct {
			Identity struct {
				Methods []string `json:"methods"`
				Token   struct {
					ID              string `json:"id"`
					DurationSeconds *int   `json:"duration_seconds"`
				} `json:"token"`
			} `json:"identity"`
		} `json:"auth"`
	}
	if json.Unmarshal(c.body, &body) != nil || len(body.Auth.Identity.Methods) != 1 || body.Auth.Identity.Methods[0] != "token" {
		writeGatewayError(w, http.StatusBadRequest, codeFedBadRequest, `auth.identity.methods must be ["token"]`)
		return
	}
	tok := body.Auth.Identity.Token.ID
	if tok == "" {
		tok = c.r.Header.Get("X-Auth-Token") // the page allows either
	}
	life := defaultKeyDur
	if d := body.Auth.Identity.Token.DurationSeconds; d != nil {
		life = time.Duration(*d) * time.Second
		if life < minKeyDuration || life > maxKeyDuration {
			writeGatewayError(w, http.StatusBadRequest, codeFedBadRequest, "duration_seconds must be 900 to 86400")
			return
		}
	}
	s.fed.mu.Lock()
	exp, ok := s.fed.unscoped[tok]
	if s.fed.keyLife > 0 {
		life = s.fed.keyLife
	}
	s.fed.mu.Unlock()
	if !ok || !s.now().Before(exp) {
		writeGatewayError(w, http.StatusUnauthorized, codeFedUnauthorized, "The token is invalid or has expired.")
		return
	}
	k := s.MintTempKeys(life)
	writeJSON(w, http.StatusCreated, map[string]any{"credential": map[string]string{
		"access": k.AK, "secret": k.SK, "securitytoken": k.SecurityToken, "expires_at": iamTime(k.Expires),
	}})
}

// iamTime is IAM's time format: UTC, microseconds, Z (the pages' examples:
// 2020-01-08T03:50:07.574000Z).
func iamTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000Z") }
