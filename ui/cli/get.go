package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"ccecert/api"
	"ccecert/store"
	"ccecert/store/engine"
)

type getFlags struct {
	duration string
	expireAt string
	context  string
	mode     string
	use      bool
	noUse    bool
	vpcID    string
	subnetID string
	region   string
	out      outputFlags
}

const formatText = "text"

func newGetCmd(g *globalFlags, e env) *cobra.Command {
	var f getFlags
	cmd := &cobra.Command{
		Use:   "get TARGET",
		Short: "Fetch a client certificate for a cluster or fleet and write it into the kubeconfig",
		Long: `Fetch a client certificate for TARGET (a cluster or fleet name or id), store it
with its key encrypted, and merge it into the kubeconfig.

--duration takes N or Nd days, Nw weeks, Ny calendar years, or max (five
years); --expire-at takes RFC 3339 or YYYY-MM-DD. --context auto picks
external when the cluster has an EIP, else internal. A cluster older than
v1.13 gets its certificate from the legacy API, with the cluster's own
validity.`,
		Example: `  ccecert get prod-web --duration 7d
  ccecert get prod-payments --context both --mode exec --use
  ccecert get my-fleet --vpc-id VPC --subnet-id SUBNET -o json`,
		Args:              oneArg("a cluster or fleet name or id (from `ccecert list`)"),
		ValidArgsFunction: completeTargetArg(g, e),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := f.check(); err != nil {
				return err
			}
			format, err := f.out.parse()
			if err != nil {
				return err
			}
			return withApp(cmd, g, e, func(ctx context.Context, a *app) error {
				return runGet(ctx, a, args[0], f, format)
			})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.duration, "duration", "", "validity: N, Nd, Nw, Ny or max (default from the config, 30d)")
	fl.StringVar(&f.expireAt, "expire-at", "", "exact expiry: RFC 3339 or YYYY-MM-DD (instead of --duration)")
	fl.StringVar(&f.context, "context", "auto", "contexts to write: auto, internal, external or both")
	fl.StringVar(&f.mode, "mode", "", "write mode: inline or exec (default from the config)")
	fl.BoolVar(&f.use, "use", engine.DefaultUse, "make the new context the current one (the default, as aws/gcloud/az do)")
	fl.BoolVar(&f.noUse, "no-use", false, "leave the current context as it is")
	fl.StringVar(&f.vpcID, "vpc-id", "", "fleets: VPC of a new federation connection")
	fl.StringVar(&f.subnetID, "subnet-id", "", "fleets: subnet of a new federation connection")
	fl.StringVar(&f.region, "region", "", "region, when the name is in several")
	f.out.register(cmd, formatText, append([]string{formatText}, kubectlFormats...)...)
	completeChoices(cmd, "context", contextChoices...)
	completeChoices(cmd, "mode", modeChoices...)
	completeChoices(cmd, "duration", durationChoices...)
	completeRegions(cmd, g, e, "region")
	for _, name := range []string{"expire-at", "vpc-id", "subnet-id"} {
		_ = cmd.RegisterFlagCompletionFunc(name, cobra.NoFileCompletions) // free text, or the cloud's
	}
	return cmd
}

// The values of get's enumerated flags.
var (
	contextChoices  = []string{"auto", "internal", "external", "both"}
	modeChoices     = []string{string(store.ModeInline), string(store.ModeExec)}
	durationChoices = []string{"1d", "7d", "30d", "90d", "1y", "max"}
)

// check refuses flags that are wrong whatever the target, before anything
// is opened.
func (f getFlags) check() error {
	if err := checkChoice("--context", f.context, contextChoices...); err != nil {
		return err
	}
	if f.mode != "" {
		if err := checkChoice("--mode", f.mode, modeChoices...); err != nil {
			return err
		}
	}
	if f.duration != "" && f.expireAt != "" {
		return fmt.Errorf("use --duration or --expire-at, not both")
	}
	return nil
}

