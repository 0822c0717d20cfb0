package api

import (
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestParseErrorBodyFormats(t *testing.T) {
	hdr := http.Header{"X-Request-Id": {"1a2b3c"}}
	cases := []struct {
		name, body, code, msg string
		status                int
	}{
		{"apig", `{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information"}`, "APIGW.0301", "Incorrect IAM authentication information", 401},
		{"cce", `{"errorCode":"CCE.01403001","errorMessage":"forbidden"}`, "CCE.01403001", "forbidden", 403},
		{"cce both forms", `{"errorCode":"CCE.01400013","errorMessage":"cluster is hibernating","error_code":"CCE_CM.0000","error_msg":"x"}`, "CCE_CM.0000", "x", 400},
		{"code/message", `{"code":"UCS.00120013","message":"no federation connection"}`, "UCS.00120013", "no federation connection", 400},
		{"nested keystone", `{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}`, "401", "The request you have made requires authentication.", 401},
		{"only message", `{"message":"Too many requests"}`, "", "Too many requests", 429},
		{"html", "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", "", "HTML error page: 502 Bad Gateway", 502},
		{"html no title", "<html><body>oops</body></html>", "", "HTML error page", 502},
		{"plain text", "upstream connect error\nor disconnect", "", "upstream connect error or disconnect", 503},
		{"empty", "", "", "", 403},
		{"json array", `[1,2]`, "", "[1,2]", 500},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := ParseErrorBody(tc.status, []byte(tc.body), hdr)
			if e.Status != tc.status || e.Code != tc.code || e.Message != tc.msg || e.RequestID != "1a2b3c" {
				t.Fatalf("got status=%d code=%q msg=%q req=%q; want %d %q %q", e.Status, e.Code, e.Message, e.RequestID, tc.status, tc.code, tc.msg)
			}
			if e.Retryable != (tc.status == 429 || tc.status >= 500) {
				t.Fatalf("retryable=%v for %d", e.Retryable, tc.status)
			}
		})
	}
}

func TestParseErrorBodyRetryAfter(t *testing.T) {
	e := ParseErrorBody(429, []byte(`{"error_code":"APIGW.0308","error_msg":"throttled"}`), http.Header{"Retry-After": {"2"}})
	if e.retryAfter != 2*time.Second || !e.Retryable {
		t.Fatalf("retryAfter=%v retryable=%v", e.retryAfter, e.Retryable)
	}
}

func TestParseErrorBodyScrubsKeyMaterialAndBoundsLength(t *testing.T) {
	body := `{"error_code":"X","error_msg":"bad key -----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIB\n-----END EC PRIVATE KEY----- end"}`
	e := ParseErrorBody(400, []byte(body), nil)
	if strings.Contains(e.Message, "MHcCAQEEIB") || !strings.Contains(e.Message, "[redacted]") {
		t.Fatalf("key material kept: %q", e.Message)
	}
	long := strings.Repeat("é", 5000)
	e = ParseErrorBody(500, []byte(long), nil)
	if n := utf8.RuneCountInString(e.Message); n > maxMessage+1 {
		t.Fatalf("message of %d runes", n)
	}
	e = ParseErrorBody(500, []byte("a\x00b\x1bc\xff"), nil)
	if strings.ContainsAny(e.Message, "\x00\x1b") || !utf8.ValidString(e.Message) {
		t.Fatalf("control or invalid bytes kept: %q", e.Message)
	}
}

func TestErrorTextAndHints(t *testing.T) {
	cases := []struct {
		e    Error
		want []string
	}{
		{Error{Op: "issue cert for", Target: "prod-web (cn-north-4)", Status: 403, Code: "CCE.01403001", Message: "forbidden", RequestID: "1a2b"},
			[]string{"issue cert for prod-web (cn-north-4): HTTP 403 CCE.01403001: forbidden (request 1a2b) — ", "cce:cluster:generateClientCredential"}},
		{Error{Op: "list projects", Status: 401, Code: "APIGW.0301", Message: "bad signature"}, []string{"list projects: HTTP 401", EnvAK, "clock"}},
		{Error{Op: "issue cert for", Target: "x", Status: 404}, []string{"HTTP 404: not found", "refresh the list"}},
		{Error{Op: "list clusters in", Target: "cn-east-3", Status: 429, Code: "APIGW.0308"}, []string{"throttled", "retry later"}},
		{Error{Op: "o", Status: 502}, []string{"HTTP 502: bad gateway", "retry"}},
		{Error{Op: "list clusters in", Target: "cn-east-3", Message: "timed out", timeout: true}, []string{"cn-east-3: timed out — region unreachable"}},
		{Error{Op: "o", Status: 400, Message: "cluster is hibernating"}, []string{"wake it up"}},
		{Error{Op: "o", Status: 400, Message: "m", Hint: "do this"}, []string{"— do this"}},
	}
	for _, tc := range cases {
		got := tc.e.Error()
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%q lacks %q", got, w)
			}
		}
	}
}

// FuzzParseErrorBody checks that no body or header panics the parser and
// that its output is bounded, single-line and free of PEM blocks.
func FuzzParseErrorBody(f *testing.F) {
	f.Add(401, []byte(`{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information"}`), "req-1")
	f.Add(400, []byte(`{"errorCode":"CCE.01400013","errorMessage":"hibernating"}`), "")
	f.Add(400, []byte(`{"code":"UCS.00120013","message":"no connection"}`), "x")
	f.Add(401, []byte(`{"error":{"code":401,"message":"auth","title":"Unauthorized"}}`), "")
	f.Add(502, []byte("<html><title>502</title></html>"), "")
	f.Add(500, []byte(""), "")
	f.Add(500, []byte(`{"error_code":{"x":1},"error_msg":[1]}`), "")
	f.Add(429, []byte("-----BEGIN PRIVATE KEY-----\nabc"), "r")
	f.Fuzz(func(t *testing.T, status int, body []byte, reqID string) {
		e := ParseErrorBody(status, body, http.Header{"X-Request-Id": {reqID}, "Retry-After": {reqID}})
		if e == nil {
			t.Fatal("nil error")
		}
		if utf8.RuneCountInString(e.Message) > maxMessage+1 || utf8.RuneCountInString(e.Code) > 65 {
			t.Fatalf("unbounded output: %d runes", utf8.RuneCountInString(e.Message))
		}
		if strings.ContainsAny(e.Message, "\n\r") || strings.Contains(e.Message, "-----BEGIN") {
			t.Fatalf("unsafe message %q", e.Message)
		}
		_ = e.Error()
	})
}
