package emulator

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
)

// maxLog bounds the request log; the oldest half is dropped beyond it.
const maxLog = 100_000

// Server is a running emulator: one HTTPS base URL serving IAM, CCE (and
// Autopilot), UCS and VPC, plus lazily started per-cluster API servers.
type Server struct {
	URL string // https://127.0.0.1:PORT — one base URL for IAM, CCE, UCS and VPC
	// ProxyURL is http://127.0.0.1:PORT when Options.Proxy: an HTTPS proxy
	// (HTTPS_PROXY) that serves the sites' real host names.
	ProxyURL   string
	CAPEM      []byte // PEM of the CA that signed the HTTPS serving certificates (both modes)
	AK, SK     string // the main access key, with access to every project
	DomainID   string
	DomainName string
	UserID     string // the main key's user id, the CN of the certificates it gets

	now           func() time.Time
	site          string // the site this account is on
	international bool
	others        []*Server // the inventory's further accounts
	ca            *authority
	proxy         *proxyFront
	idx           *index
	routes        []route
	httpSrv       *http.Server
	closing       chan struct{}
	wg            sync.WaitGroup
	reqs          atomic.Int64

	mu       sync.Mutex
	closed   bool
	faults   Faults
	tooMany  int
	keys     map[string]accessKey
	log      []RequestRecord
	clusters map[string]*targetRuntime
	fleets   map[string]*targetRuntime
	network  NetModel
	conns    map[string]int // connections opened, by host (Connections)
	fed      federation     // OpenID Connect federation (federation.go)
}

// RequestRecord is one API request as the emulator saw it. It never holds
// credentials or bodies.
type RequestRecord struct {
	Time      time.Time
	Method    string
	Path      string
	Status    int    // 0 when the request hung or its connection was reset
	Region    string // the region of the request's project; "" for global services
	ProjectID string
	RequestID string
	// Host is the host name the request arrived at in proxy mode ("" on
	// the base URL).
	Host string
}

// Start serves opts' inventory until ctx is done or Close is called. It is
// ready to serve when it returns.
func Start(ctx context.Context, opts Options) (*Server, error) {
	addr, err := loopbackAddr(opts.Addr)
	if err != nil {
		return nil, err
	}
	if err := opts.Network.check(); err != nil {
		return nil, err
	}
	inv, err := opts.inventory()
	if err != nil {
		return nil, err
	}
	s, err := startAccount(addr, inv, opts, nil)
	if err != nil {
		return nil, err
	}
	for i := range inv.Accounts {
		sub, err := startAccount(DefaultAddr, &inv.Accounts[i], opts, s.ca)
		if err != nil {
			_ = s.Close()
			return nil, err
		}
		s.others = append(s.others, sub)
	}
	if opts.Proxy {
		if err := s.startProxy(opts.ProxyAddr); err != nil {
			_ = s.Close()
			return nil, err
		}
	}
	go func() {
		select {
		case <-ctx.Done():
			_ = s.Close()
		case <-s.closing:
		}
	}()
	return s, nil
}

// inventory is what opts serve, defaults filled and checked; Options.Site
// and International set the main account's site.
func (opts Options) inventory() (*Inventory, error) {
	var inv *Inventory
	switch {
	case opts.Clusters > 0:
		inv = Synthetic(opts.Clusters, opts.Regions)
	case opts.Inventory == nil:
		inv = DemoInventory()
	default:
		inv = opts.Inventory.Clone()
	}
	if opts.Site != "" {
		inv.Site = opts.Site
	}
	if opts.International {
		inv.International = true
	}
	inv.fillDefaults()
	if err := inv.Validate(); err != nil {
		return nil, err
	}
	return inv, nil
}

// startAccount serves one account on addr; ca, when set, is the CA of the
// first account, shared so one CA file trusts every serving certificate.
func startAccount(addr string, inv *Inventory, opts Options, ca *authority) (*Server, error) {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	s := &Server{
		AK: randomString(20, upperAlnum), SK: randomString(40, mixedAlnum),
		DomainID: inv.Domain.ID, DomainName: inv.Domain.Name, UserID: inv.User.ID,
		now: now, site: inv.Site, international: inv.International, ca: ca,
		idx: newIndex(inv), closing: make(chan struct{}),
		faults: opts.Faults.clone(), tooMany: opts.Faults.TooMany, network: opts.Network,
		keys:     map[string]accessKey{},
		clusters: map[string]*targetRuntime{}, fleets: map[string]*targetRuntime{},
		fed: federation{keyLife: opts.TempKeyLifetime},
	}
	s.keys[s.AK] = accessKey{sk: s.SK, userID: s.UserID}
	s.routes = s.routeTable()
	if err := s.listen(addr); err != nil {
		return nil, err
	}
	return s, nil
}