func (f getFlags) roles() []api.ContextRole {
	switch f.context {
	case "internal":
		return []api.ContextRole{api.RoleInternal}
	case "external":
		return []api.ContextRole{api.RoleExternal}
	case "both":
		return []api.ContextRole{api.RoleInternal, api.RoleExternal}
	}
	return nil
}

// validity reads --duration / --expire-at, else the config's default.
func (f getFlags) validity(a *app) (api.Validity, error) {
	now := a.env.now()
	switch {
	case f.expireAt != "":
		t, err := api.ParseExpireAt(f.expireAt, time.Local)
		return api.Until(t), err
	case f.duration != "":
		return api.ParseValidity(f.duration, now)
	}
	return a.cfg.Duration, nil
}

func runGet(ctx context.Context, a *app, ref string, f getFlags, format outputFormat) error {
	v, err := f.validity(a)
	if err != nil {
		return err
	}
	// CCE's range is the widest: what it refuses, every kind refuses, so
	// check before looking anything up. Fetch checks the target's own range.
	if err := v.Validate(api.KindCCE, a.env.now()); err != nil {
		return err
	}
	a.reconcile(ctx)
	t, err := a.engine.Resolve(ctx, ref, f.region, "")
	if err != nil {
		return err
	}
	// A legacy cluster's validity is its own: Fetch warns (once) with the
	// date it got.
	res, err := a.engine.Fetch(ctx, engine.FetchRequest{
		Target: t, Validity: v, Roles: f.roles(), Mode: store.Mode(f.mode), Use: f.use && !f.noUse, VPCID: f.vpcID, SubnetID: f.subnetID,
	})
	if err != nil {
		return err
	}
	for _, w := range res.Warnings {
		fmt.Fprintln(a.env.stderr, "ccecert: warning:", inert(w))
	}
	a.notices(res.Notices)
	return writeGot(a, format, res)
}

// writeGot prints the new credential in the format -o asked for: text, or
// the credential as status shows it (one object for json, yaml and
// jsonpath; one row for table and wide; its id for name).
func writeGot(a *app, format outputFormat, res engine.FetchResult) error {
	now, w := a.env.now(), a.env.stdout
	view := credentialView(res.Credential, now, a.cfg.Thresholds)
	if done, err := format.writeData(w, view); done {
		return err
	}
	switch format.name {
	case formatText:
		return writeFetched(a, res)
	case formatName:
		return writeNames(w, []string{res.Credential.ID})
	}
	return writeCredTable(w, format, []credView{view}, []store.Credential{res.Credential}, now, a.cfg.Thresholds)
}

func writeFetched(a *app, res engine.FetchResult) error {
	c := res.Credential
	now := a.env.now()
	w := a.env.stdout
	if a.g.quiet {
		_, err := fmt.Fprintln(w, c.ID)
		return err
	}
	fmt.Fprintf(w, "credential %s for %s (%s)\n", c.ID, inert(c.Target.Name), inert(c.Target.Region))
	for i, name := range res.Contexts {
		note := ""
		if i < len(c.Clusters) {
			note = "  (" + tlsNote(c.Clusters[i]) + ")"
		}
		fmt.Fprintf(w, "  context   %s%s\n", inert(name), note)
	}
	fmt.Fprintf(w, "  file      %s (%s)\n", inert(res.Kubeconfig), c.Mode)
	fmt.Fprintf(w, "  expires   %s (%s)\n", c.NotAfter.Local().Format("2006-01-02 15:04:05 MST"), c.Countdown(now))
	return nil
}

// tlsNote says how kubectl checks a context's server, with the reason when
// it does not: CCE's external entry skips the check unless ccecert found
// a way to verify it.
func tlsNote(r store.ClusterRef) string {
	switch r.TLS() {
	case api.TLSVerified:
		return "TLS verified with the cluster CA"
	case api.TLSServerName:
		return "TLS verified with the cluster CA, as " + inert(r.TLSServerName)
	}
	if r.TLSReason != "" {
		return "insecure-skip-tls-verify: the server certificate is not checked: " + inert(r.TLSReason)
	}
	return "insecure-skip-tls-verify: the server certificate is not checked"
}
