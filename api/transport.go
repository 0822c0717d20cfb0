package api

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptrace"
	"strconv"
	"sync"
	"sync/atomic"
)

// callHeader ties an outgoing SDK request to the call that made it. The SDK's
// Sync methods take no context, so each call registers its context under an
// id and passes the id as an extra header; callTransport finds the context,
// attaches it to the request and strips the header before sending. The name
// holds an underscore, which the SDK's signer never signs, so removing it
// keeps the signature valid; the cloud never sees it.
const callHeader = "X_ccecert_call"

// maxErrorBody bounds the error body kept for ParseErrorBody.
const maxErrorBody = 64 << 10

// callRecord is what the transport saw of the last response of one attempt.
type callRecord struct {
	status    int
	requestID string
	header    http.Header
	body      []byte // error responses (status >= 400) only
	// written: the request's headers went onto a connection, so the cloud
	// may have received it and acted on it. An attempt that failed before
	// (dial, proxy CONNECT, TLS handshake) surely did not reach the cloud.
	written bool
}

// attempt is one registered SDK invocation.
type attempt struct {
	id     string
	ctx    context.Context
	cancel context.CancelFunc
	reg    *callRegistry

	mu  sync.Mutex
	rec callRecord
}

// callRegistry maps call ids to attempts. One per Client: no globals.
type callRegistry struct {
	next  atomic.Uint64
	calls sync.Map // id → *attempt
}

// begin registers an attempt whose requests run under ctx.
func (r *callRegistry) begin(ctx context.Context) *attempt {
	id := strconv.FormatUint(r.next.Add(1), 36)
	actx, cancel := context.WithCancel(ctx)
	a := &attempt{id: id, ctx: actx, cancel: cancel, reg: r}
	r.calls.Store(id, a)
	return a
}

// headers are the extra headers to give the SDK invoker.
func (a *attempt) headers() map[string]string { return map[string]string{callHeader: a.id} }

// end unregisters the attempt, releases its context and returns what the
// transport recorded. Call it after the SDK call returned (body read).
func (a *attempt) end() callRecord {
	a.reg.calls.Delete(a.id)
	a.cancel()
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.rec
}

func (a *attempt) record(resp *http.Response, body []byte) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.rec = callRecord{
		status:    resp.StatusCode,
		requestID: resp.Header.Get("X-Request-Id"),
		header:    resp.Header.Clone(),
		body:      body,
		written:   true,
	}
}

// markWritten notes that a request of the attempt was written to a
// connection (httptrace WroteHeaders).
func (a *attempt) markWritten() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.rec.written = true
}

// sharedTransport is the one HTTP transport of a Client: every SDK client
// (IAM, each project's CCE and VPC, UCS) sends through it, so connections
// pool per host whatever the service or project, and a host's kept-alive
// connection serves every later call to it. It is built on the first
// request, so the root pool New started loading has the time until then.
type sharedTransport struct {
	build func() *http.Transport
	once  sync.Once

	mu sync.Mutex
	tr *http.Transport
}

func (s *sharedTransport) get() *http.Transport {
	s.once.Do(func() {
		tr := s.build()
		s.mu.Lock()
		defer s.mu.Unlock()
		s.tr = tr
	})
	return s.tr
}

// RoundTrip implements http.RoundTripper.
func (s *sharedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return s.get().RoundTrip(req)
}

// CloseIdleConnections closes the idle connections, if any were opened.
func (s *sharedTransport) CloseIdleConnections() {
	s.mu.Lock()
	tr := s.tr
	s.mu.Unlock()
	if tr != nil {
		tr.CloseIdleConnections()
	}
}

// callTransport attaches each call's context to its requests and records
// the status, request id and error body of the responses; its trace
// starts the system roots' load at the right moment (rootsWarmer).
type callTransport struct {
	base  http.RoundTripper
	reg   *callRegistry
	roots rootsWarmer
}

// RoundTrip implements http.RoundTripper.
func (t *callTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	id := req.Header.Get(callHeader)
	if id == "" {
		return t.base.RoundTrip(req)
	}
	v, ok := t.reg.calls.Load(id)
	if !ok {
		// The call already ended (cannot happen for Sync calls); send it
		// bare rather than leak the header.
		out := req.Clone(req.Context())
		out.Header.Del(callHeader)
		return t.base.RoundTrip(out)
	}
	a := v.(*attempt)
	ctx, stop := mergeContexts(a.ctx, req.Context())
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteHeaders: a.markWritten,
		ConnectStart: t.roots.connectStart, ConnectDone: t.roots.connectDone, TLSHandshakeStart: t.roots.tlsStart})
	out := req.Clone(ctx)
	out.Header.Del(callHeader)
	resp, err := t.base.RoundTrip(out)
	if err != nil {
		stop()
		return nil, err
	}
	var body []byte
	if resp.StatusCode >= 400 {
		body, resp.Body = captureBody(resp.Body)
	}
	a.record(resp, body)
	resp.Body = &stopOnClose{ReadCloser: limitBody(resp.Body, bodyLimit(req)), stop: stop}
	return resp, nil
}

// mergeContexts returns a context ended by either parent: the call's
// (cancellation, deadline) or the request's (the http.Client timeout).
func mergeContexts(call, req context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(call)
	if dl, ok := req.Deadline(); ok {
		var cancelDL context.CancelFunc
		ctx, cancelDL = context.WithDeadline(ctx, dl)
		prev := cancel
		cancel = func(cause error) { cancelDL(); prev(cause) }
	}
	stopAfter := context.AfterFunc(req, func() {
		if errors.Is(req.Err(), context.DeadlineExceeded) {
			return // the copied deadline ends ctx itself, as DeadlineExceeded
		}
		cancel(context.Cause(req))
	})
	return ctx, func() { stopAfter(); cancel(context.Canceled) }
}

// captureBody reads up to maxErrorBody bytes of an error body and returns
// them with a replacement body serving the same bytes.
func captureBody(rc io.ReadCloser) ([]byte, io.ReadCloser) {
	data, _ := io.ReadAll(io.LimitReader(rc, maxErrorBody))
	_ = rc.Close()
	return data, io.NopCloser(bytes.NewReader(data))
}

// stopOnClose releases the request's merged context once the body is done.
type stopOnClose struct {
	io.ReadCloser
	once sync.Once
	stop func()
}

// Close closes the body, then releases the context.
func (s *stopOnClose) Close() error {
	err := s.ReadCloser.Close()
	s.once.Do(s.stop)
	return err
}
