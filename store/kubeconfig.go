package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"ccecert/api"
)

// ExecAPIVersion is the client.authentication.k8s.io version of ccecert's
// exec plugin and ExecCredential.
const ExecAPIVersion = "client.authentication.k8s.io/v1"

// Entry is what one merge writes for one target: its contexts (from the
// issued kubeconfig) and one user entry shared by them.
type Entry struct {
	Target   api.Target
	Contexts []api.IssuedContext // the contexts to write, one per role
	Mode     Mode                // inline (default) or exec
	Profile  string              // the profile it is fetched under; joins names on a clash

	// Inline: the certificate and key (or a bearer token) go into the file.
	CertPEM []byte
	Key     api.Secret
	Token   api.Secret

	// Exec: the user entry runs ExecCommand ExecArgs, by default
	// `ccecert credential <CredentialID>`.
	CredentialID string
	ExecCommand  string
	ExecArgs     []string
}

// MergeOptions tune Store.Merge.
type MergeOptions struct {
	Template   string          // context name template; empty = DefaultNaming
	SetCurrent bool            // make one of the contexts current
	Current    api.ContextRole // which; empty = a TLS-verifying one if any
	// LockTimeout is how long to wait for another writer (default 10s);
	// StaleLock is the age after which a lock is taken over even if its
	// process seems alive (default 2m).
	LockTimeout time.Duration
	StaleLock   time.Duration
	Now         func() time.Time // nil = time.Now
	// Others are the other files of the $KUBECONFIG list the file is
	// read with (it may be among them): a name taken in any of them is
	// not given to a new entry, since kubectl's first-file-wins merge
	// would let one shadow the other.
	Others []string

	hooks writeHooks // tests only
}

// MergeResult is what one merge wrote.
type MergeResult struct {
	Contexts []string // in the order of Entry.Contexts
	User     string   // the user entry they share
	// Notices are for the operator, once: the original kept, what the
	// rewrite dropped (comments…), a file mode tightened.
	Notices []string
}

// mergeResult is what one merge wrote: the context names, in the order of
// Entry.Contexts, the user entry they share, and the file's notices.
type mergeResult struct {
	contexts []string
	user     string
	notices  []string
}

// Merge writes e into the kubeconfig at path (created if missing) and
// returns the context names written, in the order of e.Contexts, and the
// user entry they share. Every other entry is kept, and on entries ccecert
// wrote before only the server, CA and insecure flag (clusters) and the
// auth fields (users) are updated: namespaces, proxy-url, extensions and
// the like survive. Names come from the template, with the region added
// only when another target already has the name. The write is locked,
// atomic and leaves <path>.bak; merges of this Store in flight into the
// same file share one write (see kubeWriter).
func (s *Store) Merge(path string, e Entry, opts MergeOptions) (contexts []string, user string, err error) {
	res, err := s.MergeFile(context.Background(), path, e, opts)
	return res.Contexts, res.User, err
}

// MergeFile is Merge with a context, which ends the wait for another
// writer's lock (a write under way always finishes or rolls back whole),
// and the notices of the write.
func (s *Store) MergeFile(ctx context.Context, path string, e Entry, opts MergeOptions) (MergeResult, error) {
	path, err := AbsPath(path)
	if err != nil {
		return MergeResult{}, err
	}
	mutate, err := prepareMerge(path, e, opts)
	if err != nil {
		return MergeResult{}, err
	}
	fo := opts.fileOptions()
	fo.ctx = ctx
	fo.parsed = s.checks.take // the parse of the check before, if the file is unchanged
	res, err := s.kube.merge(path, fo, mutate)
	return MergeResult{Contexts: res.contexts, User: res.user, Notices: res.notices}, err
}

// prepareMerge checks e and opts and returns the change Merge makes.
func prepareMerge(path string, e Entry, opts MergeOptions) (func(*clientcmdapi.Config) (mergeResult, error), error) {
	tmpl, err := parseNaming(opts.Template)
	if err != nil {
		return nil, err
	}
	if err := validateEntry(e); err != nil {
		return nil, fmt.Errorf("write %s to %s: %w", e.Target.Label(), path, err)
	}
	taken, err := namesIn(opts.Others, path)
	if err != nil {
		return nil, err
	}
	return func(cfg *clientcmdapi.Config) (mergeResult, error) {
		names, err := mergeEntry(cfg, e, tmpl, taken, opts)
		if err != nil {
			return mergeResult{}, err
		}
		return mergeResult{contexts: names, user: cfg.Contexts[names[0]].AuthInfo}, nil
	}, nil
}

// validateEntry refuses what must never reach a kubeconfig.
func validateEntry(e Entry) error {
	if len(e.Contexts) == 0 {
		return errors.New("no contexts to write")
	}
	seen := map[api.ContextRole]bool{}
	for _, c := range e.Contexts {
		u, err := url.Parse(c.Server)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			return fmt.Errorf("context %q: server %q is not an https URL", c.Name, c.Server)
		}
		if seen[c.Role] {
			return fmt.Errorf("two contexts with role %q", c.Role)
		}
		seen[c.Role] = true
	}
	switch e.Mode {
	case ModeInline, "":
		if len(e.CertPEM) == 0 {
			if e.Token.Empty() {
				return errors.New("no certificate or token to write")
			}
			return nil
		}
		return KeyMatches(e.CertPEM, e.Key.Reveal())
	case ModeExec:
		if e.CredentialID == "" && len(e.ExecArgs) == 0 {
			return errors.New("exec mode needs the credential id")
		}
		return nil
	}
	return fmt.Errorf("unknown write mode %q: use inline or exec", e.Mode)
}

func (o MergeOptions) fileOptions() fileOptions {
	return fileOptions{lockTimeout: o.LockTimeout, staleLock: o.StaleLock, now: o.Now, hooks: o.hooks}
}
