package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"ccecert/store"
)

func newScanCmd(g *globalFlags, e env) *cobra.Command {
	return &cobra.Command{
		Use:   "scan [KUBECONFIG...]",
		Short: "Record the client certificates found in kubeconfig files (any cluster) and show their expiry",
		Example: `  ccecert scan
  ccecert scan ~/.kube/config ~/work/*.yaml`,
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return nil, cobra.ShellCompDirectiveDefault // kubeconfig files
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, g, e, func(ctx context.Context, a *app) error {
				files := args
				if len(files) == 0 {
					files = store.KubeconfigPaths(a.env.getenv)
				}
				res, err := a.store.Scan(ctx, files)
				if err != nil {
					return err
				}
				for _, p := range res.Problems {
					fmt.Fprintln(a.env.stderr, "ccecert: warning:", inert(p.Error()))
				}
				creds := make([]store.Credential, 0, len(res.Findings))
				for _, f := range res.Findings {
					creds = append(creds, f.Credential)
				}
				switch {
				case len(creds) > 0:
					now := a.env.now()
					sortUrgent(creds, now, a.cfg.Thresholds)
					return writeStatus(a, outputFormat{name: formatTable}, creds, now, a.cfg.Thresholds)
				case len(res.Problems) > 0:
					return errExit(1, fmt.Errorf("no kubeconfig could be read (see above)"))
				case !a.g.quiet:
					fmt.Fprintf(a.env.stderr, "no client certificates in %s\n", inert(strings.Join(files, ", ")))
				}
				return nil
			})
		},
	}
}
