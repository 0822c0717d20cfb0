package cli

import (
	"context"
	"fmt"
	"io"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"ccecert/api"
	"ccecert/store"
)

type listFlags struct {
	output  string
	refresh bool
	kind    string
	region  string
}

func newListCmd(g *globalFlags, e env) *cobra.Command {
	var f listFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the CCE clusters, Autopilot clusters and UCS fleets your key can reach",
		Example: `  ccecert list
  ccecert list --refresh --kind cce -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkChoice("-o", f.output, "table", "json"); err != nil {
				return err
			}
			if f.kind != "" {
				if err := checkChoice("--kind", f.kind, "cce", "autopilot", "fleet"); err != nil {
					return err
				}
			}
			return withApp(cmd, g, e, func(ctx context.Context, a *app) error { return runList(ctx, a, f) })
		},
	}
	cmd.Flags().StringVarP(&f.output, "output", "o", "table", "output format: table or json")
	cmd.Flags().BoolVar(&f.refresh, "refresh", false, "list from the cloud now, not from the cache")
	cmd.Flags().StringVar(&f.kind, "kind", "", "only this kind: cce, autopilot or fleet")
	cmd.Flags().StringVar(&f.region, "region", "", "only this region")
	return cmd
}

func runList(ctx context.Context, a *app, f listFlags) error {
	var kinds []api.Kind
	if f.kind != "" {
		kinds = []api.Kind{api.Kind(f.kind)}
	}
	cached, err := a.store.Targets(ctx)
	if err != nil {
		return err
	}
	now := a.env.now()
	cached = filterTargets(cached, kinds, f.region)
	if f.refresh || len(cached) == 0 || anyStale(cached, now, a.cfg.InventoryStale) {
		opts := store.RefreshOptions{Kinds: kinds}
		if f.region != "" {
			opts.Regions = []string{f.region}
		}
		inv, err := a.engine.Refresh(ctx, opts)
		if err != nil {
			return err
		}
		for _, re := range inv.Errors {
			fmt.Fprintln(a.env.stderr, "ccecert: warning:", re.Error())
		}
		if cached, err = a.store.Targets(ctx); err != nil {
			return err
		}
		cached = filterTargets(cached, kinds, f.region)
		if len(cached) == 0 && slices.ContainsFunc(inv.Errors, func(re api.RegionError) bool { return !re.Partial }) {
			return errExit(1, fmt.Errorf("%w: every region failed (see above)", errNothingListed))
		}
	}
	if f.output == "json" {
		return writeJSON(a.env.stdout, targetViews(cached, now, a.cfg))
	}
	return writeTargetTable(a.env.stdout, cached, now, a.cfg)
}

func filterTargets(recs []store.TargetRecord, kinds []api.Kind, region string) []store.TargetRecord {
	var out []store.TargetRecord
	for _, r := range recs {
		if (len(kinds) == 0 || slices.Contains(kinds, r.Kind)) && (region == "" || r.Region == region) {
			out = append(out, r)
		}
	}
	return out
}

func anyStale(recs []store.TargetRecord, now time.Time, maxAge time.Duration) bool {
	for _, r := range recs {
		if r.Stale(now, maxAge) {
			return true
		}
	}
	return false
}

// targetView is one target in `list -o json`: a stable, documented shape.
type targetView struct {
	Kind       api.Kind      `json:"kind"`
	ID         string        `json:"id"`
	Name       string        `json:"name"`
	Region     string        `json:"region"`
	ProjectID  string        `json:"project_id"`
	Version    string        `json:"version"`
	Phase      string        `json:"phase"`
	Endpoints  endpointsView `json:"endpoints"`
	Federation *bool         `json:"federation,omitempty"`
	Members    []string      `json:"members,omitempty"`
	Stale      bool          `json:"stale"`
}

type endpointsView struct {
	Internal *string `json:"internal"`
	External *string `json:"external"`
}

func targetViews(recs []store.TargetRecord, now time.Time, cfg store.Config) []targetView {
	out := make([]targetView, 0, len(recs))
	for _, r := range recs {
		v := targetView{Kind: r.Kind, ID: r.ID, Name: r.Name, Region: r.Region, ProjectID: r.ProjectID,
			Version: r.Version, Phase: r.Phase, Stale: r.Stale(now, cfg.InventoryStale), Members: r.Members,
			Endpoints: endpointsView{Internal: optional(r.Endpoints.Internal), External: optional(r.Endpoints.External)}}
		if r.Kind == api.KindFleet {
			fed := r.Federation
			v.Federation = &fed
		}
		out = append(out, v)
	}
	return out
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func writeTargetTable(w io.Writer, recs []store.TargetRecord, now time.Time, cfg store.Config) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tKIND\tREGION\tVERSION\tPHASE\tENDPOINTS\tID")
	for _, r := range recs {
		name := inert(r.Name)
		if r.Stale(now, cfg.InventoryStale) {
			name += " (stale)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", name, r.Kind, inert(r.Region), inert(r.Version), inert(r.Phase), endpointsText(r.Target), inert(r.ID))
	}
	return tw.Flush()
}

func endpointsText(t api.Target) string {
	if t.Kind == api.KindFleet {
		if t.Federation {
			return fmt.Sprintf("federation on, %d members", len(t.Members))
		}
		return fmt.Sprintf("federation off, %d members", len(t.Members))
	}
	s := "int"
	if t.HasEIP() {
		s += "+ext"
	}
	return s
}
