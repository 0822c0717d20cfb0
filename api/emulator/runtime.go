package emulator

import (
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"sync"
	"time"
)

// targetRuntime is the live state of one cluster or fleet: its CA (created
// on first use), its Kubernetes API servers (started on first use, then at
// the same addresses for the server's life), and the certificates it issued
// and revoked.
type targetRuntime struct {
	s *Server
	runtimeSpec

	caOnce sync.Once
	ca     *authority
	caErr  error

	leafOnce sync.Once
	leaf     *tls.Certificate
	leafErr  error

	mitmCAOnce sync.Once
	mitmCA     *authority
	mitmCAErr  error
	mitmOnce   sync.Once
	mitmLeaf   *tls.Certificate
	mitmErr    error

	startOnce sync.Once
	startErr  error
	urls      []string // internal, then external
	servers   []*http.Server
	// want are the addresses to listen on (host:port, internal first), kept
	// from an earlier run; a port taken since falls back to a new one.
	want []string
	// changed, when set, is called after each change worth keeping
	// (an issue, a token, a revoke): the demo saves its state then.
	changed func()

	mu      sync.Mutex
	seq     uint64
	issued  map[string]issueRecord // serial → record
	revoked map[string]uint64      // user → last seq revoked
	tokens  map[string]bool        // SHA-256 (hex) of the bearer tokens issued (token fleets)
	// connected: a fleet's federation connection exists (UCS POST cert).
	connected bool
	rendered  []byte // a cluster's JSON, once its endpoints are known
}

type issueRecord struct {
	user string
	seq  uint64
}

// clusterRuntime returns the runtime of a cluster, creating it on first use.
func (s *Server) clusterRuntime(c *Cluster) (*targetRuntime, error) {
	listeners := 1
	if c.EIP {
		listeners = 2
	}
	return s.runtime(s.clusters, c.ID, runtimeSpec{
		name: c.Name, gitVersion: c.GitVersion, listeners: listeners,
		customSANs: c.CustomSANs, mitm: c.EIP && c.MITM,
	})
}

// fleetRuntime returns the runtime of a fleet's federation API server.
func (s *Server) fleetRuntime(f *Fleet) (*targetRuntime, error) {
	return s.runtime(s.fleets, f.ID, runtimeSpec{name: f.Name, gitVersion: fleetGitVersion, listeners: 1})
}

// fleetGitVersion is what a federation API server reports on /version.
const fleetGitVersion = "v1.29.1-r0"

// runtimeSpec is what a target's runtime is made from, fixed at creation.
type runtimeSpec struct {
	name       string
	gitVersion string
	listeners  int      // 2 with an EIP (internal and external), else 1
	customSANs []string // the serving certificate's custom SANs
	mitm       bool     // the external listener presents a foreign CA's certificate
}

func (s *Server) runtime(m map[string]*targetRuntime, id string, spec runtimeSpec) (*targetRuntime, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errors.New("emulator is closed")
	}
	rt, ok := m[id]
	if !ok {
		rt = &targetRuntime{
			s: s, runtimeSpec: spec,
			issued: map[string]issueRecord{}, revoked: map[string]uint64{}, tokens: map[string]bool{},
		}
		m[id] = rt
	}
	return rt, nil
}

// authority returns the target's CA, creating it on first use.
func (rt *targetRuntime) authority() (*authority, error) {
	rt.caOnce.Do(func() {
		rt.ca, rt.caErr = newAuthority(rt.name+" CA", rt.s.now())
	})
	return rt.ca, rt.caErr
}

// endpoints starts the target's API servers on first use and returns their
// URLs: internal first, then external when the target has an EIP.
func (rt *targetRuntime) endpoints() ([]string, error) {
	rt.startOnce.Do(func() { rt.startErr = rt.start() })
	return rt.urls, rt.startErr
}

// start serves the internal listener on InternalHost and, with an EIP, the
// external one on EIPHost; both present the one serving certificate, unless
// the external one plays a man in the middle.
func (rt *targetRuntime) start() error {
	for i := range rt.listeners {
		want := ""
		if i < len(rt.want) {
			want = rt.want[i]
		}
		ln, err := listenAPI(i == 1, want)
		if err != nil {
			return fmt.Errorf("start API server of %s: %w", rt.name, err)
		}
		cfg := &tls.Config{
			GetCertificate: rt.servingCert,
			// Certificates are checked by the handler, so a bad one gets a
			// Kubernetes 401 rather than a failed handshake.
			ClientAuth: tls.RequestClientCert,
			MinVersion: tls.VersionTLS12,
		}
		if i == 1 && rt.mitm {
			cfg.GetCertificate = rt.mitmCert
		}
		srv := &http.Server{Handler: rt, ReadHeaderTimeout: 30 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
		if !rt.s.track() {
			_ = ln.Close()
			return errors.New("emulator is closed")
		}
		rt.urls = append(rt.urls, "https://"+ln.Addr().String())
		rt.servers = append(rt.servers, srv)
		tlsLn := tls.NewListener(ln, cfg)
		go func() {
			defer rt.s.wg.Done()
			_ = srv.Serve(tlsLn)
		}()
	}
	return nil
}

// track counts a server goroutine about to start, unless the emulator is
// closing.
func (s *Server) track() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.wg.Add(1)
	return true
}

// close stops the target's API servers.
func (rt *targetRuntime) close() error {
	rt.startOnce.Do(func() { rt.startErr = errors.New("emulator is closed") })
	var errs []error
	for _, srv := range rt.servers {
		errs = append(errs, srv.Close())
	}
	return errors.Join(errs...)
}

// issue mints a client certificate for user valid until notAfter.
func (rt *targetRuntime) issue(user string, notAfter time.Time) (*clientCert, *authority, error) {
	ca, err := rt.authority()
	if err != nil {
		return nil, nil, err
	}
	cc, err := ca.issueClient(user, rt.s.now(), notAfter)
	if err != nil {
		return nil, nil, err
	}
	rt.record(cc, user)
	return cc, ca, nil
}

// record notes a certificate issued to user, so it authenticates until
// revoked.
func (rt *targetRuntime) record(cc *clientCert, user string) {
	rt.mu.Lock()
	rt.seq++
	rt.issued[cc.cert.SerialNumber.String()] = issueRecord{user: user, seq: rt.seq}
	rt.mu.Unlock()
	rt.notify()
}

// issueToken returns a new bearer token for the target. Only its hash is
// kept.
func (rt *targetRuntime) issueToken() string {
	tok := randomString(48, mixedAlnum)
	rt.mu.Lock()
	rt.tokens[tokenHash(tok)] = true
	rt.mu.Unlock()
	rt.notify()
	return tok
}

// tokenHash is how a bearer token is kept: SHA-256, hex.
func tokenHash(tok string) string {
	sum := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(sum[:])
}

// revoke revokes every certificate issued so far to user.
func (rt *targetRuntime) revoke(user string) {
	rt.mu.Lock()
	rt.revoked[user] = rt.seq
	rt.mu.Unlock()
	rt.notify()
}

// notify tells the state keeper, if any, that the runtime changed.
func (rt *targetRuntime) notify() {
	if rt.changed != nil {
		rt.changed()
	}
}

// revokedCert reports whether cert was revoked or was never issued here.
func (rt *targetRuntime) revokedCert(cert *x509.Certificate) bool {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	rec, ok := rt.issued[cert.SerialNumber.String()]
	if !ok {
		return true
	}
	last, ok := rt.revoked[rec.user]
	return ok && rec.seq <= last
}
