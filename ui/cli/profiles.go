package cli

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"ccecert/api"
	"ccecert/store"
)

type profilesFlags struct {
	out     outputFlags
	noCheck bool
	timeout time.Duration
}

// defaultCheckTimeout bounds the check of every profile's keys.
const defaultCheckTimeout = 15 * time.Second

func newProfilesCmd(g *globalFlags, e env) *cobra.Command {
	var f profilesFlags
	cmd := &cobra.Command{
		Use:   "profiles",
		Short: "List the profiles (accounts) of the config, their credential sources, and whether their keys work now",
		Long: `List the config's profiles: name, site, credential source, regions, and
whether the profile's keys work now, checked with one IAM call per profile
(the projects the key can use; KeystoneListAuthProjects), all at once and
bounded by --timeout. The current profile (--profile, CCECERT_PROFILE, else
the default) is marked *. Without a profiles section there is one profile,
default: the keys in CLOUD_SDK_AK/SK and the top-level site.`,
		Example: `  ccecert profiles
  ccecert profiles -o json
  ccecert profiles --no-check`,
		Args:              cobra.NoArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := f.out.parse()
			if err != nil {
				return err
			}
			if f.timeout <= 0 {
				return fmt.Errorf("--timeout %s: use a positive duration such as 15s", f.timeout)
			}
			return withApp(cmd, g, e, func(ctx context.Context, a *app) error { return runProfiles(ctx, a, f, format) })
		},
	}
	f.out.register(cmd, formatTable, kubectlFormats...)
	cmd.Flags().BoolVar(&f.noCheck, "no-check", false, "do not call IAM: list the profiles only")
	cmd.Flags().DurationVar(&f.timeout, "timeout", defaultCheckTimeout, "bound on checking every profile's keys")
	return cmd
}

// profileView is one profile in `profiles -o json`: a stable, documented
// shape. It never holds a key.
type profileView struct {
	Name       string          `json:"name"`
	Current    bool            `json:"current"`
	Site       string          `json:"site"`
	Source     string          `json:"source"`
	Regions    []string        `json:"regions"`
	Kubeconfig string          `json:"kubeconfig"`
	Check      profileCheckRes `json:"check"`
}

// profileCheckRes is how the check of a profile's keys went.
type profileCheckRes struct {
	State    string `json:"state"` // ok, failed or skipped
	Projects int    `json:"projects"`
	Error    string `json:"error,omitempty"`
}

func runProfiles(ctx context.Context, a *app, f profilesFlags, format outputFormat) error {
	profiles := a.all.ProfileList()
	views := make([]profileView, len(profiles))
	for i, p := range profiles {
		views[i] = a.profileView(p)
	}
	if !f.noCheck {
		a.checkProfiles(ctx, profiles, views, f.timeout)
	}
	if done, err := format.writeData(a.env.stdout, views); done {
		return err
	}
	if format.name == formatName {
		names := make([]string, len(views))
		for i, v := range views {
			names[i] = v.Name
		}
		return writeNames(a.env.stdout, names)
	}
	rows := make([][]string, 0, len(views))
	for _, v := range views {
		mark := ""
		if v.Current {
			mark = "*"
		}
		check := v.Check.State
		switch v.Check.State {
		case "ok":
			check = fmt.Sprintf("ok (%d projects)", v.Check.Projects)
		case "failed":
			check = "failed: " + v.Check.Error
		}
		rows = append(rows, []string{mark, inert(v.Name), inert(v.Site), inert(v.Source), dash(inert(strings.Join(v.Regions, ","))),
			inert(check), dash(inert(v.Kubeconfig))})
	}
	return format.writeTable(a.env.stdout, profileColumns, rows)
}

// profileColumns are the profiles table; -o wide adds the kubeconfig.
var profileColumns = []column{{header: "CURRENT"}, {header: "NAME"}, {header: "SITE"}, {header: "SOURCE"}, {header: "REGIONS"},
	{header: "CREDENTIALS"}, {header: "KUBECONFIG", wide: true}}

// profileView describes p without opening its source.
func (a *app) profileView(p store.Profile) profileView {
	site := string(p.Cloud.Site)
	if v := a.env.getenv(api.EnvSite); v != "" {
		site = v // the environment wins, as for the client
	}
	if site == "" {
		site = string(api.SiteHuaweiCloud)
	}
	return profileView{Name: p.Name, Current: p.Name == a.profile.Name, Site: site, Source: describeSpec(p),
		Regions: nonNilStrings(p.Regions), Kubeconfig: a.all.ForProfile(p).KubeconfigPath(a.env.getenv),
		Check: profileCheckRes{State: "skipped"}}
}

// describeSpec names a profile's source from its spec, never a secret.
func describeSpec(p store.Profile) string {
	s := p.Source
	switch s.Type {
	case "", "env":
		return "env"
	case "sdk-file":
		out := "sdk-file " + dash(s.File)
		if s.Section != "" {
			out += " [" + s.Section + "]"
		}
		return out
	case "process":
		if len(s.Command) > 0 {
			return "process " + s.Command[0]
		}
	}
	return s.Type
}

// checkProfiles checks every profile's keys at once with one IAM call
// each, all bounded by timeout, and fills views' Check and Source.
func (a *app) checkProfiles(ctx context.Context, profiles []store.Profile, views []profileView, timeout time.Duration) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var wg sync.WaitGroup
	for i, p := range profiles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			views[i].Check, views[i].Source = a.checkProfile(ctx, p, timeout, views[i].Source)
		}()
	}
	wg.Wait()
}

// checkProfile lists the projects p's key can use: the cheapest call that
// proves the key (IAM KeystoneListAuthProjects, GET /v3/auth/projects, as
// huaweicloud-sdk-go-v3 services/iam/v3/iam_meta.go defines it). A bad
// key is the gateway's 401 APIGW.0301, worded by api. It also returns the
// source as opened (a credentials file names its identity provider), else
// source.
func (a *app) checkProfile(ctx context.Context, p store.Profile, timeout time.Duration, source string) (profileCheckRes, string) {
	projects, opened, err := a.profileProjects(ctx, p)
	if opened != "" {
		source = opened
	}
	switch {
	case err == nil:
		return profileCheckRes{State: "ok", Projects: projects}, source
	case ctx.Err() != nil:
		return profileCheckRes{State: "failed", Error: fmt.Sprintf("no answer within %s: check the network and the profile's site, or raise --timeout", timeout)}, source
	}
	return profileCheckRes{State: "failed", Error: oneLine(errorText(err))}, source
}

// profileProjects counts the projects p's key can use, and names its
// source as opened; the call honours ctx, so the check ends with it.
func (a *app) profileProjects(ctx context.Context, p store.Profile) (int, string, error) {
	cloud, err := a.newCloud(ctx, p)
	if err != nil {
		return 0, "", err
	}
	projects, err := cloud.Projects(ctx)
	source := ""
	if c, ok := cloud.(interface{ Config() api.Config }); ok && c.Config().Keys != nil {
		source = c.Config().Keys.Describe()
	}
	return len(projects), source, err
}
