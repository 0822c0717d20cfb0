package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// CertRequest is what the operator asks for one target.
type CertRequest struct {
	Validity Validity
	// Fleets only. With VPCID and SubnetID, UCS creates the federation
	// connection in that VPC (of project ProjectID, default the target's)
	// and issues the certificate; without, the existing connection's
	// kubeconfig is downloaded.
	ProjectID string
	VPCID     string
	SubnetID  string
}

// expireAtLayout is the SDK's ClusterCertDuration.ExpireAt format
// ("2025-01-01 16:00:00 +0000 UTC").
const expireAtLayout = "2006-01-02 15:04:05 -0700 MST"

// Issue fetches a client certificate for t and returns the validated
// kubeconfig. The validity is checked before any request. CCE clusters
// older than v1.13, or answering the POST with 404/405, get the legacy GET
// (Issued.Legacy: the validity is the cluster's own).
func (c *Client) Issue(ctx context.Context, t Target, req CertRequest) (*Issued, error) {
	o := op{name: "issue cert for", target: label(t)}
	if err := req.Validity.Validate(t.Kind, c.now()); err != nil {
		return nil, o.failure(callRecord{}, err)
	}
	switch t.Kind {
	case KindCCE:
		return c.issueCCE(ctx, o, t, req.Validity)
	case KindAutopilot:
		return c.issueAutopilot(ctx, o, t, req.Validity)
	case KindFleet:
		return c.issueFleet(ctx, o, t, req)
	}
	return nil, o.failure(callRecord{}, fmt.Errorf("unknown target kind %q", t.Kind))
}

// label names a target for messages: "prod-web (cn-north-4)".
func label(t Target) string {
	name := t.Name
	if name == "" {
		name = t.ID
	}
	if t.Region == "" {
		return name
	}
	return name + " (" + t.Region + ")"
}

func (c *Client) issueCCE(ctx context.Context, o op, t Target, v Validity) (*Issued, error) {
	if t.Legacy() {
		return c.issueLegacy(ctx, o, t)
	}
	kc, rec, err := c.postClusterCert(ctx, o, t, v)
	if e, ok := asError(err); ok && (e.Status == http.StatusNotFound || e.Status == http.StatusMethodNotAllowed) {
		return c.issueLegacy(ctx, o, t)
	}
	if err != nil {
		return nil, err
	}
	return finishIssued(o, rec, kc, roleCCE, false)
}

func (c *Client) issueLegacy(ctx context.Context, o op, t Target) (*Issued, error) {
	kc, rec, err := c.getLegacyClusterCert(ctx, o, t)
	if err != nil {
		return nil, err
	}
	return finishIssued(o, rec, kc, roleCCE, true)
}

func (c *Client) issueAutopilot(ctx context.Context, o op, t Target, v Validity) (*Issued, error) {
	kc, rec, err := c.postAutopilotCert(ctx, o, t, v)
	if err != nil {
		return nil, err
	}
	return finishIssued(o, rec, kc, roleCCE, false)
}

func (c *Client) issueFleet(ctx context.Context, o op, t Target, req CertRequest) (*Issued, error) {
	if !t.Federation {
		return nil, o.failure(callRecord{}, errors.New("federation is not enabled for this fleet: enable it in the UCS console, then fetch again"))
	}
	if (req.VPCID == "") != (req.SubnetID == "") {
		return nil, o.failure(callRecord{}, errors.New("a federation connection needs both a VPC and a subnet: pick both, or neither to reuse the existing connection"))
	}
	o.forbidden = "grant this IAM user UCS permission to manage this fleet's federation (read access is not enough for a certificate)"
	days := req.Validity.Days
	if days == MaxDuration {
		days = FleetMaxDays
	}
	var (
		kc  *kubeconfig
		rec callRecord
		err error
	)
	if req.VPCID != "" {
		projectID := firstNonEmpty(req.ProjectID, t.ProjectID)
		if projectID == "" {
			return nil, o.failure(callRecord{}, errors.New("the VPC's project is unknown: pick the project of the VPC"))
		}
		kc, rec, err = c.createFederationCert(ctx, o, t, projectID, req.VPCID, req.SubnetID, days)
	} else {
		o.hint = "no federation connection yet: pick a VPC and subnet to create one"
		kc, rec, err = c.downloadFederationKubeconfig(ctx, o, t, days)
	}
	if err != nil {
		return nil, err
	}
	return finishIssued(o, rec, kc, roleFleet, false)
}

// finishIssued validates the kubeconfig and stamps the response metadata.
func finishIssued(o op, rec callRecord, kc *kubeconfig, role roleFunc, legacy bool) (*Issued, error) {
	is, err := kc.issued(role)
	if err != nil {
		return nil, o.failure(rec, fmt.Errorf("the issued kubeconfig is invalid: %w", err))
	}
	is.Legacy = legacy
	is.RequestID = rec.requestID
	is.PortID = kc.portID
	return is, nil
}

// expireAt formats an exact expiry for the SDK.
func expireAt(t time.Time) string { return t.UTC().Format(expireAtLayout) }
