package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
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
// and returns the process exit code.
func Run(d Deps, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return execute(env{getenv: os.Getenv, now: time.Now, stdin: stdin, stdout: stdout, stderr: stderr, deps: d}, args)
}

// execute runs the command tree in e (the process environment, or a test's)
// and returns the exit code; errors are printed on e.stderr.
func execute(e env, args []string) int {
	root := newRootCmd(e)
	root.SetArgs(args)
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	err := root.Execute()
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(e.stderr, "ccecert:", inertLines(ee.err.Error()))
		}
		return ee.code
	}
	fmt.Fprintln(e.stderr, "ccecert:", inertLines(err.Error()))
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
	root.CompletionOptions.DisableDefaultCmd = true
	root.AddCommand(
		newListCmd(g, e), newGetCmd(g, e), newStatusCmd(g, e), newRenewCmd(g, e),
		newRevokeCmd(g, e), newImportCmd(g, e), newScanCmd(g, e), newExportCmd(g, e),
		newCredentialCmd(g, e), newCompletionCmd(), newVersionCmd(e.deps.Version), newEmulatorCmd(e),
	)
	return root
}
