package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"ccecert/store"
	"ccecert/store/engine"
)

type renewFlags struct {
	within string
	dryRun bool
	yes    bool
}

func newRenewCmd(g *globalFlags, e env) *cobra.Command {
	var f renewFlags
	cmd := &cobra.Command{
		Use:   "renew [CREDENTIAL...]",
		Short: "Renew every live credential that needs attention, or the ones named, in place",
		Long: `Renew every live credential that needs attention (health warning or worse, or
with --within D: expired or expiring within D), or only the CREDENTIALs named
(an id from ` + "`ccecert status`" + `, a unique prefix of one, or a context name,
whatever their health), with its original validity and contexts, concurrently.
Kubeconfig entries are updated in place; the old credential is kept in history,
marked replaced. Exit 1 if any renewal failed.`,
		Example: `  ccecert renew --dry-run
  ccecert renew --within 30d --yes
  ccecert renew 3f9a2c1b prod-web-internal --yes`,
		ValidArgsFunction: completeCredentialArgs(g, e, true),
		RunE: func(cmd *cobra.Command, args []string) error {
			within, err := parseWithin(f.within)
			if err != nil {
				return err
			}
			if len(args) > 0 && within > 0 {
				return errors.New("name credentials or give --within, not both")
			}
			return withApp(cmd, g, e, func(ctx context.Context, a *app) error {
				due, err := renewTargets(ctx, a, args, within)
				if err != nil {
					return err
				}
				return runRenew(ctx, a, due, f)
			})
		},
	}
	cmd.Flags().StringVar(&f.within, "within", "", "renew what expires within this window: 30s, 15m, 12h, Nd or Nw")
	cmd.Flags().BoolVar(&f.dryRun, "dry-run", false, "list what would be renewed, change nothing")
	cmd.Flags().BoolVarP(&f.yes, "yes", "y", false, "do not ask for confirmation")
	completeChoices(cmd, "within", windowChoices...)
	return cmd
}

// renewTargets is what renew is to renew: the credentials named (each
// resolved and checked before anything is asked or changed), else every
// live one that needs attention, the newest per cluster and kubeconfig.
func renewTargets(ctx context.Context, a *app, refs []string, within time.Duration) ([]store.Credential, error) {
	a.reconcile(ctx)
	if len(refs) > 0 {
		var named []store.Credential
		for _, ref := range refs {
			c, err := a.store.Find(ctx, ref)
			if err != nil {
				return nil, err
			}
			if err := a.engine.CanRenew(c); err != nil {
				return nil, err
			}
			if !slices.ContainsFunc(named, func(n store.Credential) bool { return n.ID == c.ID }) {
				named = append(named, c)
			}
		}
		return named, nil
	}
	creds, err := a.store.Credentials(ctx, store.Filter{Profile: a.profile.Name}) // renewed with the profile's keys
	if err != nil {
		return nil, err
	}
	var due []store.Credential
	for _, c := range creds {
		if a.engine.NeedsAttention(c, within) && c.Source != store.SourceScanned {
			due = append(due, c)
		}
	}
	return engine.RenewSet(due), nil
}

func runRenew(ctx context.Context, a *app, due []store.Credential, f renewFlags) error {
	w := a.env.stdout
	now := a.env.now()
	if len(due) == 0 {
		if !a.g.quiet {
			fmt.Fprintln(w, "nothing needs renewing")
		}
		return nil
	}
	if f.dryRun || !f.yes {
		sortUrgent(due, now, a.cfg.Thresholds)
		noun := "credentials"
		if len(due) == 1 {
			noun = "credential"
		}
		fmt.Fprintf(w, "%d %s to renew, most urgent first:\n", len(due), noun)
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, c := range due {
			fmt.Fprintf(tw, "  %s\t%s (%s)\t%s\t%s\n", c.ID, inert(c.Target.Name), inert(c.Target.Region), c.Countdown(now), c.Health(now, a.cfg.Thresholds))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	if f.dryRun {
		return nil
	}
	if !f.yes {
		ok, err := confirm(a, "Renew them?")
		if err != nil || !ok {
			return err
		}
	}
	outcomes := a.engine.RenewAll(ctx, due, nil)
	return renewReport(w, outcomes, a)
}

func renewReport(w io.Writer, outcomes []engine.RenewOutcome, a *app) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "OLD\tNEW\tTARGET\tEXPIRES\tRESULT")
	var failed []string
	for _, o := range outcomes {
		if o.Err != nil {
			failed = append(failed, o.Old.ID)
			fmt.Fprintf(tw, "%s\t-\t%s\t-\tfailed: %s\n", o.Old.ID, inert(o.Old.Target.Name), inert(o.Err.Error()))
			continue
		}
		c := o.Result.Credential
		a.notices(o.Result.Notices)
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\trenewed (%s)\n", o.Old.ID, c.ID, inert(c.Target.Name), c.NotAfter.Local().Format("2006-01-02 15:04"), inert(strings.Join(o.Result.Contexts, ",")))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(failed) > 0 {
		return errExit(1, fmt.Errorf("%d of %d renewals failed: %s", len(failed), len(outcomes), strings.Join(failed, ", ")))
	}
	return nil
}

// errNotConfirmed is a question answered no, or asked where no one can answer.
var errNotConfirmed = errors.New("not confirmed: nothing was changed")
