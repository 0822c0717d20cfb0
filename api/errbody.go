package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxMessage bounds the length of a cloud message kept in an Error.
const maxMessage = 300

// errorFieldPairs are the (code, message) key pairs Huawei Cloud services use:
// APIG and most services, CCE, and the OpenStack/IAM style.
var errorFieldPairs = [...][2]string{
	{"error_code", "error_msg"},
	{"errorCode", "errorMessage"},
	{"code", "message"},
}

// ParseErrorBody turns an HTTP error response into an *Error (Op and Target
// left empty). It understands error_code/error_msg, errorCode/errorMessage
// and code/message, at the top level or one object deep ({"error":{...}}),
// and falls back to a short, single-line excerpt of a non-JSON body (an HTML
// page is named, not copied). The request id comes from X-Request-Id.
func ParseErrorBody(status int, body []byte, header http.Header) *Error {
	e := &Error{Status: status, Retryable: retryableStatus(status)}
	if header != nil {
		e.RequestID = sanitize(firstNonEmpty(header.Get("X-Request-Id"), header.Get("X-Openstack-Request-Id")), 80)
		if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
			e.retryAfter = retryAfterSeconds(header.Get("Retry-After"))
		}
	}
	code, msg, ok := parseErrorJSON(body)
	if ok {
		e.Code = sanitize(code, 64)
		e.Message = sanitize(msg, maxMessage)
		return e
	}
	e.Message = describeBody(body)
	return e
}

func parseErrorJSON(body []byte) (code, msg string, ok bool) {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return "", "", false
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(trimmed, &m); err != nil {
		return "", "", false
	}
	if code, msg, ok := pickPair(m); ok {
		return code, msg, true
	}
	for _, v := range m { // one level deep: {"error": {"code": .., "message": ..}}
		var inner map[string]json.RawMessage
		if json.Unmarshal(v, &inner) == nil {
			if code, msg, ok := pickPair(inner); ok {
				return code, msg, true
			}
		}
	}
	return "", "", false
}

func pickPair(m map[string]json.RawMessage) (code, msg string, ok bool) {
	for _, p := range errorFieldPairs {
		c, cok := jsonScalar(m[p[0]])
		s, sok := jsonScalar(m[p[1]])
		if cok || sok {
			if c != "" || s != "" {
				return c, s, true
			}
		}
	}
	return "", "", false
}

// jsonScalar reads a JSON string or number as text.
func jsonScalar(raw json.RawMessage) (string, bool) {
	if len(raw) == 0 {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String(), true
	}
	return "", false
}

var htmlTitle = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

// describeBody summarises a non-JSON error body.
func describeBody(body []byte) string {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return ""
	}
	lower := bytes.ToLower(trimmed[:min(len(trimmed), 512)])
	if bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.Contains(lower, []byte("<html")) {
		if m := htmlTitle.FindSubmatch(trimmed); m != nil {
			if t := sanitize(string(m[1]), 120); t != "" {
				return "HTML error page: " + t
			}
		}
		return "HTML error page"
	}
	return sanitize(string(trimmed), maxMessage)
}

var pemBlock = regexp.MustCompile(`-----BEGIN[^-]*-----[\s\S]*?(-----END[^-]*-----|$)`)

// sanitize makes cloud text safe to show: no PEM blocks, no control
// characters, one line, at most n runes.
func sanitize(s string, n int) string {
	if strings.Contains(s, "-----BEGIN") {
		s = pemBlock.ReplaceAllString(s, redacted)
		if i := strings.Index(s, "-----BEGIN"); i >= 0 {
			s = s[:i] + redacted
		}
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "?")
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > n {
		r := []rune(s)
		s = string(r[:n]) + "…"
	}
	return s
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}
