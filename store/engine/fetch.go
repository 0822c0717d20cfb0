package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"ccecert/api"
	"ccecert/store"
)

// FetchRequest is one certificate to fetch and write.
type FetchRequest struct {
	Target   api.Target
	Validity api.Validity
	// Roles are the contexts to write (internal, external); empty = auto,
	// DefaultRoles: external when the cluster has an EIP, else internal.
	// Fleets have one.
	Roles      []api.ContextRole
	Mode       store.Mode // default: the config's
	Kubeconfig string     // default: the engine's
	Use        bool       // make the new context current
	// Fleets: the VPC and subnet of a new federation connection; empty =
	// download from the existing connection.
	VPCID, SubnetID string
	// ProjectID is the project of VPCID (Engine.VPCs says it; fleets are
	// global and have none); empty = found by listing the VPCs.
	ProjectID string
}

// FetchResult is what a fetch stored and wrote.
type FetchResult struct {
	Credential store.Credential
	Contexts   []string // context names written, in the order of Credential.Clusters
	Kubeconfig string
	Warnings   []string
	// Notices are the kubeconfig write's news for the operator, once: its
	// original kept as FILE.ccecert-orig, comments or unknown keys the
	// rewrite dropped, its mode tightened to 0600.
	Notices []string
}

// Fetch checks the request (nothing reaches the cloud when it is already
// wrong), issues the certificate, stores it with its key encrypted, merges
// it into the kubeconfig and records where it went.
func (e *Engine) Fetch(ctx context.Context, req FetchRequest) (FetchResult, error) {
	req, err := e.fetchDefaults(req)
	t := req.Target
	if err == nil {
		err = e.preflight(ctx, req)
	}
	if err != nil {
		e.event(ctx, "fetch", t.Key(), "", err)
		return FetchResult{}, err
	}
	cloud, err := e.cloud()
	if err != nil {
		return FetchResult{}, err
	}
	iss, err := e.issue(ctx, cloud, req)
	if err != nil {
		e.event(ctx, "fetch", t.Key(), "", err)
		return FetchResult{}, err
	}
	res, err := e.keep(ctx, req, iss)
	e.event(ctx, "fetch", t.Key(), res.Credential.ID, err)
	return res, err
}

func (e *Engine) fetchDefaults(req FetchRequest) (FetchRequest, error) {
	if req.Mode == "" {
		req.Mode = e.Config.Mode
	}
	if req.Mode == "" {
		req.Mode = store.ModeInline
	}
	if req.Kubeconfig == "" {
		req.Kubeconfig = e.Kubeconfig
	}
	kube, err := store.AbsPath(req.Kubeconfig) // recorded: the same file from any directory
	if err != nil {
		return req, err
	}
	req.Kubeconfig = kube
	if req.Target.Kind == api.KindFleet {
		req.Roles = nil
	} else if len(req.Roles) == 0 {
		req.Roles = DefaultRoles(req.Target)
	}
	if req.Target.Legacy() && req.Validity == (api.Validity{}) {
		req.Validity = api.Days(30) // ignored by the legacy GET; passes validation
	}
	return req, nil
}

// preflight refuses what the cloud would refuse, or what could not be
// written, before any request: a kubeconfig a live writer holds locked is
// an error now, not after a certificate was issued for nothing.
func (e *Engine) preflight(ctx context.Context, req FetchRequest) error {
	t := req.Target
	if err := req.Validity.Validate(t.Kind, e.now()); err != nil {
		return err
	}
	switch {
	case t.Hibernated():
		return fmt.Errorf("%s is hibernating: wake it up in the CCE console, then fetch again", t.Label())
	case t.Kind == api.KindFleet && !t.Federation:
		return fmt.Errorf("fleet %s has federation off: enable federation for it in the UCS console first", t.Name)
	case t.Kind == api.KindFleet && (req.VPCID == "") != (req.SubnetID == ""):
		return &HintError{Hint: HintCreateFleetConnection, Err: errors.New("a fleet's new federation connection needs both a VPC and a subnet")}
	case slices.Contains(req.Roles, api.RoleExternal) && !t.HasEIP():
		return &HintError{Hint: HintUseInternalContext, Err: fmt.Errorf("%s has no EIP, so no external context: fetch its internal context only, or bind an EIP to the cluster", t.Label())}
	case req.Mode != store.ModeInline && req.Mode != store.ModeExec:
		return fmt.Errorf("write mode %q: use inline or exec", req.Mode)
	}
	if err := kubeconfigHint(e.Store.CheckKubeconfig(req.Kubeconfig)); err != nil {
		return err
	}
	return store.WaitKubeconfigLock(ctx, req.Kubeconfig, e.LockTimeout)
}

