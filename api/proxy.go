package api

import (
	"net/http"
	"net/url"

	"golang.org/x/net/http/httpproxy"
)

// proxyFunc is the proxy of every cloud call: HTTPS_PROXY / HTTP_PROXY and
// NO_PROXY (and their lower-case forms), read through getenv when the
// Client is built — the same rules as net/http's ProxyFromEnvironment,
// which reads the process environment once and for all. Requests to
// loopback hosts (the emulator's CCECERT_ENDPOINT) are never proxied.
func proxyFunc(getenv func(string) string) func(*http.Request) (*url.URL, error) {
	pick := func(upper, lower string) string {
		if v := getenv(upper); v != "" {
			return v
		}
		return getenv(lower)
	}
	cfg := httpproxy.Config{
		HTTPProxy:  pick("HTTP_PROXY", "http_proxy"),
		HTTPSProxy: pick("HTTPS_PROXY", "https_proxy"),
		NoProxy:    pick("NO_PROXY", "no_proxy"),
	}
	fn := cfg.ProxyFunc()
	return func(req *http.Request) (*url.URL, error) { return fn(req.URL) }
}
