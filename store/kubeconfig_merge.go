package store

import (
	"fmt"
	"sort"
	"text/template"

	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"ccecert/api"
)

// maxClashLevel is the last naming level: name, name-profile, name-region,
// name-profile-region-id (nameData).
const maxClashLevel = 3

// mergeEntry applies e to cfg and returns the context names.
func mergeEntry(cfg *clientcmdapi.Config, e Entry, tmpl *template.Template, taken takenNames, opts MergeOptions) ([]string, error) {
	key := e.Target.Key()
	ctxNames, err := planContexts(cfg, e, tmpl, taken)
	if err != nil {
		return nil, err
	}
	user, err := planUser(cfg, e.Target, e.Profile, taken)
	if err != nil {
		return nil, err
	}
	ai := cfg.AuthInfos[user]
	if ai == nil {
		ai = clientcmdapi.NewAuthInfo()
		cfg.AuthInfos[user] = ai
	}
	setAuth(ai, e)
	ai.Extensions = setOwner(ai.Extensions, owner{Target: key})
	for i, ic := range e.Contexts {
		name := ctxNames[i]
		clusterName := planCluster(cfg, name, key, taken)
		cl := cfg.Clusters[clusterName]
		if cl == nil {
			cl = clientcmdapi.NewCluster()
			cfg.Clusters[clusterName] = cl
		}
		setCluster(cl, ic)
		cl.Extensions = setOwner(cl.Extensions, owner{Target: key, Role: string(ic.Role)})
		c := cfg.Contexts[name]
		if c == nil {
			c = clientcmdapi.NewContext()
			cfg.Contexts[name] = c
		}
		c.Cluster, c.AuthInfo = clusterName, user
		c.Extensions = setOwner(c.Extensions, owner{Target: key, Role: string(ic.Role)})
	}
	if opts.SetCurrent {
		cfg.CurrentContext = ctxNames[pickCurrent(e.Contexts, opts.Current)]
	}
	return ctxNames, nil
}

// planContexts names each context: the name of the context this target
// already has for that role (so renames and repeated merges keep one set),
// else the template at the lowest clash level where no name is taken by
// another target or by the operator, in this file or in another of the
// $KUBECONFIG list.
func planContexts(cfg *clientcmdapi.Config, e Entry, tmpl *template.Template, elsewhere takenNames) ([]string, error) {
	key := e.Target.Key()
	names := make([]string, len(e.Contexts))
	taken := map[string]bool{}
	var fresh []int
	for i, ic := range e.Contexts {
		if n := ownedContext(cfg, key, ic.Role); n != "" {
			names[i] = n
			taken[n] = true
			continue
		}
		fresh = append(fresh, i)
	}
	if len(fresh) == 0 {
		return names, nil
	}
	for level := 0; level <= maxClashLevel; level++ {
		ok := true
		candidate := map[int]string{}
		seen := map[string]bool{}
		for _, i := range fresh {
			n, err := renderName(tmpl, nameData(e.Target, e.Profile, e.Contexts[i].Role, level))
			if err != nil {
				return nil, err
			}
			if taken[n] || seen[n] || !freeFor(cfg, n, key) || elsewhere.contexts[n] != "" || elsewhere.clusters[n] != "" {
				ok = false
				break
			}
			seen[n] = true
			candidate[i] = n
		}
		if ok {
			for i, n := range candidate {
				names[i] = n
			}
			return names, nil
		}
	}
	n, _ := renderName(tmpl, nameData(e.Target, e.Profile, e.Contexts[fresh[0]].Role, 0))
	return nil, fmt.Errorf("no free context name for %s: %q and its variants with region and id are taken by other entries (in this file or another of $KUBECONFIG); rename or remove them, or change the naming template", e.Target.Label(), n)
}

// ownedContext finds the context the target already has for role.
func ownedContext(cfg *clientcmdapi.Config, key string, role api.ContextRole) string {
	var found []string
	for name, c := range cfg.Contexts {
		if w, ok := ownerOf(c.Extensions); ok && w.Target == key && w.Role == string(role) {
			found = append(found, name)
		}
	}
	sort.Strings(found)
	if len(found) == 0 {
		return ""
	}
	return found[0]
}

// freeFor reports whether name may be used for the target's context and
// cluster: unused, or used only by the target's own entries.
func freeFor(cfg *clientcmdapi.Config, name, key string) bool {
	if c, ok := cfg.Contexts[name]; ok && !ownedBy(c.Extensions, key) {
		return false
	}
	if c, ok := cfg.Clusters[name]; ok && !ownedBy(c.Extensions, key) {
		return false
	}
	return true
}

