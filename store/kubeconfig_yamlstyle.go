package store

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// How go-yaml v2 decides a scalar's style: what its emitter finds in the
// text (analyzeScalar) and whether a plain scalar would read back as a
// string (yamlPlainIsString). kubeconfig_yamlemit.go writes with them.

// scalarAnalysis is what go-yaml's yaml_emitter_analyze_scalar finds that
// matters in block context.
type scalarAnalysis struct {
	lineBreaks   bool // multiline
	blockPlain   bool // block_plain_allowed
	singleQuoted bool // single_quoted_allowed
}

// analyzeScalar ports yaml_emitter_analyze_scalar (go-yaml v2, unicode
// output on).
func analyzeScalar(s string) scalarAnalysis {
	if s == "" || base64Like(s) {
		return scalarAnalysis{blockPlain: true, singleQuoted: true}
	}
	var blockIndicators, lineBreaks, special bool
	var leadingSpace, leadingBreak, trailingSpace, trailingBreak, breakSpace, spaceBreak bool
	var previousSpace, previousBreak bool
	if len(s) >= 3 && (s[:3] == "---" || s[:3] == "...") {
		blockIndicators = true
	}
	precededByWhitespace := true
	for i, w := 0, 0; i < len(s); i += w {
		r, size := utf8.DecodeRuneInString(s[i:])
		w = size
		followedByWhitespace := i+w >= len(s) || s[i+w] == ' ' || s[i+w] == '\t'
		c := s[i]
		if i == 0 {
			switch c {
			case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
				blockIndicators = true
			case '?', ':', '-':
				if followedByWhitespace {
					blockIndicators = true
				}
			}
		} else {
			switch c {
			case ':':
				if followedByWhitespace {
					blockIndicators = true
				}
			case '#':
				if precededByWhitespace {
					blockIndicators = true
				}
			}
		}
		if !yamlPrintable(r) {
			special = true
		}
		switch {
		case c == ' ':
			leadingSpace = leadingSpace || i == 0
			trailingSpace = trailingSpace || i+w == len(s)
			breakSpace = breakSpace || previousBreak
			previousSpace, previousBreak = true, false
		case yamlBreak(r):
			lineBreaks = true
			leadingBreak = leadingBreak || i == 0
			trailingBreak = trailingBreak || i+w == len(s)
			spaceBreak = spaceBreak || previousSpace
			previousSpace, previousBreak = false, true
		default:
			previousSpace, previousBreak = false, false
		}
		precededByWhitespace = c == ' ' || c == '\t' || yamlBreak(r)
	}
	a := scalarAnalysis{lineBreaks: lineBreaks, blockPlain: true, singleQuoted: true}
	if leadingSpace || leadingBreak || trailingSpace || trailingBreak || lineBreaks || blockIndicators {
		a.blockPlain = false
	}
	if breakSpace || spaceBreak || special {
		a.blockPlain, a.singleQuoted = false, false
	}
	return a
}

// base64Like is a string of letters, digits, "+/=_.-" that starts with a
// letter, for which the analysis finds nothing (certificates, names).
func base64Like(s string) bool {
	if c := s[0] | 0x20; c < 'a' || c > 'z' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '=' || c == '_' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

// yamlPrintable is go-yaml v2's is_printable for one character.
func yamlPrintable(r rune) bool {
	switch {
	case r == '\n' || (r >= 0x20 && r <= 0x7e):
		return true
	case r >= 0xa0 && r <= 0xd7ff:
		return true
	case r >= 0xe000 && r <= 0xfffd:
		return r != 0xfeff
	}
	return false
}

// yamlBreak is go-yaml's is_break: CR, LF, NEL, LS, PS.
func yamlBreak(r rune) bool {
	return r == '\r' || r == '\n' || r == 0x85 || r == 0x2028 || r == 0x2029
}

// plainResolvesToString says whether go-yaml v2's stringv writes s plain
// (it reads back as a string and is no base-60 float), else it
// double-quotes it.
func plainResolvesToString(s string) (plain, ok bool) {
	return yamlPlainIsString(s) && !yamlBase60Float.MatchString(s), true
}

// yamlBase60Float is go-yaml v2's base60float: quoted on the way out.
var yamlBase60Float = regexp.MustCompile(`^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`)

// yamlPlainIsString is go-yaml v2's resolve("", s) == !!str: s, as a plain
// scalar, is not a null, boolean, number or timestamp.
func yamlPlainIsString(s string) bool {
	if s == "" {
		return false // null
	}
	hint := yamlResolveHint(s[0])
	if hint == 0 {
		return true
	}
	if _, special := yamlPlainWords[s]; special || yamlFloatWords[s] {
		return false
	}
	switch hint {
	case '.':
		_, err := strconv.ParseFloat(s, 64)
		return err != nil
	case 'D', 'S':
		if yamlTimestamp(s) {
			return false
		}
		plain := strings.ReplaceAll(s, "_", "")
		if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
			return false
		}
		if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
			return false
		}
		if yamlStyleFloat.MatchString(plain) {
			if _, err := strconv.ParseFloat(plain, 64); err == nil {
				return false
			}
		}
		if rest, ok := strings.CutPrefix(plain, "0b"); ok {
			_, ierr := strconv.ParseInt(rest, 2, 64)
			_, uerr := strconv.ParseUint(rest, 2, 64)
			return ierr != nil && uerr != nil
		}
		if rest, ok := strings.CutPrefix(plain, "-0b"); ok {
			_, err := strconv.ParseInt("-"+rest, 2, 64)
			return err != nil
		}
	}
	return true // 'M' words were looked up above
}

