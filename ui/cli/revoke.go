package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

func newRevokeCmd(g *globalFlags, e env) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "revoke CREDENTIAL",
		Short: "Revoke a credential at the cloud and remove its contexts from the kubeconfig",
		Long: `Revoke a credential at the cloud. CCE revokes every certificate of that user on
that cluster, not just this one: all of them are marked revoked and their
contexts are removed from their kubeconfigs (a backup is kept) — except a
context you have made your own (recreated, or pointed at a user of yours),
which is left and named. CREDENTIAL is an id from ` + "`ccecert status`" + ` (a
unique prefix is enough) or a context name.`,
		Example: `  ccecert revoke 3f9a2c1b
  ccecert revoke prod-web-internal --yes`,
		Args:              oneArg(credentialArg),
		ValidArgsFunction: completeCredentialArgs(g, e, false),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withApp(cmd, g, e, func(ctx context.Context, a *app) error {
				a.reconcile(ctx)
				c, err := a.store.Find(ctx, args[0])
				if err != nil {
					return err
				}
				if !yes {
					q := fmt.Sprintf("Revoke every certificate of user %s on %s (%s)? Each kubeconfig context using them stops working.", inert(c.Subject), inert(c.Target.Name), inert(c.Target.Region))
					if ok, err := confirm(a, q); err != nil || !ok {
						return err
					}
				}
				out, err := a.engine.Revoke(ctx, c)
				if len(out.Revoked) > 0 {
					fmt.Fprintf(a.env.stdout, "revoked %s: every certificate of user %s on %s\n", strings.Join(out.Revoked, ", "), inert(out.UserID), inert(c.Target.Name))
				}
				if len(out.Removed) > 0 {
					baks := make([]string, len(out.Files))
					for i, f := range out.Files {
						baks[i] = f + ".bak"
					}
					fmt.Fprintf(a.env.stdout, "removed contexts %s from %s (backup: %s)\n", inert(strings.Join(out.Removed, ", ")),
						inert(strings.Join(out.Files, ", ")), inert(strings.Join(baks, ", ")))
				}
				if len(out.Kept) > 0 {
					fmt.Fprintf(a.env.stdout, "left contexts %s in place: they are no longer ccecert's (made or edited by you)\n", inert(strings.Join(out.Kept, ", ")))
				}
				for _, cc := range out.ClearedCurrent {
					fmt.Fprintf(a.env.stdout, "%s was the current context of %s: no context is current there now (pick one with `kubectl config use-context`)\n", inert(cc.Context), inert(cc.File))
				}
				a.notices(out.Notices)
				return err
			})
		},
	}
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	return cmd
}
