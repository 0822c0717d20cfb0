// Package emulator is a faithful local Huawei Cloud for tests, the demo and
// benchmarks: IAM, CCE (and Autopilot), UCS and VPC behind one HTTPS base
// URL on loopback, plus a tiny mTLS Kubernetes API server per cluster and
// per federated fleet.
//
// Every API request is checked with the SDK's own AK/SK signer; errors come
// in the cloud's formats (the gateway's error_code/error_msg, CCE's
// errorCode/errorMessage beside them). Certificates are real X.509 (ECDSA
// P-256) from a per-cluster CA created on first use; the cluster's API
// servers start the first time its endpoints are reported and keep their
// addresses, so kubeconfig servers equal the endpoint URLs. Internal
// endpoints are on InternalHost, external (EIP) ones on EIPHost; both
// listeners present one serving certificate that covers the internal
// address and the cluster's custom_sans (so the EIP only when it is one of
// them), and a cluster marked mitm has its external endpoint played by a
// man in the middle with a certificate from another CA. Faults —
// latency, errors, 429 bursts, hanging regions, connection resets — are
// injected per request; Options.Network (NetModel) charges each new
// connection its TCP connect and TLS handshake as well, per host in proxy
// mode, and Server.Connections counts the connections by host.
//
// Two modes: one base URL (Server.URL, for CCECERT_ENDPOINT), or, with
// Options.Proxy, an HTTPS proxy (Server.ProxyURL, for HTTPS_PROXY) that
// answers CONNECT for the sites' real host names (Server.Hosts), ends TLS
// there with leaf certificates from its CA (Server.CAPEM, for
// CCECERT_CA_FILE) and routes each request by its Host and its access key:
// a request at the wrong host gets the gateway's 404 APIGW.0101, a host no
// site has fails like a DNS lookup. An inventory may hold accounts of
// several sites (Inventory.Accounts); Options.Site picks the main one's.
// Only documented routes are served, each citing its reference page.
//
// The emulator listens only on loopback, never resolves or dials a host,
// and keeps everything in memory; only a kept emulator (StartWithCA, the
// demo's) keeps its CAs, API server ports and issued certificates in its
// dir, so credentials verify from one run to the next.
package emulator
