package api

import (
	"context"
	"math"
	"net/http"
	"time"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/def"
	ccemodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3/model"
)

// certBody is the SDK's request body for a validity (CCE API reference,
// "Obtaining a Cluster Certificate" cce_02_0248,
// https://support.huaweicloud.com/intl/en-us/api-cce/cce_02_0248.html):
// duration in days (-1 = five years), which the English reference and the
// seeds mark mandatory, always; for an exact expiry also expire_at, which
// the Chinese reference (https://support.huaweicloud.com/api-cce/cce_02_0248.html)
// documents as winning over duration. The duration sent with expire_at is
// the days up to it, rounded up, so a cloud that ignores expire_at still
// issues a certificate that outlives the asked expiry, and Issued says so.
func certBody(v Validity, now time.Time) *ccemodel.ClusterCertDuration {
	d := int32(v.Days)
	if v.ExpireAt.IsZero() {
		return &ccemodel.ClusterCertDuration{Duration: &d}
	}
	d = int32(daysUntil(v.ExpireAt, now))
	s := expireAt(v.ExpireAt)
	return &ccemodel.ClusterCertDuration{Duration: &d, ExpireAt: &s}
}

// daysUntil is the whole days from now to t, rounded up, within
// 1..MaxDays(now).
func daysUntil(t, now time.Time) int {
	n := int(math.Ceil(t.Sub(now).Hours() / 24))
	return max(1, min(n, MaxDays(now)))
}

// postClusterCert is CCE CreateKubernetesClusterCert (POST clustercert).
func (c *Client) postClusterCert(ctx context.Context, o op, t Target, v Validity, now time.Time) (*kubeconfig, callRecord, error) {
	cl, err := c.cceClient(ctx, ServiceCCE, t.Region, t.ProjectID)
	if err != nil {
		return nil, callRecord{}, o.failure(callRecord{}, err)
	}
	resp, rec, err := invoke(ctx, c, o, func() sdkInvoker[*ccemodel.CreateKubernetesClusterCertResponse] {
		return cl.CreateKubernetesClusterCertInvoker(&ccemodel.CreateKubernetesClusterCertRequest{
			ClusterId: t.ID, Body: certBody(v, now),
		})
	})
	if err != nil {
		return nil, rec, err
	}
	return kubeconfigFromCCE(resp.Clusters, resp.Users, resp.Contexts, resp.CurrentContext, resp.PortID), rec, nil
}

// legacyCertRequest is the legacy GET clustercert request: no body.
type legacyCertRequest struct {
	ClusterId string `json:"cluster_id"`
}

// legacyCertDef is the request definition of the legacy GET clustercert
// (seeds 001/004; CCE API reference, "Obtaining a Cluster Certificate
// (Discarded)" cce_02_0359,
// https://support.huaweicloud.com/intl/en-us/api-cce/cce_02_0359.html),
// which the SDK has no method for. Built per call: the
// definition holds the response value it decodes into.
func legacyCertDef() *def.HttpRequestDef {
	return def.NewHttpRequestDefBuilder().
		WithMethod(http.MethodGet).
		WithPath("/api/v3/projects/{project_id}/clusters/{cluster_id}/clustercert").
		WithResponse(new(ccemodel.CreateKubernetesClusterCertResponse)).
		WithContentType("application/json").
		WithRequestField(def.NewFieldDef().WithName("ClusterId").WithJsonTag("cluster_id").WithLocationType(def.Path)).
		WithResponseField(def.NewFieldDef().WithName("PortID").WithJsonTag("Port-ID").WithKindName("string").WithLocationType(def.Header)).
		Build()
}

// getLegacyClusterCert is the legacy GET clustercert through the CCE
// client's own HcClient (signing, error handler, transport).
func (c *Client) getLegacyClusterCert(ctx context.Context, o op, t Target) (*kubeconfig, callRecord, error) {
	cl, err := c.cceClient(ctx, ServiceCCE, t.Region, t.ProjectID)
	if err != nil {
		return nil, callRecord{}, o.failure(callRecord{}, err)
	}
	resp, rec, err := invoke(ctx, c, o, func() sdkInvoker[*ccemodel.CreateKubernetesClusterCertResponse] {
		return newCustomInvoker[*ccemodel.CreateKubernetesClusterCertResponse](cl.HcClient, &legacyCertRequest{ClusterId: t.ID}, legacyCertDef())
	})
	if err != nil {
		return nil, rec, err
	}
	return kubeconfigFromCCE(resp.Clusters, resp.Users, resp.Contexts, resp.CurrentContext, resp.PortID), rec, nil
}

// postAutopilotCert is CCE CreateAutopilotKubernetesClusterCert (Autopilot
// API reference, "Obtaining a Cluster Certificate",
// https://support.huaweicloud.com/api-cce-autopilot/CreateAutopilotKubernetesClusterCert.md):
// its body is the SDK's CertDuration, days only. An exact expiry for
// Autopilot is documented neither there nor in the SDK (v0.1.207), so
// Validity.Validate refuses it before any request.
func (c *Client) postAutopilotCert(ctx context.Context, o op, t Target, v Validity) (*kubeconfig, callRecord, error) {
	cl, err := c.cceClient(ctx, ServiceAutopilot, t.Region, t.ProjectID)
	if err != nil {
		return nil, callRecord{}, o.failure(callRecord{}, err)
	}
	resp, rec, err := invoke(ctx, c, o, func() sdkInvoker[*ccemodel.CreateAutopilotKubernetesClusterCertResponse] {
		return cl.CreateAutopilotKubernetesClusterCertInvoker(&ccemodel.CreateAutopilotKubernetesClusterCertRequest{
			ClusterId: t.ID, Body: &ccemodel.CertDuration{Duration: int32(v.Days)},
		})
	})
	if err != nil {
		return nil, rec, err
	}
	return kubeconfigFromCCE(resp.Clusters, resp.Users, resp.Contexts, resp.CurrentContext, resp.PortID), rec, nil
}

// kubeconfigFromCCE copies the SDK's typed kubeconfig fields; the response
// struct itself is never formatted (its String() prints the key).
func kubeconfigFromCCE(cls *[]ccemodel.Clusters, users *[]ccemodel.Users, ctxs *[]ccemodel.Contexts, current, portID *string) *kubeconfig {
	kc := &kubeconfig{Kind: "Config", CurrentContext: deref(current), portID: deref(portID)}
	for _, cl := range deref(cls) {
		nc := namedCluster{Name: deref(cl.Name)}
		if cl.Cluster != nil {
			nc.Cluster = clusterInfo{
				Server:   deref(cl.Cluster.Server),
				CAData:   deref(cl.Cluster.CertificateAuthorityData),
				Insecure: flexBool(deref(cl.Cluster.InsecureSkipTlsVerify)),
			}
		}
		kc.Clusters = append(kc.Clusters, nc)
	}
	for _, u := range deref(users) {
		nu := namedUser{Name: deref(u.Name)}
		if u.User != nil {
			nu.User = userInfo{CertData: deref(u.User.ClientCertificateData), KeyData: deref(u.User.ClientKeyData)}
		}
		kc.Users = append(kc.Users, nu)
	}
	for _, x := range deref(ctxs) {
		nx := namedContext{Name: deref(x.Name)}
		if x.Context != nil {
			nx.Context = contextInfo{Cluster: deref(x.Context.Cluster), User: deref(x.Context.User)}
		}
		kc.Contexts = append(kc.Contexts, nx)
	}
	return kc
}
