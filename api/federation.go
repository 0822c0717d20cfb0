package api

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/impl"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"
	iam "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3"
	iammodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3/model"
)

// FederationKeyLifetime is how long the temporary keys of an OpenID
// Connect federation are asked for: the SDK's own choice for idp_id and
// id_token_file credentials (core/auth/internal/federal_accessor.go,
// defaultDurationSeconds, 6 h; IAM allows 15 minutes to 24 hours).
const FederationKeyLifetime = 6 * time.Hour

// FederatedKeys exchanges an OpenID Connect ID token of identity provider
// idpID for temporary keys, as the SDK does for credentials with idp_id
// and id_token_file (core/auth/internal/federal_accessor.go), in the same
// two IAM calls, through the SDK's IAM client:
//
//   - CreateTokenWithIdToken, POST /v3.0/OS-AUTH/id-token/tokens with
//     X-Idp-Id: an unscoped token in X-Subject-Token ("Obtaining a Token
//     with an OpenID Connect ID Token",
//     https://support.huaweicloud.com/intl/en-us/api-iam/iam_13_0605.html);
//   - CreateTemporaryAccessKeyByToken, POST /v3.0/OS-CREDENTIAL/securitytokens
//     with that token in the body: credential.access, secret,
//     securitytoken, expires_at ("Obtaining Temporary Access Keys and
//     Security Tokens of a Federated User",
//     https://support.huaweicloud.com/intl/en-us/api-iam/iam_04_0003.html).
//
// Neither call is signed (the tokens are the credentials; both pages: "You
// do not need to obtain permissions"), so c's own keys are never used:
// build c with UnsignedKeys. Errors never hold a token or a key.
func (c *Client) FederatedKeys(ctx context.Context, idpID, idToken string, lifetime time.Duration) (Keys, error) {
	o := op{name: "exchange the ID token of identity provider", target: idpID,
		unauthorized: "IAM refused the ID token: get a fresh one from the identity provider into id_token_file, and check idp_id and the system clock",
		forbidden:    "IAM refused the federation: check the identity provider's mapping rules and access type (programmatic access)"}
	if idpID == "" || strings.TrimSpace(idToken) == "" {
		return Keys{}, o.failure(callRecord{}, errors.New("an OpenID Connect federation needs idp_id and a non-empty ID token"))
	}
	cl, err := c.federationClient()
	if err != nil {
		return Keys{}, o.failure(callRecord{}, err)
	}
	scrub := func(err error) error { return scrubTokens(err, idToken) }
	tok, _, err := invoke(ctx, c, o, func() sdkInvoker[*iammodel.CreateTokenWithIdTokenResponse] {
		return cl.CreateTokenWithIdTokenInvoker(&iammodel.CreateTokenWithIdTokenRequest{
			XIdpId: idpID,
			Body:   &iammodel.GetIdTokenRequestBody{Auth: &iammodel.GetIdTokenAuthParams{IdToken: &iammodel.GetIdTokenIdTokenBody{Id: idToken}}},
		})
	})
	if err != nil {
		return Keys{}, scrub(err)
	}
	if tok.XSubjectToken == nil || *tok.XSubjectToken == "" {
		return Keys{}, o.failure(callRecord{}, errors.New("IAM answered no X-Subject-Token: report it"))
	}
	subject := *tok.XSubjectToken
	secs := int32(lifetime / time.Second)
	o.name = "get temporary keys from identity provider"
	resp, rec, err := invoke(ctx, c, o, func() sdkInvoker[*iammodel.CreateTemporaryAccessKeyByTokenResponse] {
		return cl.CreateTemporaryAccessKeyByTokenInvoker(&iammodel.CreateTemporaryAccessKeyByTokenRequest{
			Body: &iammodel.CreateTemporaryAccessKeyByTokenRequestBody{Auth: &iammodel.TokenAuth{Identity: &iammodel.TokenAuthIdentity{
				Methods: []iammodel.TokenAuthIdentityMethods{iammodel.GetTokenAuthIdentityMethodsEnum().TOKEN},
				Token:   &iammodel.IdentityToken{Id: &subject, DurationSeconds: &secs},
			}}},
		})
	})
	if err != nil {
		return Keys{}, scrubTokens(err, idToken, subject)
	}
	cr := resp.Credential
	if cr == nil || cr.Access == "" || cr.Secret == "" || cr.Securitytoken == "" {
		return Keys{}, o.failure(rec, errors.New("IAM answered no temporary keys: report it"))
	}
	exp, err := time.Parse(time.RFC3339, cr.ExpiresAt)
	if err != nil {
		return Keys{}, o.failure(rec, fmt.Errorf("IAM answered an expiry that is not ISO 8601 (%.40q): report it", cr.ExpiresAt))
	}
	return Keys{AK: cr.Access, SK: Secret(cr.Secret), SecurityToken: Secret(cr.Securitytoken), Expires: exp}, nil
}

// federationClient is an IAM client that signs nothing (unsignedCredential).
func (c *Client) federationClient() (*iam.IamClient, error) {
	r, err := c.endpointRegion(ServiceIAM, c.cfg.IAMRegion)
	if err != nil {
		return nil, err
	}
	hc := core.NewHcHttpClient(impl.NewDefaultHttpClient(c.httpConfig())).
		WithEndpoints(r.Endpoints).WithCredential(unsignedCredential{})
	return iam.NewIamClient(hc), nil
}

// unsignedCredential is the SDK credential of calls that carry their own
// token: no Authorization, no X-Sdk-Date, no project or domain lookup.
type unsignedCredential struct{}

func (unsignedCredential) ProcessAuthParams(*impl.DefaultHttpClient, string) (auth.ICredential, error) {
	return unsignedCredential{}, nil
}

func (unsignedCredential) ProcessAuthRequest(_ *impl.DefaultHttpClient, req *request.DefaultHttpRequest) (*request.DefaultHttpRequest, error) {
	return req, nil
}

// UnsignedKeys is the key source of a client that only exchanges ID
// tokens (FederatedKeys): it has no keys, and a call that would sign
// fails.
var UnsignedKeys KeySource = unsignedKeys{}

type unsignedKeys struct{}

func (unsignedKeys) Describe() string { return "none (federation)" }

func (unsignedKeys) Keys(context.Context) (Keys, error) {
	return Keys{}, errors.New("this client exchanges ID tokens only and signs nothing")
}

// scrubTokens removes tokens from an error's text, should IAM echo one.
func scrubTokens(err error, tokens ...string) error {
	e, ok := asError(err)
	if !ok {
		return err
	}
	for _, t := range tokens {
		if len(t) >= 8 {
			e.Message = strings.ReplaceAll(e.Message, t, redacted)
			e.Hint = strings.ReplaceAll(e.Hint, t, redacted)
		}
	}
	return e
}
