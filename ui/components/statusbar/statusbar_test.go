package statusbar

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"ccecert/ui/styles"
)

func TestMarkersSurviveALongMessage(t *testing.T) {
	out := Render(80, styles.Default(nil), Status{
		Message: strings.Repeat("a very long error ", 10), Error: true,
		Regions: "1 region failed: eu-west-0", Stale: "STALE 2h ago",
	})
	plain := ansi.Strip(out)
	if w := ansi.StringWidth(plain); w != 80 {
		t.Fatalf("width %d, want 80: %q", w, plain)
	}
	if !strings.HasPrefix(plain, "✗ a very long") || !strings.Contains(plain, "1 region failed") || !strings.HasSuffix(plain, "STALE 2h ago") {
		t.Fatalf("status: %q", plain)
	}
}
