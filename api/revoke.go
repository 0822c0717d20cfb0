package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/huaweicloud/huaweicloud-sdk-go-v3/core/def"
	ccemodel "github.com/huaweicloud/huaweicloud-sdk-go-v3/services/cce/v3/model"
)

// RevokeResult says what a revoke did.
type RevokeResult struct {
	Target    Target
	UserID    string
	RequestID string
	// Message spells out the scope: every certificate of the user on the
	// cluster, not just one.
	Message string
}

// Revoke revokes the client certificates of userID (a certificate's CN) on
// a CCE or Autopilot cluster. The API revokes every certificate that user
// holds for the cluster, not only one. Fleets cannot be revoked through the
// API: that is an error before any request.
func (c *Client) Revoke(ctx context.Context, t Target, userID string) (*RevokeResult, error) {
	o := op{name: "revoke certs on", target: label(t), forbidden: revokeForbiddenHint}
	userID = strings.TrimSpace(userID)
	switch {
	case userID == "":
		return nil, o.failure(callRecord{}, errors.New("no user id: give the certificate's CN (the IAM user id)"))
	case t.Kind == KindFleet:
		return nil, o.failure(callRecord{}, errors.New("UCS has no API to revoke fleet certificates: disable and re-enable federation in the UCS console, or let the certificate expire"))
	case t.Kind != KindCCE && t.Kind != KindAutopilot:
		return nil, o.failure(callRecord{}, fmt.Errorf("unknown target kind %q", t.Kind))
	}
	cl, err := c.cceClient(t.Region, t.ProjectID)
	if err != nil {
		return nil, o.failure(callRecord{}, err)
	}
	req := &ccemodel.RevokeKubernetesClusterCertRequest{
		ClusterId: t.ID,
		Body:      &ccemodel.CertRevokeConfigRequestBody{UserId: &userID},
	}
	_, rec, err := invoke(ctx, c, o, func() sdkInvoker[*ccemodel.RevokeKubernetesClusterCertResponse] {
		if t.Kind == KindAutopilot {
			return newCustomInvoker[*ccemodel.RevokeKubernetesClusterCertResponse](cl.HcClient, req, autopilotRevokeDef())
		}
		return cl.RevokeKubernetesClusterCertInvoker(req)
	})
	if err != nil {
		return nil, err
	}
	return &RevokeResult{
		Target:    t,
		UserID:    userID,
		RequestID: rec.requestID,
		Message: fmt.Sprintf("revoked every certificate of user %s on %s: kubeconfigs using them stop working; fetch a new one to keep access",
			userID, label(t)),
	}, nil
}

// revokeForbiddenHint is the hint of a 403 from the revoke API (CCE API
// reference, RevokeKubernetesClusterCert; CCE user guide, revoking a
// cluster access credential).
const revokeForbiddenHint = "grant this IAM user cce:cluster:revokeClientCredential on this cluster; " +
	"an IAM user can revoke only its own certificates, an administrator anyone's"

// autopilotRevokeDef is RevokeKubernetesClusterCert under /autopilot/v3,
// which the SDK (v0.1.207) has no method for.
func autopilotRevokeDef() *def.HttpRequestDef {
	return def.NewHttpRequestDefBuilder().
		WithMethod(http.MethodPost).
		WithPath("/autopilot/v3/projects/{project_id}/clusters/{cluster_id}/clustercertrevoke").
		WithResponse(new(ccemodel.RevokeKubernetesClusterCertResponse)).
		WithContentType("application/json").
		WithRequestField(def.NewFieldDef().WithName("ClusterId").WithJsonTag("cluster_id").WithLocationType(def.Path)).
		WithRequestField(def.NewFieldDef().WithName("Body").WithLocationType(def.Body)).
		Build()
}
