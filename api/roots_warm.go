package api

import (
	"crypto/x509"
	"sync"
	"sync/atomic"
)

// warmSystemRoots has crypto/x509 load the system roots in the background,
// once a process (its own cache is process-wide); a verification before
// it ends waits for it, as it would without.
var warmSystemRoots = sync.OnceFunc(func() {
	go func() { _, _ = x509.SystemCertPool() }()
})

// rootsWarmer starts the load of the system roots (about 15 ms of parsing
// on Debian, which has crypto/x509 read its bundle and its directory)
// once every connection being opened has started its TLS handshake: the
// quiet moment of a refresh, when each handshake waits a round trip for
// its server. Started at the first handshake instead, it ran beside the
// other ClientHellos, and the last of 31 left up to 15 ms late. A
// connection that never reaches its handshake (a refused CONNECT, a
// plain-HTTP endpoint) leaves the load to crypto/x509's own, at the first
// verification.
type rootsWarmer struct {
	opening atomic.Int32
	warm    func() // nil: warmSystemRoots
}

// connectStart counts a connection being opened (httptrace.ConnectStart).
func (w *rootsWarmer) connectStart(string, string) { w.opening.Add(1) }

// connectDone lets a failed dial go (httptrace.ConnectDone).
func (w *rootsWarmer) connectDone(_, _ string, err error) {
	if err != nil {
		w.opened()
	}
}

// tlsStart is a connection's handshake starting (httptrace.TLSHandshakeStart).
func (w *rootsWarmer) tlsStart() { w.opened() }

func (w *rootsWarmer) opened() {
	if w.opening.Add(-1) > 0 {
		return
	}
	if w.warm != nil {
		w.warm()
		return
	}
	warmSystemRoots()
}
