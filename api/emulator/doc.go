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
// addresses, so kubeconfig servers equal the endpoint URLs. Faults —
// latency, errors, 429 bursts, hanging regions, connection resets — are
// injected per request.
//
// The emulator listens only on loopback and keeps everything in memory.
package emulator
