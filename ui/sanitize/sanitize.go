// Package sanitize makes text from outside (cluster names from the cloud,
// file paths, error messages) inert before it reaches the terminal: escape
// sequences and control characters are removed or shown as visible
// placeholders, never passed through.
package sanitize

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line returns s as a single inert line: ESC and C0/C1 control characters,
// bidi overrides and invalid UTF-8 become U+FFFD (so something odd stays
// visible), newlines and tabs become spaces. The common all-printable case
// returns s without allocating.
func Line(s string) string {
	if clean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			b.WriteRune('\uFFFD')
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case unsafeRune(r):
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// clean reports whether s is printable ASCII or valid UTF-8 without
// anything Line would replace.
func clean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			return false
		}
		if c >= 0x80 {
			return cleanUTF8(s[i:])
		}
	}
	return true
}

func cleanUTF8(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size <= 1) || r == '\n' || r == '\r' || r == '\t' || unsafeRune(r) {
			return false
		}
		i += size
	}
	return true
}

// unsafeRune reports runes that control the terminal or reorder text:
// C0, DEL, C1 (0x80-0x9f, incl. the 8-bit CSI and OSC), bidi controls and
// other format characters.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		return true
	}
	return unicode.Is(unicode.Cf, r) && r != 0x200d // keep ZWJ for emoji
}
