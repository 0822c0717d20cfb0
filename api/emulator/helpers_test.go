package emulator

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/url"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/basic"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/global"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/auth/signer"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/config"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/region"
	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/request"
	cce "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3"
	iam "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/iam/v3"
	ucs "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ucs/v1"
	vpc "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/vpc/v2"
)

// isolate points every per-user directory at temp dirs.
func isolate(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, v := range []string{"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"} {
		t.Setenv(v, t.TempDir())
	}
	t.Setenv("KUBECONFIG", t.TempDir()+"/config")
	return home
}

// start runs an emulator for the test and closes it afterwards.
func start(t *testing.T, opts Options) *Server {
	t.Helper()
	isolate(t)
	srv, err := Start(context.Background(), opts)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

// testClock is a clock that can be moved forward.
type testClock struct{ offset atomic.Int64 }

func (c *testClock) Now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

func (c *testClock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// httpConfig trusts the emulator's CA and sets a user agent (so the SDK
// writes nothing under HOME).
func httpConfig(srv *Server, timeout time.Duration) *config.HttpConfig {
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(srv.CAPEM)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	cfg := config.DefaultHttpConfig().WithHttpTransport(tr).WithUserAgent("ccecert-test")
	if timeout > 0 {
		cfg = cfg.WithTimeout(timeout)
	}
	return cfg
}

// keyPair is an AK/SK to build clients with.
type keyPair struct{ ak, sk string }

func mainKey(srv *Server) keyPair { return keyPair{srv.AK, srv.SK} }

func cceClient(t testing.TB, srv *Server, regionID, projectID string, k keyPair, timeout time.Duration) *cce.CceClient {
	t.Helper()
	creds, err := basic.NewCredentialsBuilder().WithAk(k.ak).WithSk(k.sk).
		WithProjectId(projectID).WithIamEndpointOverride(srv.URL).SafeBuild()
	if err != nil {
		t.Fatalf("credentials: %v", err)
	}
	hc, err := cce.CceClientBuilder().WithRegion(region.NewRegion(regionID, srv.URL)).
		WithCredential(creds).WithHttpConfig(httpConfig(srv, timeout)).SafeBuild()
	if err != nil {
		t.Fatalf("build CCE client: %v", err)
	}
	return cce.NewCceClient(hc)
}

func ucsClient(t *testing.T, srv *Server, k keyPair, domainID string) *ucs.UcsClient {
	t.Helper()
	creds, err := global.NewCredentialsBuilder().WithAk(k.ak).WithSk(k.sk).
		WithDomainId(domainID).WithIamEndpointOverride(srv.URL).SafeBuild()
	if err != nil {
		t.Fatalf("credentials: %v", err)
	}
	hc, err := ucs.UcsClientBuilder().WithRegion(region.NewRegion("cn-north-4", srv.URL)).
		WithCredential(creds).WithHttpConfig(httpConfig(srv, 0)).SafeBuild()
	if err != nil {
		t.Fatalf("build UCS client: %v", err)
	}
	return ucs.NewUcsClient(hc)
}

func iamClient(t *testing.T, srv *Server, k keyPair) *iam.IamClient {
	t.Helper()
	creds, err := global.NewCredentialsBuilder().WithAk(k.ak).WithSk(k.sk).
		WithDomainId(srv.DomainID).WithIamEndpointOverride(srv.URL).SafeBuild()
	if err != nil {
		t.Fatalf("credentials: %v", err)
	}
	hc, err := iam.IamClientBuilder().WithRegion(region.NewRegion("cn-north-4", srv.URL)).
		WithCredential(creds).WithHttpConfig(httpConfig(srv, 0)).SafeBuild()
	if err != nil {
		t.Fatalf("build IAM client: %v", err)
	}
	return iam.NewIamClient(hc)
}

func vpcClient(t *testing.T, srv *Server, regionID, projectID string) *vpc.VpcClient {
	t.Helper()
	creds, err := basic.NewCredentialsBuilder().WithAk(srv.AK).WithSk(srv.SK).
		WithProjectId(projectID).WithIamEndpointOverride(srv.URL).SafeBuild()
	if err != nil {
		t.Fatalf("credentials: %v", err)
	}
	hc, err := vpc.VpcClientBuilder().WithRegion(region.NewRegion(regionID, srv.URL)).
		WithCredential(creds).WithHttpConfig(httpConfig(srv, 0)).SafeBuild()
	if err != nil {
		t.Fatalf("build VPC client: %v", err)
	}
	return vpc.NewVpcClient(hc)
}

// target finds a served target by name or fails the test.
func target(t *testing.T, srv *Server, name string) TargetInfo {
	t.Helper()
	ti, ok := srv.Target(name)
	if !ok {
		t.Fatalf("no target %q in the inventory", name)
	}
	return ti
}

// rawResponse is an answer to a raw signed request.
type rawResponse struct {
	status int
	header http.Header
	body   []byte
}

// signHeaders signs a request with the SDK's signer, as the SDK would, and
// returns the headers to send: the given ones plus X-Sdk-Date and
// Authorization.
func signHeaders(t *testing.T, srv *Server, k keyPair, method, path string, query url.Values, body []byte, headers map[string]string) map[string]string {
	t.Helper()
	b := request.NewHttpRequestBuilder().WithEndpoint(srv.URL).WithPath(path).WithMethod(method)
	for name, v := range headers {
		b.AddHeaderParam(name, v)
	}
	for name, vs := range query {
		b.AddQueryParam(name, reflect.ValueOf(vs[0]))
	}
	if body != nil {
		b.WithBody("", string(body))
	}
	signed, err := signer.Signer{}.Sign(b.Build(), k.ak, k.sk)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	out := map[string]string{}
	for name, v := range headers {
		out[name] = v
	}
	for name, v := range signed {
		out[name] = v
	}
	return out
}

// rawCall signs a request and sends it.
func rawCall(t *testing.T, srv *Server, k keyPair, method, path string, query url.Values, body []byte, headers map[string]string) rawResponse {
	t.Helper()
	return sendSigned(t, srv, method, path, query, body, signHeaders(t, srv, k, method, path, query, body, headers))
}

// sendSigned sends a request with the given (signed) headers.
func sendSigned(t *testing.T, srv *Server, method, path string, query url.Values, body []byte, headers map[string]string) rawResponse {
	t.Helper()
	u := srv.URL + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequest(method, u, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range headers {
		req.Header.Set(name, v)
	}
	req.Header.Set("Content-Type", "application/json")
	return send(t, srv, req)
}

func send(t *testing.T, srv *Server, req *http.Request) rawResponse {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(srv.CAPEM)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return rawResponse{status: resp.StatusCode, header: resp.Header, body: data}
}

// errorBody is the union of the gateway's and CCE's error fields.
type errorBody struct {
	ErrorCode    string `json:"error_code"`
	ErrorMsg     string `json:"error_msg"`
	CCECode      string `json:"errorCode"`
	CCEMessage   string `json:"errorMessage"`
	RequestID    string `json:"request_id"`
	KubeStatus   string `json:"status"`
	KubeCode     int    `json:"code"`
	KubeReason   string `json:"reason"`
	KubeKind     string `json:"kind"`
	KubeMessage  string `json:"message"`
	KubeAPIGroup string `json:"apiVersion"`
}

func decodeError(t *testing.T, body []byte) errorBody {
	t.Helper()
	var e errorBody
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body is not JSON: %v: %s", err, body)
	}
	return e
}

// parseB64Cert decodes base64 PEM certificate data.
func parseB64Cert(t *testing.T, data string) *x509.Certificate {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(data)
	if err != nil {
		t.Fatalf("certificate data is not base64: %v", err)
	}
	block, _ := pem.Decode(raw)
	if block == nil || block.Type != "CERTIFICATE" {
		t.Fatalf("certificate data is not a PEM certificate")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatalf("parse certificate: %v", err)
	}
	return cert
}

// keyPairFromB64 builds a TLS client certificate from base64 PEM data and
// fails unless the key matches the certificate.
func keyPairFromB64(t *testing.T, certData, keyData string) tls.Certificate {
	t.Helper()
	certPEM, err1 := base64.StdEncoding.DecodeString(certData)
	keyPEM, err2 := base64.StdEncoding.DecodeString(keyData)
	if err1 != nil || err2 != nil {
		t.Fatalf("certificate or key data is not base64")
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatalf("key does not match certificate: %v", err)
	}
	return pair
}

// kubeGet calls a cluster API server with a client certificate; caPEM nil
// skips server verification (the external endpoint).
func kubeGet(t *testing.T, server, path string, cert *tls.Certificate, caPEM []byte) (int, []byte) {
	t.Helper()
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if caPEM != nil {
		cfg.RootCAs = x509.NewCertPool()
		if !cfg.RootCAs.AppendCertsFromPEM(caPEM) {
			t.Fatal("CA data is not PEM")
		}
	} else {
		cfg.InsecureSkipVerify = true
	}
	if cert != nil {
		cfg.Certificates = []tls.Certificate{*cert}
	}
	tr := &http.Transport{TLSClientConfig: cfg}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, Timeout: 30 * time.Second}).Get(server + path)
	if err != nil {
		t.Fatalf("GET %s%s: %v", server, path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// doTLS sends req trusting caPEM and returns the status.
func doTLS(t *testing.T, req *http.Request, caPEM []byte) int {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(caPEM)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	defer tr.CloseIdleConnections()
	resp, err := (&http.Client{Transport: tr, Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}
