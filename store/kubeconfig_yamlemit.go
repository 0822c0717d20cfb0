package store

import (
	"slices"
	"strings"
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
