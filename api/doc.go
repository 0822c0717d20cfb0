// Package api is ccecert's only door to the cloud: it lists the CCE
// clusters, Autopilot clusters and UCS fleets an access key can reach, and
// issues and revokes their client certificates, through the official
// huaweicloud-sdk-go-v3 with explicit AK/SK credentials.
//
// Every host comes from one place, Config.EndpointFor (site, service,
// region): CCECERT_ENDPOINT (one URL for everything: the emulator's simple
// mode); else a per-service override; else the SDK's own overrides
// (HUAWEICLOUD_SDK_REGION_<SERVICE>_<REGION>, ~/.huaweicloud/regions.yaml);
// else the SDK's region table where it knows the region on the site; else
// the site's pattern {service}.{region}.{domain}. The built-in sites
// (Huawei Cloud, Chinese Mainland or International; Huawei Cloud Europe;
// Open Telekom Cloud) cite their documents in site.go; a service a site's
// documents do not confirm (UCS, Autopilot) is a CapabilityError, never a
// guessed host. HTTPS_PROXY and NO_PROXY apply to every call.
//
// Every call takes a context and honours its deadline and cancellation,
// although the SDK's own calls take none: each call registers its context
// under an id that travels as an unsigned extra header, and the Client's
// http.RoundTripper attaches that context to the outgoing request (and
// strips the header). The same transport records each response's status,
// request id and error body, so errors carry the HTTP status even where the
// SDK loses it. Failures are *Error values whose text says what to do;
// throttling, server errors, timeouts and resets are retried with backoff
// and jitter, authentication and permission errors never. A call that
// issues or creates (a certificate, a federation connection, a revocation)
// is retried only when the cloud surely did not act — a 429, or a
// connection that failed before the request was written — and its error
// then says what may have happened (Error.MayHaveActed).
//
// Every issued kubeconfig is validated before it is returned (Issued): the
// certificate parses, the key matches it, the CA parses, the servers are
// https. ParseKubeconfig does the same for kubeconfigs from elsewhere.
package api
