package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"ccecert/store"
	"ccecert/ui"
)

func newUseCmd(g *globalFlags, e env) *cobra.Command {
	return &cobra.Command{
		Use:   "use [CONTEXT | -]",
		Short: "Switch kubectl's current context, any context of $KUBECONFIG (no name: pick one)",
		Long: `Switch kubectl's current context, kubectx-style: any context of any $KUBECONFIG
file, ccecert's or not. current-context is written where kubectl writes it (the
first $KUBECONFIG file that exists), through the same safe write as every
kubeconfig change (lock, backup, atomic rename). "-" goes back to the context the
last switch left (remembered in ccecert's data dir, file previous-context).

Without a name, on a terminal, the TUI opens on its Contexts page: enter
switches and quits. In a pipe, the contexts are listed, the current one
marked with "*".`,
		Example: `  ccecert use prod-web-internal
  ccecert use -
  ccecert use`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: completeContextNames(g, e),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				return withApp(cmd, g, e, func(ctx context.Context, a *app) error {
					name, res, err := switchTo(ctx, a, args[0])
					if err != nil {
						return err
					}
					fmt.Fprintf(a.env.stdout, "Switched to context %s (current-context in %s).\n", inert(name), inert(res.File))
					a.notices(res.Notices)
					return nil
				})
			}
			if needTerminal(e) != nil {
				return withApp(cmd, g, e, func(_ context.Context, a *app) error {
					return printContexts(a, store.ListContexts(a.contextPaths()))
				})
			}
			return pickContext(cmd, g, e)
		},
	}
}

// pickContext opens the TUI on the Contexts page, quitting on a switch,
// and then says what is current.
func pickContext(cmd *cobra.Command, g *globalFlags, e env) error {
	var paths []string
	before := ""
	err := runTUI(cmd, g, e, func(a *app, o *ui.Options) {
		paths = a.contextPaths()
		before = store.ListContexts(paths).Current
		o.PickContext = true
		o.NoRefreshOnStart = true // a picker needs no cloud
	})
	if err != nil {
		return err
	}
	if now := store.ListContexts(paths).Current; now != before {
		fmt.Fprintf(e.stdout, "Switched to context %s.\n", inert(now))
	}
	return nil
}

// printContexts lists the contexts one a line, the current one marked,
// each with its file, as a pipe reads them.
func printContexts(a *app, l store.ContextList) error {
	for _, p := range l.Problems {
		fmt.Fprintln(a.env.stderr, "ccecert: warning:", inert(p))
	}
	for _, c := range l.Contexts {
		mark := " "
		if c.Current {
			mark = "*"
		}
		fmt.Fprintf(a.env.stdout, "%s %s\t%s\n", mark, inert(c.Name), inert(c.File))
	}
	return nil
}

// completeContextNames completes the contexts of the kubeconfig files
// (read locally: no store, no cloud).
func completeContextNames(g *globalFlags, e env) cobra.CompletionFunc {
	return func(_ *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
		if len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		paths := store.KubeconfigPaths(e.getenv)
		if g.kubeconfig != "" {
			paths = []string{g.kubeconfig}
		}
		out := []string{"-\tthe previous context"}
		for _, c := range store.ListContexts(paths).Contexts {
			if strings.HasPrefix(c.Name, prefix) {
				about := c.File
				if c.Current {
					about = "current · " + about
				}
				out = append(out, candidate(c.Name, about))
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}
