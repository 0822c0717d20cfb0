package cli

import (
	"errors"
	"fmt"
	"testing"

	"ccecert/store"
	"ccecert/store/engine"
)

func TestErrorTextWordsEveryHintWithFlags(t *testing.T) {
	for _, h := range []engine.Hint{
		engine.HintUseInternalContext, engine.HintCreateFleetConnection, engine.HintRefreshTargets,
		engine.HintNameTheRegion, engine.HintRefreshThenImport, engine.HintChooseKubeconfig, engine.HintSwitchProfile,
	} {
		if cliHints[h] == "" {
			t.Errorf("hint %q has no CLI wording", h)
		}
	}
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"plain", errors.New("boom"), "boom"},
		{"one line", fmt.Errorf("get: %w", &engine.HintError{Hint: engine.HintUseInternalContext, Err: errors.New("no EIP")}),
			"get: no EIP; use --context internal"},
		{"a list follows", &engine.HintError{Hint: engine.HintNameTheRegion, Err: errors.New("2 targets:\n  a\n  b")},
			"2 targets (add --region to pick one):\n  a\n  b"},
		{"not found", fmt.Errorf("%w: x", store.ErrNotFound), store.ErrNotFound.Error() + ": x; list them with `ccecert status --all`"},
	}
	for _, c := range cases {
		if got := errorText(c.err); got != c.want {
			t.Errorf("%s: errorText = %q; want %q", c.name, got, c.want)
		}
	}
}
