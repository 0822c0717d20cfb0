package cli

import (
	"strings"
	"testing"
)

// TestPromLabelNeutralisesControlCharacters: a name from the cloud with
// ESC, BEL, CR or NUL reaches the exposition format inert, and quotes,
// backslashes and newlines are escaped as the format says.
func TestPromLabelNeutralisesControlCharacters(t *testing.T) {
	for in, want := range map[string]string{
		"prod-web":            `"prod-web"`,
		"a\x1b]0;pwned\x07b":  "\"a\uFFFD]0;pwned\uFFFDb\"",
		"cr\rnul\x00":         "\"cr nul\uFFFD\"", // CR folds to a space, as a newline does
		`quote"back\slash`:    `"quote\"back\\slash"`,
		"two\nlines":          `"two lines"`,
		"\u202eevil-override": "\"\uFFFDevil-override\"",
	} {
		got := promLabel(in)
		if got != want {
			t.Errorf("promLabel(%q) = %q; want %q", in, got, want)
		}
		if strings.ContainsAny(got, "\x00\x07\x1b\r\n") {
			t.Errorf("promLabel(%q) = %q keeps a control character", in, got)
		}
	}
}
