package cli

import (
	"strings"
	"testing"
)

// TestTUIKnowsWhenNoKeyIsSet: without an access key the TUI is told why,
// in full, so it shows the first-run panel and starts no refresh; with
// one, it is told nothing.
func TestTUIKnowsWhenNoKeyIsSet(t *testing.T) {
	without := newTUIFixture(t, false)
	got := tuiOptions(without.a).NoKeys
	if !strings.Contains(got, "no access key: export CLOUD_SDK_AK and CLOUD_SDK_SK") || strings.Count(got, `profile "default"`) != 1 {
		t.Fatalf("NoKeys without a key: %q", got)
	}
	with := newTUIFixture(t, true)
	if got := tuiOptions(with.a).NoKeys; got != "" {
		t.Fatalf("NoKeys with a key: %q", got)
	}
}
