package api

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
)

// classify converts whatever an SDK call returned into an *Error. The
// transport's record is authoritative for HTTP errors: the SDK loses the
// status of non-JSON CCE error bodies (a bare *json.SyntaxError) and does not
// parse CCE-style bodies from other services. When ctx has ended the result
// is a context error (mentioning the last HTTP answer). SDK error values are
// never formatted into the result (their text can hold the raw response).
func (c *Client) classify(ctx context.Context, o op, err error, rec callRecord) *Error {
	var e *Error
	switch {
	case rec.status >= 400:
		e = ParseErrorBody(rec.status, rec.body, rec.header)
		e.RequestID = firstNonEmpty(e.RequestID, sanitize(rec.requestID, 80))
		if ra := parseRetryAfter(rec.header.Get("Retry-After"), c.now()); ra > 0 && e.Retryable {
			e.retryAfter = ra
		}
	case ctx.Err() != nil:
		return c.interrupted(ctx, o, nil)
	default:
		e = c.classifyLocal(err, rec)
	}
	e.Op, e.Target = o.name, o.target
	if o.hint != "" && (e.Status == http.StatusBadRequest || e.Status == http.StatusNotFound || e.Status == http.StatusConflict) {
		e.Hint = o.hint
	}
	if o.forbidden != "" && e.Status == http.StatusForbidden {
		e.Hint = o.forbidden
	}
	if e.Status == http.StatusUnauthorized && !c.keysRefused(e) && o.unauthorized != "" {
		e.Hint = o.unauthorized // (an expired key's hint wins over the call's own)
	}
	e.Message = c.scrub(e.Message)
	if ctx.Err() != nil {
		return c.interrupted(ctx, o, e)
	}
	return e
}

func contextError(ctx context.Context) *Error {
	err := ctx.Err()
	if errors.Is(err, context.DeadlineExceeded) {
		return &Error{Message: "timed out", Err: err, timeout: true}
	}
	return &Error{Message: "cancelled", Err: err}
}

// classifyLocal handles errors without an HTTP error status: network
// failures, timeouts, undecodable success bodies, SDK build errors.
func (c *Client) classifyLocal(err error, rec callRecord) *Error {
	var (
		sre    *sdkerr.ServiceResponseError
		syn    *json.SyntaxError
		typ    *json.UnmarshalTypeError
		urlErr *url.Error
		netErr net.Error
	)
	switch {
	case errors.As(err, &sre):
		// Reached only when the transport saw no error status: a 2xx
		// body the SDK could not decode, or an SDK-side failure.
		e := &Error{Status: firstNonZero(rec.status, sre.StatusCode), RequestID: firstNonEmpty(rec.requestID, sre.RequestId)}
		if e.Status >= 400 {
			e.Code, e.Message, e.Retryable = sanitize(sre.ErrorCode, 64), sanitize(sre.ErrorMessage, maxMessage), retryableStatus(e.Status)
		} else {
			e.Message = "the cloud's response could not be read: update ccecert or report it"
		}
		return e
	case errors.As(err, &syn), errors.As(err, &typ):
		return &Error{Status: rec.status, RequestID: rec.requestID,
			Message: "the cloud's response is not the JSON expected: update ccecert or report it"}
	case errors.Is(err, errBodyTooLarge):
		return &Error{Status: rec.status, RequestID: rec.requestID, Message: sanitize(err.Error(), maxMessage), Err: err}
	case errors.As(err, &urlErr):
		return networkError(urlErr)
	case errors.As(err, &netErr) && netErr.Timeout():
		// The status came, the body did not in time (a trickling answer).
		return &Error{Message: "timed out while the answer was arriving", Err: err, Retryable: true, timeout: true}
	}
	return &Error{Message: sanitize(err.Error(), maxMessage), Err: err}
}

