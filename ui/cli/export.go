package cli

import (
	"context"
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

func newExportCmd(g *globalFlags, e env) *cobra.Command {
	var file, contextName string
	cmd := &cobra.Command{
		Use:   "export CREDENTIAL",
		Short: "Print a standalone kubeconfig for one credential (inline certificate and key)",
		Long: `Print a standalone kubeconfig for one credential: its certificate and key
inline, one context, set as current. A revoked or expired credential is refused
(the file would not work): renew it or fetch a new one. CREDENTIAL is an id from
` + "`ccecert status`" + ` (a unique prefix is enough) or a context name.`,
		Example: `  ccecert export 3f9a2c1b > prod-web.kubeconfig
  ccecert export prod-web-internal --file /tmp/prod-web.yaml`,
		Args:              oneArg(credentialArg),
		ValidArgsFunction: completeCredentialArgs(g, e, false),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, g, e, func(ctx context.Context, a *app) error {
				c, err := a.store.Find(ctx, args[0])
				if err != nil {
					return err
				}
				data, err := a.engine.Export(ctx, c, contextName)
				if err != nil {
					return err
				}
				if file == "" {
					_, err = a.env.stdout.Write(data)
					return err
				}
				return writeNewFile(file, data)
			})
		},
	}
	cmd.Flags().StringVar(&file, "file", "", "write to this file (mode 0600; must not exist) instead of stdout")
	cmd.Flags().StringVar(&contextName, "context", "", "the context to export (default: the credential's preferred one)")
	_ = cmd.RegisterFlagCompletionFunc("context", completeCredentialContexts(g, e))
	return cmd
}

// writeNewFile writes a 0600 file that must not exist yet: an export never
// overwrites anything.
func writeNewFile(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("export to %s: %w (choose a new file name)", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("export to %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
