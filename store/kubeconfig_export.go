package store

import (
	"errors"
	"fmt"

	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"ccecert/api"
)

// ExportOptions tune ExportConfig.
type ExportOptions struct {
	Role     api.ContextRole // the context to export; empty = a TLS-verifying one if any
	Template string          // context name template; empty = DefaultNaming
}

// ExportConfig builds a standalone kubeconfig for one context of e with the
// certificate and key (or token) inline and current-context set, for
// handing to another machine or tool. e.Mode is ignored.
func ExportConfig(e Entry, opts ExportOptions) ([]byte, error) {
	tmpl, err := parseNaming(opts.Template)
	if err != nil {
		return nil, err
	}
	e.Mode = ModeInline
	if err := validateEntry(e); err != nil {
		return nil, fmt.Errorf("export %s: %w", e.Target.Label(), err)
	}
	i := pickCurrent(e.Contexts, opts.Role)
	if opts.Role != "" && e.Contexts[i].Role != opts.Role {
		return nil, fmt.Errorf("export %s: it has no %s context", e.Target.Label(), opts.Role)
	}
	ic := e.Contexts[i]
	name, err := renderName(tmpl, nameData(e.Target, e.Profile, ic.Role, 0))
	if err != nil {
		return nil, err
	}
	user := userName(e.Target, e.Profile, 0)
	cfg := clientcmdapi.NewConfig()
	cl := clientcmdapi.NewCluster()
	setCluster(cl, ic)
	ai := clientcmdapi.NewAuthInfo()
	setAuth(ai, e)
	cfg.Clusters[name] = cl
	cfg.AuthInfos[user] = ai
	cfg.Contexts[name] = &clientcmdapi.Context{Cluster: name, AuthInfo: user}
	cfg.CurrentContext = name
	data, err := encodeKubeconfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("export %s: %w", e.Target.Label(), err)
	}
	return data, nil
}

// EntryFor rebuilds the Entry of a stored credential, for Store.Merge or
// ExportConfig, with its key (or token, for token-only ones) from
// Store.Key / Store.Token.
func EntryFor(c Credential, secret api.Secret, mode Mode) (Entry, error) {
	if len(c.Clusters) == 0 {
		return Entry{}, fmt.Errorf("credential %s has no cluster endpoints recorded", c.ID)
	}
	if mode == "" {
		mode = c.Mode
	}
	e := Entry{Target: c.Target, Mode: mode, CredentialID: c.ID, Profile: c.Profile}
	for _, cl := range c.Clusters {
		e.Contexts = append(e.Contexts, cl.context())
	}
	switch {
	case c.TokenOnly:
		e.Token = secret
	case mode != ModeExec && secret.Empty():
		return Entry{}, errors.New("an inline credential needs its key")
	default:
		e.CertPEM, e.Key = c.CertPEM, secret
	}
	return e, nil
}
