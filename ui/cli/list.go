package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"ccecert/api"
	"ccecert/store"
	"ccecert/store/engine"
)

type listFlags struct {
	out     outputFlags
	refresh bool
	kind    string
	region  string
}

func newListCmd(g *globalFlags, e env) *cobra.Command {
	var f listFlags
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the CCE clusters, Autopilot clusters and UCS fleets your key can reach",
		Long: `List the CCE clusters, Autopilot clusters and UCS fleets the profile's key
can reach (--profile or CCECERT_PROFILE; default: the config's default
profile). Each row is labelled with its profile (PROFILE, profile in JSON);
one profile's inventory is never listed as another's.`,
		Example: `  ccecert list
  ccecert list --refresh --kind cce -o json
  ccecert list --profile prod-eu`,
		Args:              cobra.NoArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := f.out.parse()
			if err != nil {
				return err
			}
			if f.kind != "" {
				if err := checkChoice("--kind", f.kind, kindChoices...); err != nil {
					return err
				}
			}
			return withApp(cmd, g, e, func(ctx context.Context, a *app) error { return runList(ctx, a, f, format) })
		},
	}
	f.out.register(cmd, formatTable, kubectlFormats...)
	cmd.Flags().BoolVar(&f.refresh, "refresh", false, "list from the cloud now, not from the cache")
	cmd.Flags().StringVar(&f.kind, "kind", "", "only this kind: cce, autopilot or fleet")
	cmd.Flags().StringVar(&f.region, "region", "", "only this region")
	completeChoices(cmd, "kind", kindChoices...)
	completeRegions(cmd, g, e, "region")
	return cmd
}

// kindChoices are the kinds --kind takes.
var kindChoices = []string{string(api.KindCCE), string(api.KindAutopilot), string(api.KindFleet)}

func runList(ctx context.Context, a *app, f listFlags, format outputFormat) error {
	var kinds []api.Kind
	if f.kind != "" {
		kinds = []api.Kind{api.Kind(f.kind)}
	}
	now := a.env.now()
	var cached []store.TargetRecord
	if !f.refresh { // (a refresh reads what it needs of the cache itself)
		all, err := a.store.ProfileTargets(ctx, a.profile.Name)
		if err != nil {
			return err
		}
		cached = filterTargets(all, kinds, f.region)
	}
	if f.refresh || len(cached) == 0 || anyStale(cached, now, a.cfg.InventoryStale) {
		opts := engine.RefreshOptions{Kinds: kinds}
		if f.region != "" {
			opts.Regions = []string{f.region}
		}
		// The output is prepared while the listing is saved, and printed
		// once the save has succeeded.
		var out bytes.Buffer
		prepared, prepareErr := false, error(nil)
		inv, recs, err := a.engine.RefreshRecords(ctx, opts, func(recs []store.TargetRecord) {
			prepared, prepareErr = true, writeTargets(&out, format, recs, now, a.cfg)
		})
		if err != nil {
			return err
		}
		if prepared {
			if prepareErr != nil {
				return prepareErr
			}
			_, err := a.env.stdout.Write(out.Bytes())
			return err
		}
		for _, re := range inv.Errors {
			fmt.Fprintln(a.env.stderr, "ccecert: warning:", re.Error())
		}
		cached = recs
		if len(cached) == 0 && slices.ContainsFunc(inv.Errors, func(re api.RegionError) bool { return !re.Partial }) {
			return errExit(1, fmt.Errorf("%w: every region failed (see above)", errNothingListed))
		}
	}
	return writeTargets(a.env.stdout, format, cached, now, a.cfg)
}

// writeTargets prints targets in the format -o asked for.
func writeTargets(w io.Writer, format outputFormat, recs []store.TargetRecord, now time.Time, cfg store.Config) error {
	if done, err := format.writeData(w, targetViews(recs, now, cfg)); done {
		return err
	}
	if format.name == formatName {
		names := make([]string, len(recs))
		for i, r := range recs {
			names[i] = r.Name
		}
		return writeNames(w, names)
	}
	return writeTargetTable(w, format, recs, now, cfg)
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
	Profile    string        `json:"profile"`
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
		v := targetView{Profile: profileName(r.Profile), Kind: r.Kind, ID: r.ID, Name: r.Name, Region: r.Region, ProjectID: r.ProjectID,
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

// targetColumns are list's table; -o wide adds the project and the
// endpoints' addresses.
var targetColumns = []column{{header: "NAME"}, {header: "PROFILE"}, {header: "KIND"}, {header: "REGION"}, {header: "VERSION"}, {header: "PHASE"},
	{header: "ENDPOINTS"}, {header: "ID"}, {header: "PROJECT", wide: true}, {header: "INTERNAL", wide: true}, {header: "EXTERNAL", wide: true}}

func writeTargetTable(w io.Writer, format outputFormat, recs []store.TargetRecord, now time.Time, cfg store.Config) error {
	rows := make([][]string, 0, len(recs))
	for _, r := range recs {
		name := inert(r.Name)
		if r.Stale(now, cfg.InventoryStale) {
			name += " (stale)"
		}
		rows = append(rows, []string{name, inert(profileName(r.Profile)), string(r.Kind), inert(r.Region), inert(r.Version), inert(r.Phase), endpointsText(r.Target), inert(r.ID),
			dash(inert(r.ProjectID)), dash(inert(r.Endpoints.Internal)), dash(inert(r.Endpoints.External))})
	}
	return format.writeTable(w, targetColumns, rows)
}

// dash shows an empty cell as "-".
func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
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
