package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

// newCompletionCmd replaces cobra's default completion command, whose
// parent prints help and exits 0 for an unknown shell.
func newCompletionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "completion bash|zsh|fish",
		Short: "Print the shell completion script for bash, zsh or fish",
		Example: `  source <(ccecert completion bash)
  ccecert completion zsh > "${fpath[1]}/_ccecert"
  ccecert completion fish > ~/.config/fish/completions/ccecert.fish`,
		ValidArgs: []string{"bash", "zsh", "fish"},
		Args:      oneArg("the shell: bash, zsh or fish"),
		RunE: func(cmd *cobra.Command, args []string) error {
			root, out := cmd.Root(), cmd.OutOrStdout()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(out, true)
			case "zsh":
				return root.GenZshCompletion(out)
			case "fish":
				return root.GenFishCompletion(out, true)
			}
			return fmt.Errorf("no completion for shell %q: use bash, zsh or fish", args[0])
		},
	}
}
