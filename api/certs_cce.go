package api

import (
	"context"
	"net/http"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/def"
	cce "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3"
	ccemodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3/model"
)

// certBody is the SDK's request body for a validity: expire_at when set
// (it wins over duration), else duration in days (-1 = five years).
func certBody(v Validity) *ccemodel.ClusterCertDuration {
	if !v.ExpireAt.IsZero() {
		s := expireAt(v.ExpireAt)
		return &ccemodel.ClusterCertDuration{ExpireAt: &s}
	}
	d := int32(v.Days)
	return &ccemodel.ClusterCertDuration{Duration: &d}
}

// postClusterCert is CCE CreateKubernetesClusterCert (POST clustercert).
func (c *Client) postClusterCert(ctx context.Context, o op, t Target, v Validity) (*kubeconfig, callRecord, error) {
	cl, err := c.cceClient(t.Region, t.ProjectID)
	if err != nil {
		return nil, callRecord{}, o.failure(callRecord{}, err)
	}
	resp, rec, err := invoke(ctx, c, o, func() sdkInvoker[*ccemodel.CreateKubernetesClusterCertResponse] {
		return cl.CreateKubernetesClusterCertInvoker(&ccemodel.CreateKubernetesClusterCertRequest{
			ClusterId: t.ID, Body: certBody(v),
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
// (seeds 001/004), which the SDK has no method for. Built per call: the
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
	cl, err := c.cceClient(t.Region, t.ProjectID)
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

// autopilotExpireRequest sends ClusterCertDuration (expire_at) to the
// Autopilot cert API, whose SDK request still carries the older
// CertDuration (days only).
type autopilotExpireRequest struct {
	ClusterId string                        `json:"cluster_id"`
	Body      *ccemodel.ClusterCertDuration `json:"body,omitempty"`
}

// postAutopilotCert is CCE CreateAutopilotKubernetesClusterCert.
func (c *Client) postAutopilotCert(ctx context.Context, o op, t Target, v Validity) (*kubeconfig, callRecord, error) {
	cl, err := c.cceClient(t.Region, t.ProjectID)
	if err != nil {
		return nil, callRecord{}, o.failure(callRecord{}, err)
	}
	resp, rec, err := invoke(ctx, c, o, func() sdkInvoker[*ccemodel.CreateAutopilotKubernetesClusterCertResponse] {
		if v.ExpireAt.IsZero() {
			return cl.CreateAutopilotKubernetesClusterCertInvoker(&ccemodel.CreateAutopilotKubernetesClusterCertRequest{
				ClusterId: t.ID, Body: &ccemodel.CertDuration{Duration: int32(v.Days)},
			})
		}
		return newCustomInvoker[*ccemodel.CreateAutopilotKubernetesClusterCertResponse](cl.HcClient,
			&autopilotExpireRequest{ClusterId: t.ID, Body: certBody(v)}, cce.GenReqDefForCreateAutopilotKubernetesClusterCert())
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
