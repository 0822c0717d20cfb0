package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
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
// older than v1.13 get the legacy GET (Issued.Legacy: the validity is the
// cluster's own); so does a cluster whose POST route the gateway does not
// serve (404 APIGW.0101 or 405), never one the cloud says does not exist.
func (c *Client) Issue(ctx context.Context, t Target, req CertRequest) (*Issued, error) {
	o := op{name: "issue cert for", target: t.Label()}
	if err := c.supports(t.Kind, t.Region); err != nil {
		return nil, o.failure(callRecord{}, err)
	}
	now := c.now()
	if err := req.Validity.Validate(t.Kind, now); err != nil {
		return nil, o.failure(callRecord{}, err)
	}
	var (
		is  *Issued
		err error
	)
	switch t.Kind {
	case KindCCE:
		is, err = c.issueCCE(ctx, o, t, req.Validity, now)
	case KindAutopilot:
		is, err = c.issueAutopilot(ctx, o, t, req.Validity)
	case KindFleet:
		is, err = c.issueFleet(ctx, o, t, req)
	default:
		return nil, o.failure(callRecord{}, fmt.Errorf("unknown target kind %q", t.Kind))
	}
	if err != nil {
		return nil, err
	}
	is.checkExpiry(req.Validity, now)
	return is, nil
}

// certIssuedHint is what to check when a certificate POST failed after it
// was sent.
const certIssuedHint = "a certificate may have been issued: it stays valid until it expires " +
	"(revoke it if that worries you); fetching again issues another"

func (c *Client) issueCCE(ctx context.Context, o op, t Target, v Validity, now time.Time) (*Issued, error) {
	if t.Legacy() {
		return c.issueLegacy(ctx, o, t)
	}
	post := o
	post.mayHaveActed = certIssuedHint
	kc, rec, err := c.postClusterCert(ctx, post, t, v, now)
	if e, ok := asError(err); ok && routeMissing(e) {
		return c.issueLegacy(ctx, o, t)
	}
	if err != nil {
		return nil, err
	}
	return finishIssued(o, rec, kc, roleCCE, false)
}

// routeMissing reports an answer that says the API route itself is not
// served — the gateway's 404 APIGW.0101 "The API does not exist or has not
// been published in the environment" (API signing guide, error codes,
// https://support.huaweicloud.com/devg-apisign/api-sign-errorcode.html;
// dedicated gateways say APIG.0101, "What Are the Error Messages Returned
// by APIG Like?", https://support.huaweicloud.com/intl/en-us/apig_faq/apig-faq-180307001.html)
// or 405 — rather than a CCE error about the cluster (404 CCE.01404001:
// the cluster does not exist), which is final.
func routeMissing(e *Error) bool {
	if e.Status == http.StatusMethodNotAllowed {
		return true
	}
	return e.Status == http.StatusNotFound &&
		(strings.EqualFold(e.Code, "APIGW.0101") || strings.EqualFold(e.Code, "APIG.0101"))
}

func (c *Client) issueLegacy(ctx context.Context, o op, t Target) (*Issued, error) {
	kc, rec, err := c.getLegacyClusterCert(ctx, o, t)
	if err != nil {
		return nil, err
	}
	return finishIssued(o, rec, kc, roleCCE, true)
}

func (c *Client) issueAutopilot(ctx context.Context, o op, t Target, v Validity) (*Issued, error) {
	o.mayHaveActed = certIssuedHint
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
	if st := t.federationState(); st != "" {
		// Not refused: UCS decides. Should the call fail, the state is
		// the first thing to look at.
		o.hint = "the fleet's federation is " + st + ": check it in the UCS console"
	}
	if (req.VPCID == "") != (req.SubnetID == "") {
		return nil, o.failure(callRecord{}, errors.New("a federation connection needs both a VPC and a subnet: pick both, or neither to reuse the existing connection"))
	}
	o.forbidden = "grant this IAM user UCS permission to manage this fleet's federation (read access is not enough for a certificate)"
	o = c.ucsOp(o)
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
		o.mayHaveActed = "the federation connection (a VPC endpoint in the chosen VPC) may have been created: " +
			"check the fleet's federation in the UCS console, and fetch again without a VPC and subnet to use it"
		kc, rec, err = c.createFederationCert(ctx, o, t, projectID, req.VPCID, req.SubnetID, days)
	} else {
		if o.hint == "" {
			o.hint = "no federation connection yet: pick a VPC and subnet to create one"
		}
		o.mayHaveActed = certIssuedHint
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
