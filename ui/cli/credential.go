package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

func newCredentialCmd(g *globalFlags, e env) *cobra.Command {
	return &cobra.Command{
		Use:   "credential CREDENTIAL",
		Short: "kubectl exec credential plugin: print an ExecCredential for a credential",
		Long: `Print an ExecCredential (client.authentication.k8s.io/v1) with the PEM
certificate and key and expirationTimestamp, for kubectl's exec plugin. An
expired or revoked credential exits 1 with how to renew it.`,
		Example:           `  ccecert credential 3f9a2c1b`,
		Args:              oneArg(credentialArg),
		ValidArgsFunction: completeCredentialArgs(g, e, false),
		Hidden:            false,
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, g, e, func(ctx context.Context, a *app) error {
				r, err := a.engine.Exec(ctx, args[0])
				if err != nil {
					return err
				}
				for _, w := range r.Warnings { // kubectl shows the plugin's stderr
					fmt.Fprintln(a.env.stderr, "ccecert: warning:", inert(w))
				}
				_, err = a.env.stdout.Write(r.JSON)
				return err
			})
		},
	}
}
