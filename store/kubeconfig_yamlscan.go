package store

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// scanYAML reads the block-style YAML that go-yaml v2 writes (kubectl's
// and clientcmd.Write's files, and the ones ccecert writes) into the tree
// json.Unmarshal would give for sigs.k8s.io/yaml.YAMLToJSON of it: maps,
// lists, strings, booleans and nulls. It is the fast path of
// loadKubeconfig; whatever it is not sure to read exactly as go-yaml does
// (comments, anchors, tags, flow collections, numbers, timestamps,
// documents markers, tabs, CRs, blank lines, unusual escapes, JSON) it
// refuses with false, and the caller takes the slow path.
func scanYAML(data []byte) (map[string]any, bool) {
	if !scannable(data) {
		return nil, false
	}
	s := &yamlScanner{lines: splitLines(data)}
	if len(s.lines) == 0 || s.lines[0].indent != 0 {
		return nil, false
	}
	v, ok := s.node(0)
	m, isMap := v.(map[string]any)
	if !ok || !isMap || s.pos != len(s.lines) {
		return nil, false
	}
	return m, true
}

// scannable refuses input with bytes this scanner leaves to go-yaml:
// comments, tabs, CRs, control characters, invalid UTF-8, a BOM, YAML line
// breaks other than LF, and characters go-yaml's reader refuses.
func scannable(data []byte) bool {
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			if (c < 0x20 && c != '\n') || c == 0x7f || c == '#' {
				return false
			}
			i++
			continue
		}
		r, w := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError || r < 0xa0 || r == 0x2028 || r == 0x2029 || r == 0xfeff || (r >= 0xd800 && r <= 0xdfff) || r == 0xfffe || r == 0xffff {
			return false
		}
		i += w
	}
	return true
}

// yamlLine is one line: its indent in spaces and the rest.
type yamlLine struct {
	indent int
	text   string
}

func splitLines(data []byte) []yamlLine {
	lines := make([]yamlLine, 0, bytes.Count(data, []byte{'\n'})+1)
	for len(data) > 0 {
		end := bytes.IndexByte(data, '\n')
		var line []byte
		if end < 0 {
			line, data = data, nil
		} else {
			line, data = data[:end], data[end+1:]
		}
		n := 0
		for n < len(line) && line[n] == ' ' {
			n++
		}
		lines = append(lines, yamlLine{indent: n, text: string(line[n:])})
	}
	return lines
}

type yamlScanner struct {
	lines []yamlLine
	pos   int
}

func (s *yamlScanner) line() (yamlLine, bool) {
	if s.pos >= len(s.lines) {
		return yamlLine{}, false
	}
	return s.lines[s.pos], true
}

// node reads the block (mapping or sequence) that starts at the current
// line, whose indent is indent.
func (s *yamlScanner) node(indent int) (any, bool) {
	l, _ := s.line()
	if isItem(l.text) {
		return s.sequence(indent)
	}
	return s.mapping(indent)
}

func isItem(text string) bool { return text == "-" || strings.HasPrefix(text, "- ") }

// mapping reads "key: value" lines at indent until a line less indented.
func (s *yamlScanner) mapping(indent int) (any, bool) {
	m := map[string]any{}
	for {
		l, more := s.line()
		if !more || l.indent < indent {
			return m, true
		}
		if l.indent > indent || l.text == "" || isItem(l.text) {
			return nil, false
		}
		key, rest, ok := splitKey(l.text)
		if _, dup := m[key]; !ok || dup {
			return nil, false
		}
		s.pos++
		v, ok := s.value(rest, indent, true)
		if !ok {
			return nil, false
		}
		m[key] = v
	}
}

// sequence reads "- item" lines at indent.
func (s *yamlScanner) sequence(indent int) (any, bool) {
	list := []any{}
	for {
		l, more := s.line()
		if !more || l.indent < indent || (l.indent == indent && !isItem(l.text)) {
			return list, true
		}
		if l.indent > indent {
			return nil, false
		}
		rest := strings.TrimPrefix(strings.TrimPrefix(l.text, "-"), " ")
		if rest == "" || rest[0] == ' ' || isItem(rest) {
			return nil, false // the item on the next lines, or "- - x": not go-yaml's kubeconfig style
		}
		if _, _, isKey := splitKey(rest); isKey {
			// "- key: value": a mapping whose keys are at indent+2.
			s.lines[s.pos] = yamlLine{indent: indent + 2, text: rest}
			v, ok := s.mapping(indent + 2)
			if !ok {
				return nil, false
			}
			list = append(list, v)
			continue
		}
		s.pos++
		v, ok := s.value(rest, indent, false)
		if !ok {
			return nil, false
		}
		list = append(list, v)
	}
}

// value reads what follows "key:" (inMap) or "- ": a scalar on the line
// (continued on more indented lines), or a block on the next lines.
func (s *yamlScanner) value(rest string, indent int, inMap bool) (any, bool) {
	if rest == "" {
		if !inMap {
			return nil, false
		}
		next, more := s.line()
		switch {
		case more && next.indent > indent:
			return s.node(next.indent)
		case more && next.indent == indent && isItem(next.text):
			return s.sequence(indent) // go-yaml's unindented list in a mapping
		}
		return nil, true // "key:" alone is null
	}
	switch rest[0] {
	case '\'':
		return s.singleQuoted(rest, indent)
	case '"':
		return doubleQuoted(rest)
	case '|':
		return s.literal(rest, indent)
	case '{', '[':
		switch rest {
		case "{}":
			return map[string]any{}, true
		case "[]":
			return []any{}, true
		}
		return nil, false
	}
	text, ok := s.plainLines(rest, indent)
	if !ok {
		return nil, false
	}
	return resolvePlain(text)
}

// splitKey splits "key: rest" or "key:"; ok is false when text is not a
// key go-yaml would read as that plain or quoted string.
func splitKey(text string) (key, rest string, ok bool) {
	var after string
	switch text[0] {
	case '\'':
		end := closingQuote(text)
		if end < 0 {
			return "", "", false
		}
		key, after = strings.ReplaceAll(text[1:end], "''", "'"), text[end+1:]
	case '"':
		end := strings.IndexByte(text[1:], '"')
		if end < 0 {
			return "", "", false
		}
		v, ok := doubleQuoted(text[:end+2])
		if !ok {
			return "", "", false
		}
		key, after = v.(string), text[end+2:]
	default:
		i := strings.Index(text, ": ")
		if i < 0 && strings.HasSuffix(text, ":") {
			i = len(text) - 1
		}
		if i <= 0 {
			return "", "", false
		}
		key, after = text[:i], text[i:]
		if v, ok := resolvePlain(key); !plainSafe(key) || !ok || v != key || key == "<<" {
			return "", "", false // not a plain string key (a boolean, a null, a number, a merge)
		}
	}
	switch {
	case after == ":":
		return key, "", true
	case strings.HasPrefix(after, ": ") && len(after) > 2 && after[2] != ' ':
		return key, after[2:], true
	}
	return "", "", false
}
