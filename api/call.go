package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// op names a call for errors: Op phrased to precede Target.
type op struct {
	name   string // "issue cert for"
	target string // "prod-web (cn-north-4)"
	hint   string // replaces the hint of a 400/404/409 answer when set
	// forbidden replaces the hint of a 403 answer when set: the permission
	// this call needs (the default names the certificate permission).
	forbidden string
	// unauthorized replaces the hint of a 401 answer when set.
	unauthorized string
	// mayHaveActed marks a call that issues or creates something (a
	// certificate, a federation connection, a revocation) and says what
	// to check when it failed after the request was sent. Such a call is
	// retried only when the cloud surely did not act: a 429, or a
	// connection that failed before the request was written.
	mayHaveActed string
}

// sdkCall runs one SDK invocation with the extra headers that bind it to
// its context (see callHeader).
type sdkCall func(headers map[string]string) error

// do runs fn under ctx with the retry policy. Each attempt is registered so
// the transport attaches ctx to the request and records the response. It
// returns the last attempt's record (request id) and an *Error on failure.
func (c *Client) do(ctx context.Context, o op, fn sdkCall) (callRecord, error) {
	if ctx.Err() != nil {
		return callRecord{}, c.interrupted(ctx, o, nil)
	}
	p := c.cfg.Retry
	for n := 1; ; n++ {
		a := c.calls.begin(ctx)
		err := fn(a.headers())
		rec := a.end()
		if err == nil {
			return rec, nil
		}
		e := c.classify(ctx, o, err, rec)
		if !o.retryable(e, rec) || n >= p.MaxAttempts || ctx.Err() != nil {
			return rec, o.settle(e, rec) // classify made it a context error if ctx ended
		}
		if p.Sleep(ctx, p.Backoff(n, e.retryAfter)) != nil || ctx.Err() != nil {
			return rec, o.settle(c.interrupted(ctx, o, e), rec)
		}
	}
}

// retryable reports whether a failed attempt may be repeated: any
// retryable failure for reads; for a call that issues or creates, only a
// 429 or a failure before the request was written.
func (o op) retryable(e *Error, rec callRecord) bool {
	if !e.Retryable {
		return false
	}
	if o.mayHaveActed == "" {
		return true
	}
	return e.Status == http.StatusTooManyRequests || (e.Status == 0 && !rec.written)
}

// settle adds, to the final error of a call that issues or creates, what
// to check when the cloud may have acted: the request was sent and no
// clear refusal came back (a timeout, a reset, a 5xx, the caller gave up,
// or a success whose answer could not be read, which surely acted).
func (o op) settle(e *Error, rec callRecord) *Error {
	if o.mayHaveActed == "" || !rec.written {
		return e
	}
	if e.Status == 0 || e.Status >= 500 || (e.Status >= 200 && e.Status < 300) {
		e.acted = o.mayHaveActed
	}
	return e
}

// interrupted is the error of a call whose context ended: a context error
// that still tells what the cloud last said, if anything.
func (c *Client) interrupted(ctx context.Context, o op, last *Error) *Error {
	if ctx.Err() == nil { // a Sleep that failed on its own
		return last
	}
	e := contextError(ctx)
	e.Op, e.Target = o.name, o.target
	if last != nil && last.Status > 0 {
		e.Message += " (last answer: " + strings.TrimSpace(fmt.Sprintf("HTTP %d %s", last.Status, last.Code)) + ")"
		e.RequestID = last.RequestID
	}
	return e
}

// failure builds an *Error for a local failure after a successful response
// (a kubeconfig that does not validate, a missing field).
func (o op) failure(rec callRecord, err error) *Error {
	return &Error{Op: o.name, Target: o.target, Message: err.Error(),
		RequestID: rec.requestID, Err: err}
}

// asError returns err as *Error when it is one.
func asError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
