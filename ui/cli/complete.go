package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"ccecert/store"
)

// Dynamic completion (bash, zsh, fish through cobra's __complete) reads the
// local cache only: it never talks to the cloud, creates no file, prints
// nothing on stderr, and offers nothing when there is no cache yet.

// completeTimeout bounds one completion's read of the cache: a shell must
// never hang on a locked or slow database.
const completeTimeout = 2 * time.Second

// completeChoices offers a flag's fixed values.
func completeChoices(cmd *cobra.Command, flag string, choices ...string) {
	_ = cmd.RegisterFlagCompletionFunc(flag, cobra.FixedCompletions(choices, cobra.ShellCompDirectiveNoFileComp))
}

// cache is what a completion reads: the store, opened read-only, and the
// config's thresholds for health words.
type cache struct {
	st      *store.Store
	cfg     store.Config
	now     time.Time
	profile string // whose targets are offered (--profile, CCECERT_PROFILE)
}

// withCache runs fn on the local cache and returns its candidates, or
// none when there is no cache or it cannot be read.
func withCache(cmd *cobra.Command, g *globalFlags, e env, fn func(ctx context.Context, c cache) []string, extra ...cobra.ShellCompDirective) ([]string, cobra.ShellCompDirective) {
	none := cobra.ShellCompDirectiveNoFileComp
	for _, d := range extra {
		none |= d
	}
	paths, cfg, _, err := loadConfig(g, e)
	if paths.DataDir == "" {
		return nil, none
	}
	if err != nil {
		cfg, _ = store.DefaultConfig() // a broken config is reported by the commands, not on TAB
	}
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, cancel := context.WithTimeout(ctx, completeTimeout)
	defer cancel()
	st, err := store.OpenReadOnly(ctx, paths.DataDir, e.now)
	if err != nil {
		return nil, none
	}
	defer func() { _ = st.Close() }()
	profile := g.profile
	if profile == "" {
		profile = e.getenv(EnvProfile)
	}
	p, err := cfg.Profile(profile)
	if err != nil {
		return nil, none // an unknown profile offers nothing
	}
	return fn(ctx, cache{st: st, cfg: cfg, now: e.now(), profile: p.Name}), none
}

// completeTargetArg completes get's TARGET: the cached targets' names, each
// with its kind and region(s).
func completeTargetArg(g *globalFlags, e env) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return completeTargetNames(cmd, g, e, toComplete)
	}
}

// completeTargetNames offers the cached targets' names starting with
// prefix, described by kind and region.
func completeTargetNames(cmd *cobra.Command, g *globalFlags, e env, prefix string) ([]string, cobra.ShellCompDirective) {
	return withCache(cmd, g, e, func(ctx context.Context, c cache) []string {
		recs, err := c.st.ProfileTargets(ctx, c.profile)
		if err != nil {
			return nil
		}
		type where struct {
			kinds, regions []string
		}
		seen := map[string]*where{}
		var names []string
		for _, r := range recs {
			if !strings.HasPrefix(r.Name, prefix) {
				continue
			}
			w, ok := seen[r.Name]
			if !ok {
				w = &where{}
				seen[r.Name] = w
				names = append(names, r.Name)
			}
			if !slices.Contains(w.kinds, string(r.Kind)) {
				w.kinds = append(w.kinds, string(r.Kind))
			}
			if !slices.Contains(w.regions, r.Region) {
				w.regions = append(w.regions, r.Region)
			}
		}
		out := make([]string, 0, len(names))
		for _, n := range names {
			w := seen[n]
			out = append(out, candidate(n, strings.Join(w.kinds, ",")+" in "+strings.Join(w.regions, ", ")))
		}
		return out
	})
}

// completeRegions completes a --region flag with the cached regions and how
// many targets each has.
func completeRegions(cmd *cobra.Command, g *globalFlags, e env, flag string) {
	_ = cmd.RegisterFlagCompletionFunc(flag, func(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		return withCache(cmd, g, e, func(ctx context.Context, c cache) []string {
			recs, err := c.st.ProfileTargets(ctx, c.profile)
			if err != nil {
				return nil
			}
			count := map[string]int{}
			var regions []string
			for _, r := range recs {
				if r.Region == "" || !strings.HasPrefix(r.Region, toComplete) {
					continue
				}
				if count[r.Region] == 0 {
					regions = append(regions, r.Region)
				}
				count[r.Region]++
			}
			slices.Sort(regions)
			out := make([]string, 0, len(regions))
			for _, r := range regions {
				out = append(out, candidate(r, plural(count[r], "target")))
			}
			return out
		})
	})
}

// completeCredentialArgs completes CREDENTIAL arguments (one, or with many
// any number): the live credentials' ids and context names, each with its
// target, health and time left.
func completeCredentialArgs(g *globalFlags, e env, many bool) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 && !many {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return withCache(cmd, g, e, func(ctx context.Context, c cache) []string {
			creds, err := c.st.Credentials(ctx, store.Filter{})
			if err != nil {
				return nil
			}
			sortUrgent(creds, c.now, c.cfg.Thresholds)
			var out []string
			for _, cr := range creds {
				if slices.Contains(args, cr.ID) {
					continue
				}
				about := credentialAbout(cr, c)
				if strings.HasPrefix(cr.ID, toComplete) {
					out = append(out, candidate(cr.ID, about))
				}
				for _, name := range cr.Contexts {
					if strings.HasPrefix(name, toComplete) && !slices.Contains(args, name) {
						out = append(out, candidate(name, cr.ID+" · "+about))
					}
				}
			}
			return out
		}, cobra.ShellCompDirectiveKeepOrder) // most urgent first
	}
}

// credentialAbout describes a credential in completion: its target,
// health and time left ("prod-web · warning · 9d 23h").
func credentialAbout(cr store.Credential, c cache) string {
	h := cr.Health(c.now, c.cfg.Thresholds)
	if h == store.HealthExpired { // the countdown says so: "expired 3d ago"
		return inert(cr.Target.Name) + " · " + cr.Countdown(c.now)
	}
	return fmt.Sprintf("%s · %s · %s", inert(cr.Target.Name), h, cr.Countdown(c.now))
}

// completeCredentialContexts completes export's --context with the
// contexts of the credential already named.
func completeCredentialContexts(g *globalFlags, e env) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if len(args) == 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return withCache(cmd, g, e, func(ctx context.Context, c cache) []string {
			cr, err := c.st.Find(ctx, args[0])
			if err != nil {
				return nil
			}
			var out []string
			for _, name := range cr.Contexts {
				if strings.HasPrefix(name, toComplete) {
					out = append(out, name)
				}
			}
			return out
		})
	}
}

// candidate is one completion with its description; both are made inert
// and a tab or newline in them could not split the line cobra prints.
func candidate(value, about string) string {
	return inert(value) + "\t" + inert(about)
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