// networkError classifies a transport failure; only timeouts and resets are
// retried.
func networkError(u *url.Error) *Error {
	var (
		unknownCA x509.UnknownAuthorityError
		hostErr   x509.HostnameError
		dnsErr    *net.DNSError
	)
	switch {
	case u.Timeout():
		return &Error{Message: "request timed out", Err: u, Retryable: true, timeout: true}
	case errors.Is(u, syscall.ECONNRESET), errors.Is(u, io.EOF), errors.Is(u, io.ErrUnexpectedEOF),
		strings.Contains(u.Err.Error(), "connection reset"):
		return &Error{Message: "connection reset by the server", Err: u, Retryable: true}
	case errors.As(u, &unknownCA), errors.As(u, &hostErr):
		return &Error{Message: "the endpoint's TLS certificate is not trusted", Err: u,
			Hint: "set " + EnvCAFile + " to the endpoint's CA, or check " + EnvEndpoint}
	case errors.Is(u, syscall.ECONNREFUSED):
		return &Error{Message: "connection refused", Err: u,
			Hint: "nothing listens at the endpoint: check " + EnvEndpoint + " and the network"}
	case errors.As(u, &dnsErr):
		return &Error{Message: "cannot resolve " + dnsErr.Name, Err: u, Hint: noSuchHostHint}
	case strings.Contains(u.Err.Error(), "no such host"):
		// Through a proxy, a failed lookup comes back as the CONNECT's
		// status text.
		return &Error{Message: "cannot resolve " + urlHost(u.URL) + " (reported by the proxy)", Err: u, Hint: noSuchHostHint}
	}
	return &Error{Message: "network error: " + sanitize(u.Err.Error(), maxMessage), Err: u}
}

// noSuchHostHint is the hint of a host that does not resolve.
const noSuchHostHint = "no such host: check the network and DNS, the site (" + EnvSite +
	") and region, and any endpoint override"

// urlHost is the host of a request URL, for messages.
func urlHost(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Hostname()
	}
	return "the endpoint"
}

// CodeTokenExpired is the gateway's 401 "The token must be updated." (API
// signing guide, error codes,
// https://support.huaweicloud.com/devg-apisign/api-sign-errorcode.html).
// That the gateway answers it for the expired security token of temporary
// AK/SK is unconfirmed: any 401 to temporary keys is treated alike.
const CodeTokenExpired = "APIGW.0307"

// keysRefused explains a 401: with temporary keys (or the token-expired
// code) the keys expired, ErrKeysExpired, never retried, and the source
// is told to drop them so the next call fetches new ones; with a named
// source, the hint says which source to renew. It reports whether the keys
// expired.
func (c *Client) keysRefused(e *Error) bool {
	last := c.cfg.signed.lastKeys()
	expired := e.Code == CodeTokenExpired || last.Temporary()
	src := c.cfg.Keys
	if expired {
		e.Err, e.Retryable = ErrKeysExpired, false
		if inv, ok := src.(KeyInvalidator); ok {
			inv.Invalidate(last)
		}
	}
	switch {
	case src != nil && expired:
		e.Hint = "the temporary keys of credential source " + src.Describe() + " expired or were refused: renew them at the source (ccecert asks it again on the next call); check the system clock"
	case src != nil && src.Describe() != "env": // (env: the default hint names the variables)
		e.Hint = "credential source " + src.Describe() + " gave keys the cloud refuses: renew or fix them there (a valid, enabled access key); check the system clock"
	case expired:
		e.Hint = "the temporary keys in " + EnvAK + "/" + EnvSK + "/" + EnvSecurityToken + " expired or were refused: get new ones; check the system clock"
	}
	return expired
}

// scrub removes the secret keys from text that came from outside, should a
// server ever echo them.
func (c *Client) scrub(s string) string {
	if sk := string(c.cfg.SK.Reveal()); len(sk) >= 8 && strings.Contains(s, sk) {
		s = strings.ReplaceAll(s, sk, redacted)
	}
	return c.cfg.signed.scrub(s)
}

func firstNonZero(vals ...int) int {
	for _, v := range vals {
		if v != 0 {
			return v
		}
	}
	return 0
}