// keep stores an issued credential and writes the chosen contexts.
func (e *Engine) keep(ctx context.Context, req FetchRequest, iss *api.Issued) (FetchResult, error) {
	t := req.Target
	chosen, err := chooseContexts(t, iss, req.Roles)
	if err != nil {
		return FetchResult{}, err
	}
	chosen.Contexts = e.secureContexts(ctx, chosen.Contexts)
	cred, err := e.Store.AddCredential(ctx, t, &chosen, store.Meta{Validity: req.Validity, Source: store.SourceFetched, Kubeconfig: req.Kubeconfig, Mode: req.Mode, Profile: e.profile()})
	if err != nil {
		return FetchResult{}, err
	}
	res := FetchResult{Credential: cred, Kubeconfig: req.Kubeconfig}
	if iss.Legacy {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%s is older than v1.13: its certificate came from the legacy API, so the validity is the cluster's own (until %s), not the one asked for", t.Label(), cred.NotAfter.UTC().Format("2006-01-02 15:04 MST")))
	}
	entry := store.Entry{Target: t, Profile: e.profile(), Contexts: chosen.Contexts, Mode: req.Mode, CertPEM: chosen.CertPEM, Key: chosen.Key, Token: chosen.Token,
		CredentialID: cred.ID, ExecCommand: e.ExecCommand, ExecArgs: e.execArgs(cred.ID)}
	mr, err := e.Store.MergeFile(ctx, req.Kubeconfig, entry, e.mergeOptions(req.Use))
	if err != nil {
		return res, fmt.Errorf("%w (the certificate is stored as %s but is in no kubeconfig: `ccecert export %s` writes it elsewhere, and the next get or renew writes it)", err, cred.ID, cred.ID)
	}
	names, user := mr.Contexts, mr.User
	res.Notices = mr.Notices
	// The file holds it now: record that whatever the caller does (an
	// interrupt), so the DB and the kubeconfig agree.
	ctx = context.WithoutCancel(ctx)
	if err := e.Store.RecordWrite(ctx, cred.ID, store.Written{Kubeconfig: req.Kubeconfig, User: user, Contexts: names, Mode: req.Mode}); err != nil {
		return res, err
	}
	if err := e.supersede(ctx, cred, req.Kubeconfig); err != nil {
		return res, err
	}
	cred.Contexts, cred.Kubeconfig, cred.Mode, cred.User = names, req.Kubeconfig, req.Mode, user
	res.Credential, res.Contexts = cred, names
	return res, nil
}

// mergeOptions are the engine's options for a kubeconfig merge.
func (e *Engine) mergeOptions(use bool) store.MergeOptions {
	return store.MergeOptions{Template: e.Config.Naming, SetCurrent: use, Now: e.Now, Others: e.KubeconfigPaths, LockTimeout: e.LockTimeout}
}

func (e *Engine) execArgs(id string) []string {
	if e.ExecCommand == "" {
		return nil // Store.Merge's default: ccecert credential <id>
	}
	return append(slices.Clone(e.ExecPrefix), "credential", id)
}

// chooseContexts keeps the issued contexts of the asked roles.
func chooseContexts(t api.Target, iss *api.Issued, roles []api.ContextRole) (api.Issued, error) {
	out := *iss
	if t.Kind == api.KindFleet || len(roles) == 0 {
		return out, nil
	}
	out.Contexts = nil
	for _, c := range iss.Contexts {
		if slices.Contains(roles, c.Role) {
			out.Contexts = append(out.Contexts, c)
		}
	}
	if len(out.Contexts) != len(roles) {
		return api.Issued{}, fmt.Errorf("the kubeconfig issued for %s lacks the %v context(s) asked for", t.Label(), roles)
	}
	return out, nil
}
