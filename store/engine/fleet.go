package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"ccecert/api"
)

// issue asks the cloud for the certificate; a fleet's new federation
// connection first gets the project of its VPC.
func (e *Engine) issue(ctx context.Context, cloud Cloud, req FetchRequest) (*api.Issued, error) {
	project, err := e.vpcProject(ctx, req)
	if err != nil {
		return nil, err
	}
	iss, err := cloud.Issue(ctx, req.Target, api.CertRequest{Validity: req.Validity, ProjectID: project, VPCID: req.VPCID, SubnetID: req.SubnetID})
	var apiErr *api.Error
	if err != nil && req.Target.Kind == api.KindFleet && req.VPCID == "" && errors.As(err, &apiErr) && (apiErr.Status == 400 || apiErr.Status == 404) {
		msg := fmt.Sprintf("fleet %s has no federation connection yet (request %s): name a VPC and a subnet to create one", req.Target.Name, apiErr.RequestID)
		return nil, &HintError{Hint: HintCreateFleetConnection, Err: &restated{msg: msg, err: err}}
	}
	return iss, err
}

// vpcProject is the project of a fleet's new federation connection: the
// one asked for, else the target's own, else (fleets are global and have
// none) the project whose VPCs (as Engine.VPCs lists them) include VPCID,
// whose subnets must include SubnetID. Without a VPC it is the target's.
func (e *Engine) vpcProject(ctx context.Context, req FetchRequest) (string, error) {
	t := req.Target
	switch {
	case req.ProjectID != "":
		return req.ProjectID, nil
	case t.ProjectID != "" || t.Kind != api.KindFleet || req.VPCID == "":
		return t.ProjectID, nil
	}
	vpcs, err := e.VPCs(ctx, t)
	if err != nil {
		return "", fmt.Errorf("find the project of VPC %s: %w", req.VPCID, err)
	}
	for _, v := range vpcs {
		if v.ID != req.VPCID {
			continue
		}
		if !slices.ContainsFunc(v.Subnets, func(s api.Subnet) bool { return s.ID == req.SubnetID }) {
			return "", fmt.Errorf("subnet %s is not in VPC %s (%s): pick one of its subnets", req.SubnetID, v.Name, v.ID)
		}
		return v.ProjectID, nil
	}
	return "", fmt.Errorf("VPC %s is in none of the projects your access key can use: pick one of the VPCs listed for fleet %s", req.VPCID, t.Name)
}
