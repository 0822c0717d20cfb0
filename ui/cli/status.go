package cli

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"ccecert/api"

	"ccecert/store"
)

type statusFlags struct {
	within string
	all    bool
	output string
}

func newStatusCmd(g *globalFlags, e env) *cobra.Command {
	var f statusFlags
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show every known credential and how long it has left, most urgent first",
		Long: `Show every known credential (fetched, imported, scanned), most urgent first.

Exit status 3 when a live credential needs attention: without --within, when
its health is warning or worse; with --within D, when it has expired or
expires within D. Otherwise 0.`,
		Example: `  ccecert status
  ccecert status --within 7d -o json
  ccecert status -o prometheus > /var/lib/node_exporter/ccecert.prom`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkChoice("-o", f.output, "table", "json", "prometheus"); err != nil {
				return err
			}
			within, err := parseWithin(f.within)
			if err != nil {
				return err
			}
			return withApp(cmd, g, e, func(ctx context.Context, a *app) error { return runStatus(ctx, a, f, within) })
		},
	}
	cmd.Flags().StringVar(&f.within, "within", "", "attention window: 30s, 15m, 12h, Nd or Nw (default: health warning or worse)")
	cmd.Flags().BoolVar(&f.all, "all", false, "include revoked and replaced credentials")
	cmd.Flags().StringVarP(&f.output, "output", "o", "table", "output: table, json or prometheus")
	return cmd
}

func parseWithin(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	return api.ParseWithin(s)
}

func runStatus(ctx context.Context, a *app, f statusFlags, within time.Duration) error {
	creds, err := a.store.Credentials(ctx, store.Filter{All: f.all})
	if err != nil {
		return err
	}
	now := a.env.now()
	sortUrgent(creds, now, a.cfg.Thresholds)
	switch f.output {
	case "json":
		views := make([]credView, 0, len(creds))
		for _, c := range creds {
			views = append(views, credentialView(c, now, a.cfg.Thresholds))
		}
		err = writeJSON(a.env.stdout, views)
	case "prometheus":
		err = writePrometheus(a.env.stdout, creds, now)
	default:
		err = writeStatusTable(a, creds, now)
	}
	if err != nil {
		return err
	}
	for _, c := range creds {
		if a.engine.NeedsAttention(c, within) {
			return errExit(3, nil)
		}
	}
	return nil
}

// sortUrgent orders credentials most urgent first: by health rank, then by
// time left.
func sortUrgent(creds []store.Credential, now time.Time, th store.Thresholds) {
	sort.SliceStable(creds, func(i, j int) bool {
		hi, hj := creds[i].Health(now, th).Rank(), creds[j].Health(now, th).Rank()
		if hi != hj {
			return hi < hj
		}
		return creds[i].NotAfter.Before(creds[j].NotAfter)
	})
}

func writeStatusTable(a *app, creds []store.Credential, now time.Time) error {
	w := a.env.stdout
	if len(creds) == 0 {
		if !a.g.quiet {
			fmt.Fprintln(a.env.stderr, "no credentials yet: fetch one with `ccecert get TARGET`, or `ccecert scan` your kubeconfig")
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tTARGET\tREGION\tCONTEXTS\tEXPIRES\tREMAINING\tHEALTH\tSOURCE")
	for _, c := range creds {
		h := c.Health(now, a.cfg.Thresholds)
		expires := "-"
		if !c.TokenOnly {
			expires = c.NotAfter.Local().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", c.ID, inert(c.Target.Name), inert(c.Target.Region),
			inert(strings.Join(c.Contexts, ",")), expires, c.Countdown(now), strings.ToUpper(h.String()), c.Source)
	}
	return tw.Flush()
}
