package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Error is every failure of a cloud call: what was attempted, on what, and
// what the cloud (or the network) said. Its text says what to do next. It
// never holds the secret key, key material or a formatted SDK response.
type Error struct {
	// Op is what was attempted, phrased to precede Target
	// ("issue cert for", "list clusters in", "list projects").
	Op        string
	Target    string // "prod-web (cn-north-4)", "cn-east-3"; may be empty
	Status    int    // HTTP status; 0 when no response came back
	Code      string // the cloud's error code (CCE.01403001, APIGW.0308)
	Message   string // the cloud's message, or what went wrong locally
	RequestID string // X-Request-Id of the response, for support tickets
	Retryable bool   // the call may succeed when repeated later
	// Err is the underlying cause for errors.Is/As (context errors, network
	// errors); nil for HTTP error responses.
	Err error
	// Hint overrides the hint of the status class; empty for the default.
	Hint string

	retryAfter time.Duration
	timeout    bool
	// acted: the request of a call that issues or creates was sent and no
	// clear answer came back; what to check before trying again.
	acted string
}

// Error formats as `issue cert for prod-web (cn-north-4): HTTP 403
// CCE.01403001: forbidden (request 1a2b…) — <what to do>`.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Op)
	if e.Target != "" {
		b.WriteString(" " + e.Target)
	}
	b.WriteString(": ")
	if e.Status > 0 {
		fmt.Fprintf(&b, "HTTP %d", e.Status)
		if e.Code != "" {
			b.WriteString(" " + e.Code)
		}
		b.WriteString(": ")
	}
	msg := e.Message
	if msg == "" && e.Status > 0 {
		msg = strings.ToLower(http.StatusText(e.Status))
	}
	if msg == "" && e.Err != nil {
		msg = e.Err.Error()
	}
	b.WriteString(msg)
	if e.RequestID != "" {
		b.WriteString(" (request " + e.RequestID + ")")
	}
	if h := e.hint(); h != "" && (e.acted == "" || e.Status < 500 || e.Hint != "") {
		// (A bare "retry in a moment" would contradict what follows.)
		b.WriteString(" — " + h)
	}
	if e.acted != "" {
		b.WriteString(" — the request reached the cloud, so " + e.acted)
	}
	return b.String()
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Timeout reports whether the call ran out of time.
func (e *Error) Timeout() bool { return e.timeout }

// MayHaveActed reports whether a call that issues or creates failed after
// its request was sent, so the cloud may have acted on it (a certificate
// issued, a federation connection created): the error text says what to
// check. Such a call is not retried.
func (e *Error) MayHaveActed() bool { return e.acted != "" }

func (e *Error) hint() string {
	if e.Hint != "" {
		return e.Hint
	}
	switch {
	case errors.Is(e.Err, context.Canceled):
		return ""
	case e.timeout:
		return "region unreachable or too slow: check the network and the endpoint, then retry"
	case e.Status == http.StatusUnauthorized:
		return "check " + EnvAK + "/" + EnvSK + " (a valid, enabled access key) and that the system clock is right"
	case e.Status == http.StatusForbidden:
		return "grant this IAM user the CCE permission cce:cluster:generateClientCredential (and list rights) and access to this project"
	case e.Status == http.StatusNotFound:
		return "unknown cluster or fleet: refresh the list"
	case e.Status == http.StatusTooManyRequests:
		return "throttled by the cloud: retry later"
	case e.Status >= 500:
		return "cloud-side error: retry in a moment"
	case e.Status == http.StatusBadRequest && strings.Contains(strings.ToLower(e.Message), "hibernat"):
		return "the cluster is hibernating: wake it up in the CCE console, then fetch again"
	}
	return ""
}
