package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"ccecert/api"
	"ccecert/store"
)

type statusFlags struct {
	within string
	all    bool
	out    outputFlags
}

const formatPrometheus = "prometheus"

func newStatusCmd(g *globalFlags, e env) *cobra.Command {
	var f statusFlags
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show every known credential and how long it has left, most urgent first",
		Long: `Show every known credential (fetched, imported, scanned), most urgent first.

It covers every profile, so expiry monitoring misses no account; the
PROFILE column (profile in JSON, a label in prometheus) says whose each
is. --profile (or CCECERT_PROFILE) narrows it to one profile.

Exit status 3 when a live credential needs attention, that is when its
health reads warning or worse; the ATTENTION column (attention in JSON) marks
those rows. --within D moves the warning line to D: a credential turns
warning when it expires within D (critical and expired as usual, critical
never later than D), so the health words, the marks and the exit status
agree. Otherwise 0.`,
		Example: `  ccecert status
  ccecert status --profile prod-eu
  ccecert status --within 7d -o json
  ccecert status -o jsonpath='{range [?(@.attention)]}{.id}{"\n"}{end}'
  ccecert status -o prometheus > /var/lib/node_exporter/ccecert.prom`,
		Args:              cobra.NoArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := f.out.parse()
			if err != nil {
				return err
			}
			within, err := parseWithin(f.within)
			if err != nil {
				return err
			}
			return withApp(cmd, g, e, func(ctx context.Context, a *app) error { return runStatus(ctx, a, f, format, within) })
		},
	}
	cmd.Flags().StringVar(&f.within, "within", "", "attention window: 30s, 15m, 12h, Nd or Nw (default: the warning thresholds)")
	cmd.Flags().BoolVar(&f.all, "all", false, "include revoked and replaced credentials")
	f.out.register(cmd, formatTable, append(kubectlFormats, formatPrometheus)...)
	completeChoices(cmd, "within", windowChoices...)
	return cmd
}

// windowChoices are the --within values completion offers.
var windowChoices = []string{"1d", "7d", "14d", "30d", "60d", "90d"}

func parseWithin(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	return api.ParseWithin(s)
}

// withinThresholds are the thresholds status judges by: the config's, or
// with a window, warning at the window and critical no later than it.
func withinThresholds(th store.Thresholds, within time.Duration) store.Thresholds {
	if within <= 0 {
		return th
	}
	crit := th.Critical
	crit.Within = min(crit.Within, within)
	return store.Thresholds{Warning: store.Threshold{Within: within}, Critical: crit}
}

// needsAttention reports whether c makes status exit 3: live, with a
// certificate, and warning or worse by th (not yet valid counts: clock
// skew).
func needsAttention(c store.Credential, now time.Time, th store.Thresholds) bool {
	if !c.Active() || c.TokenOnly {
		return false
	}
	return c.Health(now, th).Rank() <= store.HealthWarning.Rank()
}

func runStatus(ctx context.Context, a *app, f statusFlags, format outputFormat, within time.Duration) error {
	filter := store.Filter{All: f.all, Brief: true}
	if a.named { // every profile's by default: expiry monitoring misses no account
		filter.Profile = a.profile.Name
	}
	creds, err := a.store.Credentials(ctx, filter)
	if err != nil {
		return err
	}
	now := a.env.now()
	th := withinThresholds(a.cfg.Thresholds, within)
	sortUrgent(creds, now, th)
	if err := writeStatus(a, format, creds, now, th); err != nil {
		return err
	}
	for _, c := range creds { // beyond health: a damaged row, an interrupted run
		if n := c.Attention(); n != "" {
			fmt.Fprintf(a.env.stderr, "ccecert: warning: credential %s: %s\n", c.ID, inert(n))
		}
	}
	for _, c := range creds {
		if needsAttention(c, now, th) {
			return errExit(3, nil)
		}
	}
	return nil
}

func writeStatus(a *app, format outputFormat, creds []store.Credential, now time.Time, th store.Thresholds) error {
	w := a.env.stdout
	views := make([]credView, 0, len(creds))
	for _, c := range creds {
		views = append(views, statusView(c, now, th))
	}
	if done, err := format.writeData(w, views); done {
		return err
	}
	switch format.name {
	case formatPrometheus:
		return writePrometheus(w, creds, now, th)
	case formatName:
		ids := make([]string, len(creds))
		for i, c := range creds {
			ids[i] = c.ID
		}
		return writeNames(w, ids)
	}
	if len(creds) == 0 {
		if !a.g.quiet {
			fmt.Fprintln(a.env.stderr, "no credentials yet: fetch one with `ccecert get TARGET`, or `ccecert scan` your kubeconfig")
		}
		return nil
	}
	return writeCredTable(w, format, views, creds, now, th)
}

// statusView is the credential's JSON with its attention mark.
func statusView(c store.Credential, now time.Time, th store.Thresholds) credView {
	v := credentialView(c, now, th)
	attention := needsAttention(c, now, th)
	v.Attention = &attention
	return v
}

// sortUrgent orders credentials most urgent first: by health rank, then by
// time left.
func sortUrgent(creds []store.Credential, now time.Time, th store.Thresholds) {
	store.SortUrgent(creds, now, th)
}

// credColumns are the credential table of status and get; -o wide adds
// what the JSON has beyond it.
var credColumns = []column{{header: "ID"}, {header: "PROFILE"}, {header: "TARGET"}, {header: "REGION"}, {header: "CONTEXTS"}, {header: "EXPIRES"},
	{header: "REMAINING"}, {header: "HEALTH"}, {header: "ATTENTION"}, {header: "SOURCE"},
	{header: "KIND", wide: true}, {header: "SUBJECT", wide: true}, {header: "NOT BEFORE", wide: true}, {header: "MODE", wide: true},
	{header: "KUBECONFIG", wide: true}, {header: "FINGERPRINT", wide: true}}

// writeCredTable writes views (of creds, in the same order) as a table.
func writeCredTable(w io.Writer, format outputFormat, views []credView, creds []store.Credential, now time.Time, th store.Thresholds) error {
	rows := make([][]string, 0, len(views))
	for i, v := range views {
		c := creds[i]
		expires, notBefore := "-", "-"
		if !c.TokenOnly {
			expires = c.NotAfter.Local().Format("2006-01-02 15:04")
			notBefore = c.NotBefore.Local().Format("2006-01-02 15:04")
		}
		health := strings.ToUpper(c.Health(now, th).String()) // NOTYET where JSON has warning and not_yet_valid
		attention := "-"
		if v.Attention != nil && *v.Attention {
			attention = "yes"
		}
		rows = append(rows, []string{c.ID, inert(v.Profile), inert(c.Target.Name), dash(inert(c.Target.Region)), dash(inert(strings.Join(c.Contexts, ","))),
			expires, c.Countdown(now), health, attention, string(c.Source),
			string(v.Target.Kind), dash(inert(c.Subject)), notBefore, dash(string(c.Mode)), dash(inert(c.Kubeconfig)), dash(c.Fingerprint)})
	}
	return format.writeTable(w, credColumns, rows)
}
