package emulator

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"
)

// maxClockSkew is how far X-Sdk-Date may be from the server's clock.
const maxClockSkew = 15 * time.Minute

const hmacAlgorithm = "SDK-HMAC-SHA256"

// accessKey is a key the emulator accepts. projects == nil means every
// project; otherwise only the listed project IDs.
type accessKey struct {
	sk       string
	userID   string
	projects map[string]bool
	// token and expires are set for temporary keys (MintTempKeys): each
	// request must carry the token in X-Security-Token, signed, before
	// expires.
	token   string
	expires time.Time
}

// authError is a refused signature: the gateway's code and message.
type authError struct{ code, msg string }

func (e *authError) Error() string { return e.msg }

// refusal is the gateway's answer to a failed authentication: 401 with
// APIGW.0301 "Incorrect IAM authentication information: …", or the code of
// an authError.
func refusal(err error) (code, msg string) {
	var ae *authError
	if errors.As(err, &ae) {
		return ae.code, ae.msg
	}
	return codeBadAuth, "Incorrect IAM authentication information: " + err.Error()
}

// allows reports whether the key may use the project.
func (k accessKey) allows(projectID string) bool {
	return k.projects == nil || k.projects[projectID]
}

// authHeader is a parsed Authorization header.
type authHeader struct {
	ak            string
	signedHeaders []string
}

// parseAuthorization reads "SDK-HMAC-SHA256 Access=AK, SignedHeaders=a;b,
// Signature=hex".
func parseAuthorization(h string) (authHeader, error) {
	alg, rest, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || alg != hmacAlgorithm {
		return authHeader{}, errors.New("the Authorization header is missing or not " + hmacAlgorithm)
	}
	var a authHeader
	var sig string
	for _, part := range strings.Split(rest, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "Access":
			a.ak = v
		case "SignedHeaders":
			a.signedHeaders = strings.Split(v, ";")
		case "Signature":
			sig = v
		}
	}
	if a.ak == "" || sig == "" || len(a.signedHeaders) == 0 {
		return authHeader{}, errors.New("the Authorization header lacks Access, SignedHeaders or Signature")
	}
	return a, nil
}

// authenticate verifies the request's signature with the SDK's own signer
// and returns the key that signed it.
func (s *Server) authenticate(r *http.Request, body []byte) (accessKey, error) {
	a, err := parseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return accessKey{}, err
	}
	s.mu.Lock()
	key, ok := s.keys[a.ak]
	s.mu.Unlock()
	if !ok {
		return accessKey{}, errors.New("the access key does not exist")
	}
	if err := s.checkDate(r.Header.Get(signer.HeaderXDate)); err != nil {
		return accessKey{}, err
	}
	if err := checkSignedHeaders(r, a.signedHeaders); err != nil {
		return accessKey{}, err
	}
	want, err := s.expectedAuthorization(r, body, a, key.sk)
	if err != nil {
		return accessKey{}, err
	}
	if subtle.ConstantTimeCompare([]byte(want), []byte(r.Header.Get("Authorization"))) != 1 {
		return accessKey{}, errors.New("verify aksk signature fail")
	}
	if err := s.checkToken(key, r.Header.Get(headerSecurityToken)); err != nil {
		return accessKey{}, err
	}
	return key, nil
}

// checkDate checks X-Sdk-Date against the clock.
func (s *Server) checkDate(date string) error {
	t, err := time.Parse(signer.BasicDateFormat, date)
	if err != nil {
		return errors.New("X-Sdk-Date is missing or malformed")
	}
	if d := s.now().Sub(t); d > maxClockSkew || d < -maxClockSkew {
		return errors.New("X-Sdk-Date is more than 15 minutes from the server time: check the clock")
	}
	return nil
}

// checkSignedHeaders insists that the date and any security token are signed.
func checkSignedHeaders(r *http.Request, signed []string) error {
	has := map[string]bool{}
	for _, h := range signed {
		has[h] = true
	}
	if !has["x-sdk-date"] {
		return errors.New("x-sdk-date is not a signed header")
	}
	if r.Header.Get(headerSecurityToken) != "" && !has["x-security-token"] {
		return errors.New("x-security-token is not a signed header")
	}
	return nil
}

// expectedAuthorization rebuilds the request as the SDK built it — only the
// signed headers, under canonical keys; query values as reflect.Values; the
// raw body bytes — and signs it with sk.
func (s *Server) expectedAuthorization(r *http.Request, body []byte, a authHeader, sk string) (string, error) {
	b := request.NewHttpRequestBuilder().
		WithEndpoint(s.URL).
		WithPath(r.URL.Path).
		WithMethod(r.Method).
		WithBody("", string(body))
	for _, h := range a.signedHeaders {
		b.AddHeaderParam(http.CanonicalHeaderKey(h), r.Header.Get(h))
	}
	for k, vs := range r.URL.Query() {
		if len(vs) == 1 {
			b.AddQueryParam(k, reflect.ValueOf(vs[0]))
		} else {
			b.AddQueryParam(k, reflect.ValueOf(vs))
		}
	}
	headers, err := signer.Signer{}.Sign(b.Build(), a.ak, sk)
	if err != nil {
		return "", err
	}
	return headers[signer.HeaderAuthorization], nil
}
