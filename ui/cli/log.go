package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"ccecert/api"
	"ccecert/store"
)

type logFlags struct {
	since  string
	target string
	out    outputFlags
	limit  int
}

func newLogCmd(g *globalFlags, e env) *cobra.Command {
	var f logFlags
	cmd := &cobra.Command{
		Use:   "log",
		Short: "Show what ccecert did: every fetch, renewal, revocation, import and export, oldest first",
		Long: `Show the events log, oldest first: when, who (the IAM user id, the CN of the
certificates it was issued), what, on which target and credential, the result,
and the cloud's request id (for a support ticket). Secrets are never logged.

--since takes a window back from now (30m, 12h, 7d, 2w) or a time (RFC 3339 or
YYYY-MM-DD); --target a target's name or id.`,
		Example: `  ccecert log --since 7d
  ccecert log --target prod-web -o json`,
		Args:              cobra.NoArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := f.out.parse()
			if err != nil {
				return err
			}
			since, err := parseSince(f.since, e.now())
			if err != nil {
				return err
			}
			return withApp(cmd, g, e, func(ctx context.Context, a *app) error {
				recs, err := a.store.EventLog(ctx, store.EventQuery{Since: since, Target: f.target, Limit: f.limit})
				if err != nil {
					return err
				}
				if done, err := format.writeData(a.env.stdout, eventViews(recs)); done {
					return err
				}
				return writeEventTable(a.env.stdout, format, recs)
			})
		},
	}
	cmd.Flags().StringVar(&f.since, "since", "", "only events since: a window (12h, 7d) or a time (RFC 3339, YYYY-MM-DD)")
	cmd.Flags().StringVar(&f.target, "target", "", "only events of this target (name or id)")
	f.out.register(cmd, formatTable, formatTable, formatJSON, formatYAML, formatJSONPath)
	cmd.Flags().IntVar(&f.limit, "limit", 0, "only the newest N events (0: all)")
	completeChoices(cmd, "since", "1h", "1d", "7d", "30d")
	completeChoices(cmd, "limit")
	_ = cmd.RegisterFlagCompletionFunc("target", func(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		return completeTargetNames(cmd, g, e, toComplete)
	})
	return cmd
}

// parseSince reads --since: a window back from now, or a time.
func parseSince(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := api.ParseWithin(s); err == nil {
		return now.Add(-d), nil
	}
	if t, err := api.ParseExpireAt(s, time.Local); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("--since %q: use a window (30m, 12h, 7d, 2w) or a time (2006-01-02 or RFC 3339)", s)
}

// eventView is one event in `log -o json`: a stable, documented shape.
type eventView struct {
	Seq        int64  `json:"seq"`
	At         string `json:"at"`
	Who        string `json:"who"`
	Action     string `json:"action"`
	Target     string `json:"target"`
	TargetName string `json:"target_name"`
	Credential string `json:"credential"`
	Result     string `json:"result"`
	RequestID  string `json:"request_id"`
	Profile    string `json:"profile"`
}

func eventViews(recs []store.EventRecord) []eventView {
	out := make([]eventView, 0, len(recs))
	for _, r := range recs {
		out = append(out, eventView{Profile: profileName(r.Profile), Seq: r.Seq, At: r.At.UTC().Format(time.RFC3339Nano), Who: r.Who, Action: r.Action,
			Target: r.Target, TargetName: r.TargetName, Credential: r.Credential, Result: r.Result, RequestID: r.RequestID})
	}
	return out
}

func writeEventTable(w io.Writer, format outputFormat, recs []store.EventRecord) error {
	cols := []column{{header: "TIME"}, {header: "WHO"}, {header: "ACTION"}, {header: "TARGET"}, {header: "CREDENTIAL"},
		{header: "RESULT"}, {header: "REQUEST"}}
	rows := make([][]string, 0, len(recs))
	for _, r := range recs {
		target := r.TargetName
		if target == "" {
			target = r.Target
		}
		rows = append(rows, []string{r.At.Local().Format("2006-01-02 15:04:05"), dash(inert(r.Who)), inert(r.Action), dash(inert(target)),
			dash(inert(r.Credential)), inert(r.Result), dash(inert(r.RequestID))})
	}
	return format.writeTable(w, cols, rows)
}
