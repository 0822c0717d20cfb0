package engine

import (
	"context"
	"errors"
	"strings"
	"time"

	"ccecert/api"
	"ccecert/store"
)

// Cloud is what the engine needs from the cloud; *api.Client implements it.
type Cloud interface {
	Inventory(ctx context.Context, opts api.InventoryOptions) (*api.Inventory, error)
	Issue(ctx context.Context, t api.Target, req api.CertRequest) (*api.Issued, error)
	Revoke(ctx context.Context, t api.Target, userID string) (*api.RevokeResult, error)
	VPCs(ctx context.Context, projectID string) ([]api.VPC, error)
	Projects(ctx context.Context) ([]api.Project, error)
}

// Engine is the product's one workflow, shared by the CLI and the TUI:
// list targets, fetch a certificate, store it, write it into a kubeconfig,
// renew, revoke, export. It holds no state of its own beyond its deps.
type Engine struct {
	Store  *store.Store
	Config store.Config
	// Profile is the profile this engine works for (store.DefaultProfile
	// when empty): what it lists, issues and logs is recorded under it.
	Profile string
	// Cloud builds the cloud client on first use, so commands that never
	// talk to the cloud (status, credential) never build one.
	Cloud func() (Cloud, error)
	// Kubeconfig is the file new credentials are written to.
	Kubeconfig string
	// KubeconfigPaths is the $KUBECONFIG list kubectl reads Kubeconfig
	// with (store.KubeconfigPaths): a name taken in any of its files is
	// not given to a new context, cluster or user entry. Empty = none.
	KubeconfigPaths []string
	// LockTimeout is how long to wait for another writer's kubeconfig
	// lock, checked before anything is issued (0 = store's default, 10s).
	LockTimeout time.Duration
	// ExecCommand and ExecPrefix make the exec-mode user entry:
	// ExecCommand ExecPrefix... credential <id>.
	ExecCommand string
	ExecPrefix  []string
	Now         func() time.Time
}

func (e *Engine) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

func (e *Engine) cloud() (Cloud, error) {
	if e.Cloud == nil {
		return nil, errors.New("no cloud client configured")
	}
	return e.Cloud()
}

// event appends to the events log; a failure to log never fails the action.
func (e *Engine) event(ctx context.Context, action, target, cred string, err error) {
	result := "ok"
	if err != nil {
		result = "error: " + err.Error()
	}
	ctx = context.WithoutCancel(ctx)
	_ = e.Store.AppendEvent(ctx, store.Event{Action: action, Target: target, Credential: cred, Result: result, At: e.now(),
		Who: e.subjectOf(ctx, cred), RequestID: requestIDOf(err), Profile: e.profile()})
}

// subjectOf is who a credential's certificate was issued to (its CN, the
// IAM user id); for "old -> new" the new one's. "" when unknown.
func (e *Engine) subjectOf(ctx context.Context, cred string) string {
	if i := strings.LastIndex(cred, " "); i >= 0 {
		cred = cred[i+1:]
	}
	if cred == "" {
		return ""
	}
	c, err := e.Store.Find(ctx, cred)
	if err != nil {
		return ""
	}
	return c.Subject
}

// requestIDOf is the cloud's request id an error carries, if any.
func requestIDOf(err error) string {
	var ae *api.Error
	if errors.As(err, &ae) {
		return ae.RequestID
	}
	return ""
}
