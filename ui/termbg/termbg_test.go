package termbg

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
)

func TestInitSettlesTheBackgroundWithoutAsking(t *testing.T) {
	// Settled by init: HasDarkBackground answers from the setting and never
	// queries (a query from a test binary would wait on the test's stdout).
	if !lipgloss.HasDarkBackground() {
		t.Error("after init the default renderer reads a light background, want dark")
	}
}

func TestParseReply(t *testing.T) {
	for _, tc := range []struct {
		name           string
		reply          string
		dark, ok, done bool
	}{
		{"white, ST, then the cursor", "\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[24;1R", false, true, true},
		{"black, BEL", "\x1b]11;rgb:0000/0000/0000\a\x1b[1;1R", true, true, true},
		{"solarized light, 2 digits", "\x1b]11;rgb:fd/f6/e3\a\x1b[3;7R", false, true, true},
		{"dark grey, 1 digit", "\x1b]11;rgb:3/3/3\a", true, true, false},
		{"rgba", "\x1b]11;rgba:eeee/eeee/eeee/ffff\a\x1b[1;1R", false, true, true},
		{"no OSC support: the cursor only", "\x1b[12;40R", true, false, true},
		{"nothing yet", "", true, false, false},
		{"half a colour", "\x1b]11;rgb:ffff/ff", true, false, false},
		{"garbage colour", "\x1b]11;rgb:zz/zz/zz\a\x1b[1;1R", true, false, true},
		{"a key typed first", "x\x1b[A\x1b]11;rgb:ffff/ffff/ffff\a\x1b[2;2R", false, true, true},
		{"CSI without digits is no report", "\x1b[R", true, false, false},
	} {
		dark, ok, done := parseReply([]byte(tc.reply))
		if dark != tc.dark || ok != tc.ok || done != tc.done {
			t.Errorf("%s: parseReply(%q) = dark %v ok %v done %v, want %v %v %v", tc.name, tc.reply, dark, ok, done, tc.dark, tc.ok, tc.done)
		}
	}
}

// FuzzParseReply feeds the parser whatever a terminal (or something
// pretending to be one) might send back: it never panics, and a reply
// without a cursor report is never done.
func FuzzParseReply(f *testing.F) {
	for _, s := range []string{"\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[24;1R", "\x1b]11;rgba:0/0/0/0\a", "\x1b[12;40R", "\x1b]11;rgb:/\a", "\x1b[;R"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		dark, ok, done := parseReply(b)
		if !ok && !dark {
			t.Errorf("parseReply(%q): light without a colour", b)
		}
		if done && !strings.Contains(string(b), "R") {
			t.Errorf("parseReply(%q): done without a cursor report", b)
		}
	})
}
