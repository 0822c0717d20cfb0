package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"ccecert/ui/sanitize"
)

// inert makes text from outside (cluster names from the cloud, paths) safe
// to print: escape sequences and control characters never reach the
// terminal.
func inert(s string) string { return sanitize.Line(s) }

// inertLines is inert for multi-line messages, keeping the line breaks.
func inertLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = sanitize.Line(l)
	}
	return strings.Join(lines, "\n")
}

// oneArg is cobra.ExactArgs(1) with a message that says what to give.
func oneArg(what string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != 1 {
			return fmt.Errorf("%s takes one argument, %s; got %d (see `%s --help`)", cmd.Name(), what, len(args), cmd.CommandPath())
		}
		return nil
	}
}

// credentialArg describes a CREDENTIAL argument, for the commands that take
// one.
const credentialArg = "a credential id (from `ccecert status`) or context name"

// writeJSON writes v as -o json prints it: indented by two spaces, with a
// newline after, as a json.Encoder with SetIndent("", "  ") writes it.
func writeJSON(w io.Writer, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	out := indentJSON(make([]byte, 0, len(data)+len(data)/2), data)
	_, err = w.Write(append(out, '\n'))
	return err
}

// checkChoice refuses a flag value outside its choices.
func checkChoice(flag, value string, choices ...string) error {
	if slices.Contains(choices, value) {
		return nil
	}
	return fmt.Errorf("%s %q: use one of %v", flag, value, choices)
}
