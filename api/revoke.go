package api

import (
	"context"
	"errors"
	"fmt"
	"strings"

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

// ErrAutopilotRevoke is the error of a revoke asked for an Autopilot
// cluster: the Autopilot API reference lists no revoke API (API overview,
// https://support.huaweicloud.com/api-cce-autopilot/cce_02_0098.html; its
// cluster management section — create, show, list, update, delete, obtain
// the certificate, jobs, the public API server address, the access address —
// https://support.huaweicloud.com/api-cce-autopilot/autopilot_cluster_lifecycle_management.html)
// and the SDK (v0.1.207) has none: no /autopilot/v3/.../clustercertrevoke.
var ErrAutopilotRevoke = errors.New("revocation is not available for Autopilot clusters: " +
	"no revoke API is documented for CCE Autopilot; let the certificate expire, or remove the IAM user's access to the cluster")

// Revoke revokes the client certificates of userID (a certificate's CN) on
// a CCE cluster (CCE API reference, "Revoking a Cluster Certificate of a
// User" cce_02_0249, https://support.huaweicloud.com/intl/en-us/api-cce/cce_02_0249.html).
// The API revokes every certificate that user holds for the cluster, not
// only one. Fleets and Autopilot clusters have no documented revoke API:
// that is an error before any request.
func (c *Client) Revoke(ctx context.Context, t Target, userID string) (*RevokeResult, error) {
	o := op{name: "revoke certs on", target: t.Label(), forbidden: revokeForbiddenHint,
		mayHaveActed: "the revocation may have taken effect: revoking again is harmless"}
	userID = strings.TrimSpace(userID)
	switch {
	case userID == "":
		return nil, o.failure(callRecord{}, errors.New("no user id: give the certificate's CN (the IAM user id)"))
	case t.Kind == KindFleet:
		return nil, o.failure(callRecord{}, errors.New("UCS has no API to revoke fleet certificates: disable and re-enable federation in the UCS console, or let the certificate expire"))
	case t.Kind == KindAutopilot:
		return nil, o.failure(callRecord{}, ErrAutopilotRevoke)
	case t.Kind != KindCCE:
		return nil, o.failure(callRecord{}, fmt.Errorf("unknown target kind %q", t.Kind))
	}
	if err := c.supports(t.Kind, t.Region); err != nil {
		return nil, o.failure(callRecord{}, err)
	}
	cl, err := c.cceClient(ctx, ServiceCCE, t.Region, t.ProjectID)
	if err != nil {
		return nil, o.failure(callRecord{}, err)
	}
	req := &ccemodel.RevokeKubernetesClusterCertRequest{
		ClusterId: t.ID,
		Body:      &ccemodel.CertRevokeConfigRequestBody{UserId: &userID},
	}
	_, rec, err := invoke(ctx, c, o, func() sdkInvoker[*ccemodel.RevokeKubernetesClusterCertResponse] {
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
			userID, t.Label()),
	}, nil
}

// revokeForbiddenHint is the hint of a 403 from the revoke API (CCE API
// reference, RevokeKubernetesClusterCert; CCE user guide, revoking a
// cluster access credential).
const revokeForbiddenHint = "grant this IAM user cce:cluster:revokeClientCredential on this cluster; " +
	"an IAM user can revoke only its own certificates, an administrator anyone's"
