package api

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeRT answers from a function and remembers what it was sent.
type fakeRT struct {
	fn func(*http.Request) (*http.Response, error)
}

func (f fakeRT) RoundTrip(r *http.Request) (*http.Response, error) { return f.fn(r) }

func response(status int, body string, hdr http.Header) *http.Response {
	if hdr == nil {
		hdr = http.Header{}
	}
	return &http.Response{StatusCode: status, Header: hdr, Body: io.NopCloser(strings.NewReader(body))}
}

func TestCallTransportStripsHeaderAndRecords(t *testing.T) {
	reg := &callRegistry{}
	var sawHeader bool
	tr := &callTransport{reg: reg, base: fakeRT{fn: func(r *http.Request) (*http.Response, error) {
		sawHeader = r.Header.Get(callHeader) != ""
		return response(502, "<html><title>Bad Gateway</title></html>", http.Header{"X-Request-Id": {"req-9"}}), nil
	}}}
	a := reg.begin(context.Background())
	req, _ := http.NewRequest(http.MethodGet, "https://example.invalid/x", nil)
	for k, v := range a.headers() {
		req.Header.Add(k, v)
	}
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	rec := a.end()
	if sawHeader {
		t.Fatal("the call header reached the server")
	}
	if req.Header.Get(callHeader) == "" {
		t.Fatal("RoundTrip modified the caller's request")
	}
	if rec.status != 502 || rec.requestID != "req-9" || string(rec.body) != string(body) || len(body) == 0 {
		t.Fatalf("record %+v, body %q", rec, body)
	}
	if _, ok := reg.calls.Load(a.id); ok {
		t.Fatal("attempt still registered after end")
	}
}

func TestCallTransportAttachesCallContext(t *testing.T) {
	reg := &callRegistry{}
	started := make(chan struct{})
	tr := &callTransport{reg: reg, base: fakeRT{fn: func(r *http.Request) (*http.Response, error) {
		close(started)
		<-r.Context().Done() // a hanging server: only the context ends it
		return nil, r.Context().Err()
	}}}
	ctx, cancel := context.WithCancel(context.Background())
	a := reg.begin(ctx)
	req, _ := http.NewRequest(http.MethodGet, "https://example.invalid/x", nil) // no context, as the SDK builds it
	req.Header.Set(callHeader, a.id)
	errc := make(chan error, 1)
	go func() { _, err := tr.RoundTrip(req); errc <- err }()
	<-started
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("RoundTrip after cancel = %v, want context.Canceled", err)
	}
	a.end()
}

func TestCallTransportHonoursRequestDeadline(t *testing.T) {
	reg := &callRegistry{}
	tr := &callTransport{reg: reg, base: fakeRT{fn: func(r *http.Request) (*http.Response, error) {
		if _, ok := r.Context().Deadline(); !ok {
			return nil, errors.New("request deadline lost")
		}
		<-r.Context().Done()
		return nil, r.Context().Err()
	}}}
	a := reg.begin(context.Background())
	defer a.end()
	rctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(rctx, http.MethodGet, "https://example.invalid/x", nil)
	req.Header.Set(callHeader, a.id)
	if _, err := tr.RoundTrip(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("RoundTrip = %v, want the request's deadline", err)
	}
}

func TestCallTransportConcurrentRecordsStaySeparate(t *testing.T) {
	reg := &callRegistry{}
	tr := &callTransport{reg: reg, base: fakeRT{fn: func(r *http.Request) (*http.Response, error) {
		n, _ := strconv.Atoi(r.URL.Query().Get("n"))
		return response(400+n%100, "", http.Header{"X-Request-Id": {r.URL.Query().Get("n")}}), nil
	}}}
	var wg sync.WaitGroup
	for i := range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := reg.begin(context.Background())
			req, _ := http.NewRequest(http.MethodGet, "https://example.invalid/x?n="+strconv.Itoa(i), nil)
			req.Header.Set(callHeader, a.id)
			resp, err := tr.RoundTrip(req)
			if err == nil {
				_ = resp.Body.Close()
			}
			rec := a.end()
			if rec.status != 400+i%100 || rec.requestID != strconv.Itoa(i) {
				t.Errorf("call %d got record %d/%s", i, rec.status, rec.requestID)
			}
		}()
	}
	wg.Wait()
}

func TestClassify(t *testing.T) {
	c, err := New(Config{AK: "AK", SK: Secret("the-secret-key-123")})
	if err != nil {
		t.Fatal(err)
	}
	o := op{name: "issue cert for", target: "prod (cn-north-4)"}
	bg := context.Background()

	// A non-JSON CCE error body: the SDK returns a bare *json.SyntaxError.
	var syn *json.SyntaxError
	synErr := json.Unmarshal([]byte("<html>"), &struct{}{})
	if !errors.As(synErr, &syn) {
		t.Fatal("setup: not a syntax error")
	}
	e := c.classify(bg, o, synErr, callRecord{status: 502, requestID: "r1", body: []byte("<html><title>502 Bad Gateway</title></html>")})
	if e.Status != 502 || e.RequestID != "r1" || !e.Retryable || !strings.Contains(e.Error(), "HTTP 502") {
		t.Fatalf("syntax error with recorded 502: %+v", e)
	}
	e = c.classify(bg, o, synErr, callRecord{status: 403})
	if e.Status != 403 || e.Retryable || !strings.Contains(e.Error(), "generateClientCredential") {
		t.Fatalf("empty 403: %v", e)
	}

	timeout := &url.Error{Op: "Post", URL: "https://x", Err: &net.OpError{Op: "dial", Err: timeoutErr{}}}
	if e := c.classify(bg, o, timeout, callRecord{}); !e.Retryable || !e.Timeout() {
		t.Fatalf("timeout: %+v", e)
	}
	reset := &url.Error{Op: "Post", URL: "https://x", Err: errors.New("read: connection reset by peer")}
	if e := c.classify(bg, o, reset, callRecord{}); !e.Retryable {
		t.Fatalf("reset: %+v", e)
	}
	refused := &url.Error{Op: "Post", URL: "https://x", Err: errors.New("connection refused")}
	if e := c.classify(bg, o, refused, callRecord{}); e.Retryable {
		t.Fatalf("a refused connection is not retried: %+v", e)
	}

	ctx, cancel := context.WithCancel(bg)
	cancel()
	if e := c.classify(ctx, o, errors.New("x"), callRecord{status: 503}); e.Retryable || !errors.Is(e, context.Canceled) ||
		!strings.Contains(e.Error(), "cancelled (last answer: HTTP 503)") {
		t.Fatalf("cancelled: %+v", e)
	}

	// The SK never survives into a message, even if a server echoes it.
	e = c.classify(bg, o, synErr, callRecord{status: 400, body: []byte(`{"error_msg":"bad key the-secret-key-123"}`)})
	if strings.Contains(e.Error(), "the-secret-key-123") {
		t.Fatalf("SK leaked: %v", e)
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }
