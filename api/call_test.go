package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/sdkerr"
)

// fakeAnswer makes fn behave as if the transport had seen status.
func fakeAnswer(c *Client, h map[string]string, status int, body string, hdr http.Header) error {
	v, _ := c.calls.calls.Load(h[callHeader])
	if hdr == nil {
		hdr = http.Header{}
	}
	v.(*attempt).record(&http.Response{StatusCode: status, Header: hdr}, []byte(body))
	return errors.New("sdk error")
}

func newRetryClient(t *testing.T, sl *sleepLog) *Client {
	t.Helper()
	c, err := New(Config{AK: "AK", SK: Secret("SK"), Retry: RetryPolicy{
		MaxAttempts: 4, BaseBackoff: 100 * time.Millisecond, MaxBackoff: 2 * time.Second,
		Sleep: sl.sleep, Jitter: func(n time.Duration) time.Duration { return n / 2 },
	}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestDoNeverRetriesAuthErrors(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404} {
		sl := &sleepLog{}
		c := newRetryClient(t, sl)
		calls := 0
		_, err := c.do(context.Background(), op{name: "x"}, func(h map[string]string) error {
			calls++
			return fakeAnswer(c, h, status, `{"error_code":"E","error_msg":"m"}`, nil)
		})
		e, ok := asError(err)
		if !ok || e.Status != status || calls != 1 || len(sl.all()) != 0 {
			t.Fatalf("status %d: %d calls, %d sleeps, err %v", status, calls, len(sl.all()), err)
		}
	}
}

func TestDoRetriesThrottlingWithRetryAfter(t *testing.T) {
	sl := &sleepLog{}
	c := newRetryClient(t, sl)
	calls := 0
	rec, err := c.do(context.Background(), op{name: "x"}, func(h map[string]string) error {
		calls++
		if calls <= 2 {
			return fakeAnswer(c, h, 429, `{"error_code":"APIGW.0308","error_msg":"throttled"}`, http.Header{"Retry-After": {"1"}})
		}
		v, _ := c.calls.calls.Load(h[callHeader])
		v.(*attempt).record(&http.Response{StatusCode: 200, Header: http.Header{"X-Request-Id": {"ok-1"}}}, nil)
		return nil
	})
	if err != nil || calls != 3 || rec.requestID != "ok-1" {
		t.Fatalf("err %v after %d calls", err, calls)
	}
	if w := sl.all(); len(w) != 2 || w[0] != time.Second || w[1] != time.Second {
		t.Fatalf("waits %v, want the server's Retry-After twice", w)
	}
}

func TestDoBacksOffExponentiallyAndGivesUp(t *testing.T) {
	sl := &sleepLog{}
	c := newRetryClient(t, sl)
	calls := 0
	_, err := c.do(context.Background(), op{name: "x"}, func(h map[string]string) error {
		calls++
		return fakeAnswer(c, h, 503, "", nil)
	})
	if e, ok := asError(err); !ok || e.Status != 503 || calls != 4 {
		t.Fatalf("%d calls, err %v", calls, err)
	}
	want := []time.Duration{50 * time.Millisecond, 100 * time.Millisecond, 200 * time.Millisecond}
	got := sl.all()
	if len(got) != len(want) {
		t.Fatalf("waits %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("waits %v, want %v", got, want)
		}
	}
}

func TestDoStopsWhenContextEnds(t *testing.T) {
	sl := &sleepLog{}
	c := newRetryClient(t, sl)
	ctx, cancel := context.WithCancel(context.Background())
	calls := 0
	_, err := c.do(ctx, op{name: "x"}, func(h map[string]string) error {
		calls++
		cancel()
		return fakeAnswer(c, h, 503, "", nil)
	})
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Fatalf("%d calls, err %v", calls, err)
	}
	// Already cancelled: no attempt at all.
	calls = 0
	_, err = c.do(ctx, op{name: "x"}, func(map[string]string) error { calls++; return nil })
	if calls != 0 || !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled ctx made %d calls: %v", calls, err)
	}
}

func TestDoCancelledWhileWaitingToRetry(t *testing.T) {
	c, err := New(Config{AK: "AK", SK: Secret("SK")}) // the real, context-aware sleep
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	calls := 0
	_, err = c.do(ctx, op{name: "list projects"}, func(h map[string]string) error {
		calls++
		return fakeAnswer(c, h, 429, `{"error_code":"APIGW.0308","error_msg":"throttled"}`, http.Header{"Retry-After": {"60"}})
	})
	ae, ok := asError(err)
	if !ok || !errors.Is(err, context.DeadlineExceeded) || calls != 1 || !strings.Contains(ae.Message, "HTTP 429 APIGW.0308") {
		t.Fatalf("%d calls, err %v", calls, err)
	}
}

// A success whose answer cannot be read surely acted: an issuing call
// says so and is not repeated (a trickling answer cut by the timeout can
// end either as a timeout or as a short body, depending on timing).
func TestDoIssuingCallWithUnreadableSuccessSaysItMayHaveActed(t *testing.T) {
	sl := &sleepLog{}
	c := newRetryClient(t, sl)
	calls := 0
	_, err := c.do(context.Background(), op{name: "issue cert for", mayHaveActed: certIssuedHint}, func(h map[string]string) error {
		calls++
		v, _ := c.calls.calls.Load(h[callHeader])
		a := v.(*attempt)
		a.markWritten()
		a.record(&http.Response{StatusCode: 200, Header: http.Header{}}, nil)
		return &sdkerr.ServiceResponseError{StatusCode: 200, ErrorMessage: "unexpected end of JSON input"}
	})
	e, ok := asError(err)
	if !ok || !e.MayHaveActed() || !strings.Contains(err.Error(), "a certificate may have been issued") || calls != 1 {
		t.Fatalf("%d calls, err %v: want one call and an error that says a certificate may have been issued", calls, err)
	}
}
