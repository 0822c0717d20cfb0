package emulator

import (
	"fmt"
	"net"
	"time"
)

// DefaultAddr is where the emulator listens when Options.Addr is empty.
const DefaultAddr = "127.0.0.1:0"

// Options configure Start. The zero value serves the demo inventory on
// 127.0.0.1 with a random port and no faults.
type Options struct {
	// Addr is host:port; the host must be loopback: 127.0.0.1, ::1 or
	// localhost (which means 127.0.0.1). Anything else is refused.
	Addr string
	// Inventory is what to serve; nil means DemoInventory.
	Inventory *Inventory
	// Clusters and Regions, when Clusters > 0, replace Inventory with
	// Synthetic(Clusters, Regions).
	Clusters, Regions int
	// Faults are injected into API requests (not the per-cluster servers).
	Faults Faults
	// Now is the clock for certificates, X-Sdk-Date checks and the
	// per-cluster servers' certificate checks; default time.Now.
	Now func() time.Time
	// Site is the site the main account plays (huaweicloud,
	// huaweicloud-eu, otc); empty means the inventory's (default
	// huaweicloud). International makes it a Huawei Cloud International
	// account. The `ccecert emulator serve --site` flag sets these.
	Site          string
	International bool
	// Proxy also serves the sites' real host names as an HTTPS proxy
	// (Server.ProxyURL, for HTTPS_PROXY) on ProxyAddr (loopback; default
	// 127.0.0.1:0). It never resolves or dials a host: every tunnel ends
	// in the emulator.
	Proxy     bool
	ProxyAddr string
	// Network is what a new connection costs (TCP connect, TLS handshake)
	// on top of Faults.Latency; see NetModel. Server.SetNetwork changes it.
	Network NetModel
	// TempKeyLifetime, when set, is the lifetime of the temporary keys
	// IAM mints for federated users (POST /v3.0/OS-CREDENTIAL/securitytokens),
	// whatever duration_seconds asks (the real floor is 15 minutes): an
	// emulator-only knob for tests of renewal. Once expired, the keys are
	// refused with 401 APIGW.0307 (tempkeys.go).
	TempKeyLifetime time.Duration
}

// Faults are injected into API requests. The zero value injects none.
type Faults struct {
	Latency    time.Duration // fixed delay per API request: before serving it, or under a NetModel before answering it
	Jitter     time.Duration // plus a uniform random delay in [0, Jitter)
	ErrorRate  float64       // fraction of API requests answered 500 (CCE-style body)
	TooMany    int           // the next TooMany API requests are answered 429 APIGW.0308
	RetryAfter time.Duration // Retry-After of those 429s, rounded up to seconds; default 1s
	// HangRegions: requests for a project of these regions never answer
	// until the client gives up or the server closes.
	HangRegions []string
	ResetRate   float64 // fraction of API requests whose connection is reset
	// LegacyOnlyRegions: the gateway of these regions does not publish
	// POST clustercert, so it answers 404 APIGW.0101 (clients fall back to
	// the legacy GET).
	LegacyOnlyRegions []string
	// TrickleRegions: answers for a project of these regions send their
	// status and headers at once and the body one byte per 50 ms (a
	// client with a timeout gives up half-way).
	TrickleRegions []string
	// IgnoreExpireAt plays a CCE that predates expire_at: it issues for
	// the duration sent beside it.
	IgnoreExpireAt bool
}

// clone copies f so the caller's slice cannot change under the server.
func (f Faults) clone() Faults {
	f.HangRegions = append([]string(nil), f.HangRegions...)
	f.LegacyOnlyRegions = append([]string(nil), f.LegacyOnlyRegions...)
	f.TrickleRegions = append([]string(nil), f.TrickleRegions...)
	return f
}

// loopbackAddr checks that addr is a loopback host:port and returns it with
// localhost replaced by 127.0.0.1.
func loopbackAddr(addr string) (string, error) {
	if addr == "" {
		return DefaultAddr, nil
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("emulator address %q: %w (use host:port, e.g. %s)", addr, err, DefaultAddr)
	}
	switch host {
	case "127.0.0.1", "::1":
	case "localhost":
		host = "127.0.0.1"
	default:
		return "", fmt.Errorf("emulator address %q is not loopback: the emulator listens only on 127.0.0.1, ::1 or localhost", addr)
	}
	return net.JoinHostPort(host, port), nil
}
