// Package fuzzy matches a typed filter against row text: every character of
// the pattern must appear in order (a subsequence), case-insensitively.
// Matches at word starts and runs of consecutive characters score higher.
package fuzzy

import (
	"strings"
	"unicode/utf8"
)

// Score points for the parts of a match.
const (
	pointMatch       = 1
	pointConsecutive = 4
	pointWordStart   = 6
	pointFirstChar   = 8
)

// Pattern is a lowercased filter, ready to match many texts.
type Pattern struct {
	runes []rune
	ascii bool
	raw   string
}

// Compile prepares pattern; spaces are ignored, so "prod eu" matches
// "prod-eu-west".
func Compile(pattern string) Pattern {
	p := strings.ToLower(strings.ReplaceAll(pattern, " ", ""))
	ascii := true
	for i := 0; i < len(p); i++ {
		if p[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	return Pattern{runes: []rune(p), ascii: ascii, raw: p}
}

// Empty reports whether the pattern matches everything.
func (p Pattern) Empty() bool { return len(p.runes) == 0 }

// String returns the compiled pattern.
func (p Pattern) String() string { return p.raw }

// Match reports whether p matches lower (which the caller lowercased once,
// ahead of time) and how well; higher is better.
func (p Pattern) Match(lower string) (score int, ok bool) {
	if p.Empty() {
		return 0, true
	}
	if p.ascii {
		return p.matchASCII(lower)
	}
	return p.matchRunes(lower)
}

func (p Pattern) matchASCII(s string) (int, bool) {
	pat := p.raw
	j, score, prev := 0, 0, -2
	for i := 0; i < len(s) && j < len(pat); i++ {
		if s[i] != pat[j] {
			continue
		}
		score += pointMatch + bonus(i, prev, i > 0 && isSep(rune(s[i-1])))
		prev = i
		j++
	}
	return score, j == len(pat)
}

func (p Pattern) matchRunes(s string) (int, bool) {
	j, score, prev, i := 0, 0, -2, 0
	var last rune
	for _, r := range s {
		if j < len(p.runes) && r == p.runes[j] {
			score += pointMatch + bonus(i, prev, i > 0 && isSep(last))
			prev = i
			j++
		}
		last = r
		i++
	}
	return score, j == len(p.runes)
}

func bonus(i, prev int, afterSep bool) int {
	b := 0
	switch {
	case i == 0:
		b += pointFirstChar
	case afterSep:
		b += pointWordStart
	}
	if prev == i-1 {
		b += pointConsecutive
	}
	return b
}

func isSep(r rune) bool {
	switch r {
	case ' ', '-', '_', '.', '/', ':', '@':
		return true
	}
	return false
}
