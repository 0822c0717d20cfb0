package api

import (
	"context"
	"errors"
	"fmt"
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
		if !e.Retryable || n >= p.MaxAttempts || ctx.Err() != nil {
			return rec, e // classify made it a context error if ctx ended
		}
		if p.Sleep(ctx, p.Backoff(n, e.retryAfter)) != nil || ctx.Err() != nil {
			return rec, c.interrupted(ctx, o, e)
		}
	}
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