// Site is the site this account is on.
func (s *Server) Site() string { return s.site }

// Accounts are the inventory's further accounts, each a Server of its own
// (its keys, its log), served beside this one.
func (s *Server) Accounts() []*Server { return append([]*Server(nil), s.others...) }

// accounts is this account and the further ones.
func (s *Server) accounts() []*Server { return append([]*Server{s}, s.others...) }

// listen starts the HTTPS API server on addr.
func (s *Server) listen(addr string) error {
	if s.ca == nil {
		ca, err := newAuthority("ccecert emulator API CA", s.now())
		if err != nil {
			return err
		}
		s.ca = ca
	}
	ca := s.ca
	leaf, err := ca.issueServer(s.now())
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("emulator listen on %s: %w (pick another port or 127.0.0.1:0)", addr, err)
	}
	s.CAPEM = ca.certPEM
	s.URL = "https://" + ln.Addr().String()
	s.httpSrv = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 30 * time.Second,
		ErrorLog:          log.New(io.Discard, "", 0),
		// HTTP/1.1 only, so a reset fault can hijack the connection.
		TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
	}
	tlsLn := tls.NewListener(&netListener{Listener: ln, s: s}, &tls.Config{
		Certificates: []tls.Certificate{*leaf}, MinVersion: tls.VersionTLS12,
	})
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		_ = s.httpSrv.Serve(tlsLn)
	}()
	return nil
}

// Close stops the API server and every per-cluster and per-fleet server. It
// is idempotent.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	runtimes := make([]*targetRuntime, 0, len(s.clusters)+len(s.fleets))
	for _, rt := range s.clusters {
		runtimes = append(runtimes, rt)
	}
	for _, rt := range s.fleets {
		runtimes = append(runtimes, rt)
	}
	s.mu.Unlock()
	// Close connections before waking hanging handlers, so they cannot
	// answer.
	errs := []error{s.httpSrv.Close()}
	if s.proxy != nil {
		errs = append(errs, s.proxy.close())
	}
	for _, o := range s.others {
		errs = append(errs, o.Close())
	}
	close(s.closing)
	for _, rt := range runtimes {
		errs = append(errs, rt.close())
	}
	s.wg.Wait()
	return errors.Join(errs...)
}

// SetFaults replaces the injected faults of every account; TooMany
// restarts its count (per account).
func (s *Server) SetFaults(f Faults) {
	for _, o := range s.others {
		o.SetFaults(f)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f.clone()
	s.tooMany = f.TooMany
}

// Requests is the number of API requests received, whatever their answer.
func (s *Server) Requests() int64 { return s.reqs.Load() }

// Log returns a copy of the API requests answered so far, oldest first.
func (s *Server) Log() []RequestRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]RequestRecord(nil), s.log...)
}

func (s *Server) record(rec RequestRecord) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.log) >= maxLog {
		s.log = append(s.log[:0], s.log[maxLog/2:]...)
	}
	s.log = append(s.log, rec)
}

// AddKey adds an access key limited to the given project IDs; requests for
// any other project are answered 403. Its certificates carry userID as CN.
func (s *Server) AddKey(ak, sk, userID string, projects ...string) {
	allowed := make(map[string]bool, len(projects))
	for _, p := range projects {
		allowed[p] = true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys[ak] = accessKey{sk: sk, userID: userID, projects: allowed}
}

// WriteCAFile writes CAPEM to dir/emulator-ca.pem (mode 0600) and returns
// its path.
func (s *Server) WriteCAFile(dir string) (string, error) {
	path := filepath.Join(dir, "emulator-ca.pem")
	if err := os.WriteFile(path, s.CAPEM, 0o600); err != nil {
		return "", fmt.Errorf("write emulator CA: %w", err)
	}
	return path, nil
}

// Env returns the environment that points ccecert at this emulator with the
// main key: CCECERT_ENDPOINT, CCECERT_CA_FILE, CLOUD_SDK_AK, CLOUD_SDK_SK.
func (s *Server) Env(caFile string) []string {
	return []string{
		"CCECERT_ENDPOINT=" + s.URL,
		"CCECERT_CA_FILE=" + caFile,
		"CLOUD_SDK_AK=" + s.AK,
		"CLOUD_SDK_SK=" + s.SK,
	}
}

// Inventory returns a copy of what the server serves, IDs filled.
func (s *Server) Inventory() *Inventory { return s.idx.inv.Clone() }
