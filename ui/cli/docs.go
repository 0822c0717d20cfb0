package cli

import (
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
)

// newDocsCmd generates documentation from the command tree itself, so it
// never drifts from --help. Hidden: it is for packagers.
func newDocsCmd(e env) *cobra.Command {
	docs := &cobra.Command{
		Use:    "docs",
		Short:  "Generate documentation from the commands (man pages)",
		Hidden: true,
		Args:   cobra.NoArgs,
	}
	docs.AddCommand(&cobra.Command{
		Use:   "man DIR",
		Short: "Write a man page per command (ccecert.1, ccecert-get.1, …) into DIR",
		Long: `Write a man page per command into DIR (created if missing): ccecert.1,
ccecert-get.1 and so on, for /usr/share/man/man1. The date in them is now, or
SOURCE_DATE_EPOCH for a reproducible build.`,
		Example: "  ccecert docs man ./man && man ./man/ccecert-status.1",
		Args:    oneArg("the directory to write the man pages into"),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := os.MkdirAll(args[0], 0o755); err != nil {
				return fmt.Errorf("create %s: %w", args[0], err)
			}
			header := &doc.GenManHeader{Title: "CCECERT", Section: "1", Source: "ccecert " + e.deps.Version, Manual: "ccecert manual"}
			if e.getenv("SOURCE_DATE_EPOCH") == "" {
				now := e.now().UTC().Truncate(24 * time.Hour)
				header.Date = &now
			}
			root := cmd.Root()
			root.DisableAutoGenTag = true
			if err := doc.GenManTree(root, header, args[0]); err != nil {
				return fmt.Errorf("write man pages into %s: %w", args[0], err)
			}
			return nil
		},
	})
	return docs
}
