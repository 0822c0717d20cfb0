package sanitize

import (
	"strings"
	"testing"
)

func TestLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"prod-web", "prod-web"},
		{"\x1b[31mred\x1b[0m", "\uFFFD[31mred\uFFFD[0m"},
		{"a\nb\tc\rd", "a b c d"},
		{"osc\x1b]52;c;ZXZpbA==\x07", "osc\uFFFD]52;c;ZXZpbA==\uFFFD"},
		{"c1\u009b31m", "c1\uFFFD31m"},
		{"bidi\u202egnp.exe", "bidi\uFFFDgnp.exe"},
		{"bad\xffutf8", "bad\uFFFDutf8"},
		{"集群-名", "集群-名"},
		{"del\x7f", "del\uFFFD"},
	}
	for _, tt := range tests {
		if got := Line(tt.in); got != tt.want {
			t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzLine(f *testing.F) {
	for _, s := range []string{"plain", "\x1b[2J\x1b[H", "\u009b", "é\x00", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Line(s)
		for _, r := range out {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) {
				t.Fatalf("Line(%q) kept control rune %U", s, r)
			}
		}
		if strings.ContainsRune(out, '\x1b') {
			t.Fatalf("Line(%q) kept ESC", s)
		}
	})
}
