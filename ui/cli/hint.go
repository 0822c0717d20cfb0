package cli

import (
	"errors"
	"strings"

	"ccecert/store"
	"ccecert/store/engine"
)

// cliHints word the engine's hints with this front end's flags and
// commands (the TUI words them with its keys and dialogs).
var cliHints = map[engine.Hint]string{
	engine.HintUseInternalContext:    "use --context internal",
	engine.HintCreateFleetConnection: "give --vpc-id and --subnet-id to create one",
	engine.HintRefreshTargets:        "run `ccecert list --refresh` to see what your key can reach",
	engine.HintNameTheRegion:         "add --region to pick one",
	engine.HintRefreshThenImport:     "run `ccecert list --refresh`, then `ccecert import` its kubeconfig again",
	engine.HintChooseKubeconfig:      "choose another kubeconfig path with --kubeconfig",
	engine.HintSwitchProfile:         "run it with --profile and the credential's profile (ccecert status shows it)",
}

// errorText is err's message with what to do, said in CLI terms, on its
// first line (a list may follow it).
func errorText(err error) string {
	msg := err.Error()
	var hint string
	var he *engine.HintError
	switch {
	case errors.As(err, &he):
		hint = cliHints[he.Hint]
		if pe := (*engine.ProfileError)(nil); errors.As(err, &pe) {
			hint = "run it with --profile " + pe.Profile
		}
	case errors.Is(err, store.ErrNotFound):
		hint = "list them with `ccecert status --all`"
	}
	if hint == "" {
		return msg
	}
	first, rest, multiline := strings.Cut(msg, "\n")
	if !multiline {
		return msg + "; " + hint
	}
	if head, ok := strings.CutSuffix(first, ":"); ok {
		return head + " (" + hint + "):\n" + rest
	}
	return first + " (" + hint + ")\n" + rest
}