// planCluster picks the cluster entry for a context: the one it already
// points to when that is ours, else one named like the context (or with a
// suffix when the operator has a cluster of that name).
func planCluster(cfg *clientcmdapi.Config, ctxName, key string, elsewhere takenNames) string {
	if c, ok := cfg.Contexts[ctxName]; ok {
		if cl, ok := cfg.Clusters[c.Cluster]; ok && ownedBy(cl.Extensions, key) {
			return c.Cluster
		}
	}
	name := ctxName
	for i := 2; ; i++ {
		cl, ok := cfg.Clusters[name]
		if (!ok && elsewhere.clusters[name] == "") || (ok && ownedBy(cl.Extensions, key)) {
			return name
		}
		name = fmt.Sprintf("%s-%d", ctxName, i)
	}
}

// planUser picks the target's one user entry: the one it has, else
// ccecert-<name> at the lowest clash level free in this file and the
// others of $KUBECONFIG.
func planUser(cfg *clientcmdapi.Config, t api.Target, profile string, elsewhere takenNames) (string, error) {
	key := t.Key()
	var owned []string
	for name, ai := range cfg.AuthInfos {
		if ownedBy(ai.Extensions, key) {
			owned = append(owned, name)
		}
	}
	if len(owned) > 0 {
		sort.Strings(owned)
		return owned[0], nil
	}
	for level := 0; level <= maxClashLevel; level++ {
		name := userName(t, profile, level)
		if _, taken := cfg.AuthInfos[name]; !taken && elsewhere.users[name] == "" {
			return name, nil
		}
	}
	return "", fmt.Errorf("no free user entry name for %s: %q and its variants are taken; rename or remove them", t.Label(), userName(t, profile, 0))
}

// setCluster updates only the server, CA, insecure flag and, when a TLS
// check needs one, tls-server-name; kubectl refuses CA data together with
// insecure-skip-tls-verify, so one excludes the other. A tls-server-name
// the operator set is kept unless the check needs another.
func setCluster(cl *clientcmdapi.Cluster, ic api.IssuedContext) {
	cl.Server = ic.Server
	cl.CertificateAuthority = ""
	if ic.TLSServerName != "" {
		cl.TLSServerName = ic.TLSServerName
	}
	if ic.InsecureSkipTLSVerify {
		cl.InsecureSkipTLSVerify = true
		cl.CertificateAuthorityData = nil
		return
	}
	cl.InsecureSkipTLSVerify = false
	cl.CertificateAuthorityData = ic.CAData
}

// setAuth replaces the auth fields of a user entry, keeping the rest
// (impersonation, extensions).
func setAuth(ai *clientcmdapi.AuthInfo, e Entry) {
	ai.ClientCertificate, ai.ClientKey, ai.ClientCertificateData, ai.ClientKeyData = "", "", nil, nil
	ai.Token, ai.TokenFile, ai.Username, ai.Password = "", "", "", ""
	ai.AuthProvider, ai.Exec = nil, nil
	if e.Mode == ModeExec {
		ai.Exec = execConfig(e)
		return
	}
	if len(e.CertPEM) > 0 {
		ai.ClientCertificateData = e.CertPEM
		ai.ClientKeyData = pemOrBase64(e.Key.Reveal())
		return
	}
	ai.Token = string(e.Token.Reveal())
}

// execConfig runs `ccecert credential <id>` through the v1 exec protocol.
func execConfig(e Entry) *clientcmdapi.ExecConfig {
	cmd, args := e.ExecCommand, e.ExecArgs
	if cmd == "" {
		cmd = AppName
	}
	if len(args) == 0 {
		args = []string{"credential", e.CredentialID}
	}
	return &clientcmdapi.ExecConfig{
		APIVersion:         ExecAPIVersion,
		Command:            cmd,
		Args:               args,
		InstallHint:        "this context runs `ccecert credential`: put ccecert on PATH, or write the credential inline with `ccecert get --mode inline`",
		InteractiveMode:    clientcmdapi.NeverExecInteractiveMode,
		ProvideClusterInfo: false,
	}
}

// pickCurrent chooses the context to make current: the wanted role, else
// the first that verifies TLS, else the first.
func pickCurrent(ctxs []api.IssuedContext, want api.ContextRole) int {
	for i, c := range ctxs {
		if want != "" && c.Role == want {
			return i
		}
	}
	for i, c := range ctxs {
		if !c.InsecureSkipTLSVerify {
			return i
		}
	}
	return 0
}
