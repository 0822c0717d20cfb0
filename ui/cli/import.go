package cli

import (
	"ccecert/store"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/spf13/cobra"
)

func newImportCmd(g *globalFlags, e env) *cobra.Command {
	return &cobra.Command{
		Use:   "import FILE|-",
		Short: "Import a kubeconfig downloaded from the CCE or UCS console",
		Long: `Import a kubeconfig downloaded from the console (CCE or UCS, JSON or YAML): it
is validated, matched to a known cluster by its server address, renamed per
the naming template, stored (key encrypted) and merged into the kubeconfig.
The servers named inside are never contacted.`,
		Example: `  ccecert import ~/Downloads/prod-web-kubeconfig.json
  cat kubeconfig.yaml | ccecert import -`,
		Args: oneArg("a kubeconfig file, or - for standard input"),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := readInput(e.stdin, args[0])
			if err != nil {
				return err
			}
			return withApp(cmd, g, e, func(ctx context.Context, a *app) error {
				a.reconcile(ctx)
				out, err := a.engine.Import(ctx, data, args[0])
				for _, w := range out.Warnings {
					fmt.Fprintln(a.env.stderr, "ccecert: warning:", inert(w))
				}
				a.notices(out.Notices)
				for i, c := range out.Credentials {
					state := "imported"
					if out.Existed[i] {
						state = "already known"
					}
					var names []string
					if i < len(out.Contexts) {
						names = out.Contexts[i]
					}
					fmt.Fprintf(a.env.stdout, "%s %s for %s, contexts %s, expires %s (%s)\n", state, c.ID, inert(c.Target.Name),
						inert(strings.Join(names, ",")), c.NotAfter.Local().Format("2006-01-02 15:04"), c.Countdown(a.env.now()))
				}
				return err
			})
		},
	}
}

// readInput reads a file, or stdin for "-", as store reads every local
// input: a regular file only (never a device or a FIFO), at most 16 MiB.
func readInput(stdin io.Reader, name string) ([]byte, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = store.ReadLimited(stdin, "standard input", store.MaxKubeconfigSize)
	} else {
		data, err = store.ReadLocalFile(name, store.MaxKubeconfigSize)
	}
	switch {
	case errors.Is(err, store.ErrTooLarge), errors.Is(err, store.ErrNotRegular):
		return nil, err // it names the file and the limit
	case err != nil:
		return nil, unreadable(name, err)
	}
	return data, nil
}

// unreadable says an import file cannot be read, without repeating its
// path, and what to give instead.
func unreadable(name string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("cannot read %s: %w: give a kubeconfig file, or - for standard input", name, err)
}