// yamlStyleFloat is go-yaml v2's float syntax.
var yamlStyleFloat = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// yamlTimestamp is go-yaml v2's parseTimestamp succeeding.
func yamlTimestamp(s string) bool {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return false
	}
	for _, format := range []string{"2006-1-2T15:4:5.999999999Z07:00", "2006-1-2t15:4:5.999999999Z07:00", "2006-1-2 15:4:5.999999999", "2006-1-2"} {
		if _, err := time.Parse(format, s); err == nil {
			return true
		}
	}
	return false
}

// yamlResolveHint is go-yaml v2's resolveTable: what a plain scalar's first
// byte says it might be.
func yamlResolveHint(c byte) byte {
	switch {
	case c == '+' || c == '-':
		return 'S'
	case c >= '0' && c <= '9':
		return 'D'
	case c == '.':
		return '.'
	}
	switch c {
	case 'y', 'Y', 'n', 'N', 't', 'T', 'f', 'F', 'o', 'O', '~':
		return 'M'
	}
	return 0
}

// yamlPlainWords are go-yaml v2's resolveMap entries that a plain scalar
// with an 'M' hint can be: booleans (YAML 1.1) and nulls.
var yamlPlainWords = map[string]any{
	"y": true, "Y": true, "yes": true, "Yes": true, "YES": true,
	"true": true, "True": true, "TRUE": true,
	"on": true, "On": true, "ON": true,
	"n": false, "N": false, "no": false, "No": false, "NO": false,
	"false": false, "False": false, "FALSE": false,
	"off": false, "Off": false, "OFF": false,
	"~": nil, "null": nil, "Null": nil, "NULL": nil,
}

// yamlFloatWords are go-yaml v2's resolveMap floats: NaN and infinities.
var yamlFloatWords = map[string]bool{
	".nan": true, ".NaN": true, ".NAN": true, ".inf": true, ".Inf": true, ".INF": true,
	"+.inf": true, "+.Inf": true, "+.INF": true, "-.inf": true, "-.Inf": true, "-.INF": true,
}

// yamlKeyLess is go-yaml v2's keyList.Less for two string keys: letters
// before other characters, runs of digits compared as numbers.
func yamlKeyLess(a, b string) bool {
	ar, br := []rune(a), []rune(b)
	for i := 0; i < len(ar) && i < len(br); i++ {
		if ar[i] == br[i] {
			continue
		}
		al, bl := unicode.IsLetter(ar[i]), unicode.IsLetter(br[i])
		if al && bl {
			return ar[i] < br[i]
		}
		if al || bl {
			return bl
		}
		var ai, bi int
		var an, bn int64
		if ar[i] == '0' || br[i] == '0' {
			for j := i - 1; j >= 0 && unicode.IsDigit(ar[j]); j-- {
				if ar[j] != '0' {
					an, bn = 1, 1
					break
				}
			}
		}
		for ai = i; ai < len(ar) && unicode.IsDigit(ar[ai]); ai++ {
			an = an*10 + int64(ar[ai]-'0')
		}
		for bi = i; bi < len(br) && unicode.IsDigit(br[bi]); bi++ {
			bn = bn*10 + int64(br[bi]-'0')
		}
		if an != bn {
			return an < bn
		}
		if ai != bi {
			return ai < bi
		}
		return ar[i] < br[i]
	}
	return len(ar) < len(br)
}
