package main

import (
	"github.com/spf13/cobra"
)

// runTUI opens the terminal UI (wired in by the TUI integration).
func runTUI(cmd *cobra.Command, g *globalFlags, e env) error {
	return cmd.Help()
}
