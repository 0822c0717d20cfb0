package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	// Settles the background colour before Bubble Tea's init can ask the
	// terminal (a 5 s stall where nothing answers): see its package doc.
	_ "ccecert/ui/termbg"
)

// exitError carries an exit code other than 1 through cobra.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// Run executes the CLI with the process environment and the given streams
// until it is done or ctx ends, and returns the process exit code.
func Run(ctx context.Context, d Deps, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return execute(ctx, env{getenv: os.Getenv, now: time.Now, stdin: stdin, stdout: stdout, stderr: stderr, deps: d}, args)
}

// execute runs the command tree in e (the process environment, or a test's)
// and returns the exit code; errors are printed on e.stderr.
func execute(ctx context.Context, e env, args []string) int {
	root := newRootCmd(e)
	root.SetArgs(args)
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(e.stderr, "ccecert:", inertLines(errorText(ee.err)))
		}
		return ee.code
	}
	fmt.Fprintln(e.stderr, "ccecert:", inertLines(errorText(err)))
	return 1
}

// newRootCmd builds the command tree. Without a subcommand, ccecert opens
// the TUI.
func newRootCmd(e env) *cobra.Command {
	g := &globalFlags{}
	root := &cobra.Command{
		Use:           "ccecert",
		Short:         "Client certificates for Huawei Cloud CCE clusters and UCS fleets",
		Long:          "ccecert lists every CCE cluster and UCS fleet your key can reach, fetches client\ncertificates with the validity and context you choose, writes them into your\nkubeconfig safely, and counts down to each certificate's expiry.\n\nWithout a command it opens the terminal UI; `ccecert --demo` runs it against a\nbuilt-in emulator.",
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runTUI(cmd, g, e)
		},
	}
	g.register(root)
	_ = root.RegisterFlagCompletionFunc("profile", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		_, cfg, _, err := loadConfig(g, e) // the config only: no store, no cloud
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return cfg.ProfileNames(), cobra.ShellCompDirectiveNoFileComp
	})
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(
		newListCmd(g, e), newGetCmd(g, e), newStatusCmd(g, e), newRenewCmd(g, e),
		newRevokeCmd(g, e), newImportCmd(g, e), newScanCmd(g, e), newExportCmd(g, e),
		newCredentialCmd(g, e), newCompletionCmd(), newVersionCmd(e.deps), newEmulatorCmd(e),
		newLogCmd(g, e), newDocsCmd(e), newProfilesCmd(g, e), newUseCmd(g, e),
	)
	root.AddCommand(newConfigureCmd(g, e))
	return root
}
