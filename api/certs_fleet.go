package api

import (
	"context"
	"strings"

	ucsmodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/ucs/v1/model"
)

// createFederationCert is UCS CreateFederationCert: it creates the fleet's
// federation connection in the VPC and issues a kubeconfig (seed 003).
func (c *Client) createFederationCert(ctx context.Context, o op, t Target, projectID, vpcID, subnetID string, days int) (*kubeconfig, callRecord, error) {
	cl, err := c.fleetClient(ctx)
	if err != nil {
		return nil, callRecord{}, err
	}
	resp, rec, err := invoke(ctx, c, o, func() sdkInvoker[*ucsmodel.CreateFederationCertResponse] {
		return cl.CreateFederationCertInvoker(&ucsmodel.CreateFederationCertRequest{
			Clustergroupid: t.ID,
			Body: &ucsmodel.CreateFederationCertRequestBody{
				ProjectID: projectID, VpcID: vpcID, SubnetID: subnetID, Duration: int32(days),
			},
		})
	})
	if err != nil {
		return nil, rec, err
	}
	return kubeconfigFromUCS(resp.Clusters, resp.Users, resp.Contexts, resp.CurrentContext), rec, nil
}

// downloadFederationKubeconfig is UCS DownloadFederationKubeconfig: a new
// certificate over the fleet's existing federation connection.
func (c *Client) downloadFederationKubeconfig(ctx context.Context, o op, t Target, days int) (*kubeconfig, callRecord, error) {
	cl, err := c.fleetClient(ctx)
	if err != nil {
		return nil, callRecord{}, err
	}
	resp, rec, err := invoke(ctx, c, o, func() sdkInvoker[*ucsmodel.DownloadFederationKubeconfigResponse] {
		return cl.DownloadFederationKubeconfigInvoker(&ucsmodel.DownloadFederationKubeconfigRequest{
			Clustergroupid: t.ID,
			Body:           &ucsmodel.DownloadFederationKubeconfigRequestBody{Duration: int32(days)},
		})
	})
	if err != nil {
		return nil, rec, err
	}
	return kubeconfigFromUCS(resp.Clusters, resp.Users, resp.Contexts, resp.CurrentContext), rec, nil
}

// kubeconfigFromUCS copies the SDK's typed UCS kubeconfig fields, whose
// insecure-skip-tls-verify is a string.
func kubeconfigFromUCS(cls *[]ucsmodel.NamedCluster, users *[]ucsmodel.NamedAuthInfo, ctxs *[]ucsmodel.NamedContext, current *string) *kubeconfig {
	kc := &kubeconfig{Kind: "Config", CurrentContext: deref(current)}
	for _, cl := range deref(cls) {
		nc := namedCluster{Name: deref(cl.Name)}
		if cl.Cluster != nil {
			insecure := flexBool(strings.EqualFold(strings.TrimSpace(deref(cl.Cluster.InsecureSkipTlsVerify)), "true"))
			nc.Cluster = clusterInfo{
				Server:   deref(cl.Cluster.Server),
				CAData:   deref(cl.Cluster.CertificateAuthorityData),
				Insecure: insecure,
			}
		}
		kc.Clusters = append(kc.Clusters, nc)
	}
	for _, u := range deref(users) {
		nu := namedUser{Name: deref(u.Name)}
		if u.User != nil {
			nu.User = userInfo{
				CertData: deref(u.User.ClientCertificateData),
				KeyData:  deref(u.User.ClientKeyData),
				Token:    deref(u.User.Token),
			}
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
