// Package api is ccecert's only door to the cloud: it lists the CCE
// clusters, Autopilot clusters and UCS fleets an access key can reach, and
// issues and revokes their client certificates, through the official
// huaweicloud-sdk-go-v3 with explicit AK/SK credentials.
//
// Every call takes a context and honours its deadline and cancellation,
// although the SDK's own calls take none: each call registers its context
// under an id that travels as an unsigned extra header, and the Client's
// http.RoundTripper attaches that context to the outgoing request (and
// strips the header). The same transport records each response's status,
// request id and error body, so errors carry the HTTP status even where the
// SDK loses it. Failures are *Error values whose text says what to do;
// throttling, server errors, timeouts and resets are retried with backoff
// and jitter, authentication and permission errors never.
//
// Every issued kubeconfig is validated before it is returned (Issued): the
// certificate parses, the key matches it, the CA parses, the servers are
// https. ParseKubeconfig does the same for kubeconfigs from elsewhere.
package api
