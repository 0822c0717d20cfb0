package store

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// emitYAML writes the JSON tree doc (a decoded v1 Config: maps, lists,
// strings, booleans, nulls) as the YAML that sigs.k8s.io/yaml.JSONToYAML,
// hence clientcmd.Write, writes for it, byte for byte: go-yaml v2's block
// style, keys in its order, its choice of plain or quoted scalars and its
// folding of long lines at 80 columns. It ports only what a kubeconfig
// needs and reports false for anything else (numbers, multi-line strings,
// strings go-yaml would double-quote with escapes, long keys), which the
// caller then hands to clientcmd.Write.
func emitYAML(doc map[string]any) ([]byte, bool) {
	if len(doc) == 0 {
		return []byte("{}\n"), true
	}
	e := &yamlEmitter{out: make([]byte, 0, 1<<16)}
	if !e.mapping(doc, 0, false) {
		return nil, false
	}
	return e.out, true
}

// yamlEmitter is the output and the column go-yaml's emitter tracks (in
// characters, not bytes), which decides where long scalars fold.
type yamlEmitter struct {
	out []byte
	col int
}

// emitWidth is go-yaml v2's best_width: a scalar with spaces breaks at the
// first space past this column.
const emitWidth = 80

func (e *yamlEmitter) spaces(n int) {
	for range n {
		e.out = append(e.out, ' ')
	}
	e.col += n
}

func (e *yamlEmitter) ascii(s string) {
	e.out = append(e.out, s...)
	e.col += len(s)
}

func (e *yamlEmitter) newline() {
	e.out = append(e.out, '\n')
	e.col = 0
}

// mapping writes a block mapping whose keys start at column indent; inline
// is true right after "- ", where the first key goes on the same line.
func (e *yamlEmitter) mapping(m map[string]any, indent int, inline bool) bool {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if yamlKeyLess(a, b) {
			return -1
		}
		if yamlKeyLess(b, a) {
			return 1
		}
		return 0
	})
	for i, k := range keys {
		if i > 0 || !inline {
			e.spaces(indent - e.col)
		}
		if !e.scalar(k, indent+2, true) {
			return false
		}
		e.ascii(":")
		if !e.value(m[k], indent, indent) {
			return false
		}
	}
	return true
}

// value writes what follows "key:" or "-": a scalar or empty collection on
// the line, else a nested block. seqIndent is where a nested list's "- "
// goes (the key's column: go-yaml does not indent lists in mappings), and
// mapIndent+2 where a nested mapping's keys go.
func (e *yamlEmitter) value(v any, mapIndent, seqIndent int) bool {
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 0 {
			e.ascii(" {}")
			e.newline()
			return true
		}
		e.newline()
		return e.mapping(v, mapIndent+2, false)
	case []any:
		if len(v) == 0 {
			e.ascii(" []")
			e.newline()
			return true
		}
		e.newline()
		return e.sequence(v, seqIndent)
	case string:
		if !e.scalar(v, mapIndent+2, false) {
			return false
		}
	case bool:
		if v {
			e.ascii(" true")
		} else {
			e.ascii(" false")
		}
	case nil:
		e.ascii(" null")
	default:
		return false // numbers: go-yaml's int/float choices are not ported
	}
	e.newline()
	return true
}

// sequence writes a block sequence with its "- " at column indent.
func (e *yamlEmitter) sequence(list []any, indent int) bool {
	for _, item := range list {
		e.spaces(indent - e.col)
		e.ascii("-")
		switch item := item.(type) {
		case map[string]any:
			if len(item) == 0 {
				e.ascii(" {}")
				e.newline()
				continue
			}
			e.spaces(1)
			if !e.mapping(item, indent+2, true) {
				return false
			}
		case []any:
			if len(item) > 0 {
				return false // a list in a list: not in a kubeconfig
			}
			e.ascii(" []")
			e.newline()
		default:
			if !e.value(item, indent, indent) {
				return false
			}
		}
	}
	return true
}

// scalar writes s (a value after a space), plain or single-quoted as go-yaml would
// (folding at spaces past emitWidth to column indent unless it is a key),
// or a double-quoted string without escapes; false for the styles not
// ported.
func (e *yamlEmitter) scalar(s string, indent int, key bool) bool {
	if !utf8.ValidString(s) || (key && len(s) > 128) {
		return false
	}
	a := analyzeScalar(s)
	if a.lineBreaks {
		return false // literal style, or double-quoted with escapes
	}
	plain, ok := plainResolvesToString(s)
	if !ok {
		return false
	}
	if !key {
		e.spaces(1) // after "key:" or "-"; a key starts where the indent ends
	}
	switch {
	case !plain:
		return e.doubleQuoted(s)
	case a.blockPlain && !(key && s == ""):
		e.writePlain(s, indent, !key)
	case a.singleQuoted:
		e.writeSingleQuoted(s, indent, !key)
	default:
		return e.doubleQuoted(s)
	}
	return true
}

// doubleQuoted writes s in double quotes when it needs no escape and has
// no space to fold at (the empty string, "true", "123"…); false otherwise.
func (e *yamlEmitter) doubleQuoted(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x21 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	e.ascii(`"` + s + `"`)
	return true
}

// writePlain is go-yaml's yaml_emitter_write_plain_scalar for a scalar
// without line breaks: it breaks at a single space past emitWidth.
func (e *yamlEmitter) writePlain(s string, indent int, breaks bool) {
	e.writeFolded(s, indent, breaks, false)
}

// writeSingleQuoted is go-yaml's yaml_emitter_write_single_quoted_scalar
// for a scalar without line breaks: quotes doubled, and the same breaks
// except at either end.
func (e *yamlEmitter) writeSingleQuoted(s string, indent int, breaks bool) {
	e.ascii("'")
	e.writeFolded(s, indent, breaks, true)
	e.ascii("'")
}

// writeFolded writes s run by run of non-spaces; a space that is alone
// (not after or before another) and comes past emitWidth becomes a line
// break to column indent.
func (e *yamlEmitter) writeFolded(s string, indent int, breaks, quoted bool) {
	for i := 0; i < len(s); {
		if s[i] == ' ' {
			lone := (i == 0 || s[i-1] != ' ') && (i+1 >= len(s) || s[i+1] != ' ')
			inside := !quoted || (i > 0 && i < len(s)-1)
			if breaks && lone && inside && e.col > emitWidth && i+1 < len(s) {
				e.newline()
				e.spaces(indent)
			} else {
				e.out = append(e.out, ' ')
				e.col++
			}
			i++
			continue
		}
		end := strings.IndexByte(s[i:], ' ')
		if end < 0 {
			end = len(s)
		} else {
			end += i
		}
		run := s[i:end]
		if quoted && strings.Contains(run, "'") {
			run = strings.ReplaceAll(run, "'", "''")
		}
		e.out = append(e.out, run...)
		e.col += utf8.RuneCountInString(run)
		i = end
	}
}

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
