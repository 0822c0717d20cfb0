package api

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"os"
	"sync"
	"time"

	cce "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3"
	iam "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3"
	ucs "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ucs/v1"
	vpc "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/vpc/v2"
)

// Client is the product's only door to the cloud. It is safe for concurrent
// use; SDK clients are built lazily per service and project and cached.
type Client struct {
	cfg       Config
	resolver  *resolver
	base      *sharedTransport
	transport *callTransport
	calls     *callRegistry

	mu       sync.Mutex
	cce      map[string]*cce.CceClient // by service/project id
	vpc      map[string]*vpc.VpcClient // by project id
	iam      *iam.IamClient
	ucs      *ucs.UcsClient
	domainID string
	projects []Project // every region project of the last Projects call
}

// New checks cfg, fills its defaults and returns a Client. It makes no
// request: clients and ids are fetched when first needed.
func New(cfg Config) (*Client, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	roots, err := rootCAs(cfg.CAFile)
	if err != nil {
		return nil, err
	}
	res, err := newResolver(cfg)
	if err != nil {
		return nil, err
	}
	proxy := proxyFunc(res.getenv)
	base := &sharedTransport{build: func() *http.Transport {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.Proxy = proxy
		t.TLSClientConfig = &tls.Config{RootCAs: roots(), MinVersion: tls.VersionTLS12}
		t.MaxIdleConnsPerHost = cfg.Concurrency + 4
		t.ResponseHeaderTimeout = cfg.Timeout
		t.TLSHandshakeTimeout = min(cfg.Timeout, 10*time.Second)
		return t
	}}
	reg := &callRegistry{}
	return &Client{
		cfg:       cfg,
		resolver:  res,
		base:      base,
		transport: &callTransport{base: base, reg: reg},
		calls:     reg,
		cce:       map[string]*cce.CceClient{},
		vpc:       map[string]*vpc.VpcClient{},
	}, nil
}

// Close releases idle connections. The Client stays usable.
func (c *Client) Close() { c.base.CloseIdleConnections() }

// Config returns the effective configuration (defaults filled in).
func (c *Client) Config() Config { return c.cfg }

func (c *Client) now() time.Time { return c.cfg.Now() }

// rootCAs is the RootCAs of every connection's TLS config.
//
// Without a CA file it is nil: crypto/tls then verifies against the
// system's roots, which crypto/x509 loads once a process, when the first
// certificate is verified, or on macOS and Windows asks the platform
// verifier. The load (10–15 ms of parsing on Linux) starts in the
// background once every connection being opened has started its TLS
// handshake (rootsWarmer, from callTransport), so it runs while the
// ClientHellos travel, never on the way to the first request nor beside
// the CPU that sends the requests and the ClientHellos.
//
// With a CA file it is the system pool plus the file's PEM certificates
// ("an extra trusted CA", DESIGN.md): the file is read and checked now;
// the system pool loads in the background and the returned func, called
// when the first connection is set up, waits for it.
func rootCAs(caFile string) (func() *x509.CertPool, error) {
	if caFile == "" {
		return func() *x509.CertPool { return nil }, nil
	}
	data, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("read the CA file %s (%s): %w", caFile, EnvCAFile, err)
	}
	if !x509.NewCertPool().AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("the CA file %s (%s) holds no PEM certificate: point it at the endpoint's CA certificate", caFile, EnvCAFile)
	}
	loaded := make(chan *x509.CertPool, 1)
	go func() {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		pool.AppendCertsFromPEM(data)
		loaded <- pool
	}()
	return sync.OnceValue(func() *x509.CertPool { return <-loaded }), nil
}
