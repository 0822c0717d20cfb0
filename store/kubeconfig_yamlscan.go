package store

import (
	"bytes"
	"strconv"
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

// plainSafe is a one-line plain scalar go-yaml reads as the text itself:
// no indicator first, no ": " or " #", no space at either end.
func plainSafe(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' || s[len(s)-1] == ':' {
		return false
	}
	switch s[0] {
	case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return false
	case '?', ':', '-':
		if len(s) == 1 || s[1] == ' ' {
			return false
		}
	}
	if strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") {
		return false
	}
	return !strings.Contains(s, ": ") && !strings.Contains(s, " #")
}

// plainLines reads a plain scalar and its continuation lines (more
// indented than indent), folded with single spaces as go-yaml's emitter
// breaks them.
func (s *yamlScanner) plainLines(first string, indent int) (string, bool) {
	if !plainSafe(first) {
		return "", false
	}
	text := first
	for {
		l, more := s.line()
		if !more || l.indent <= indent {
			return text, true
		}
		if !plainSafe(l.text) || isItem(l.text) {
			return "", false
		}
		text += " " + l.text
		s.pos++
	}
}

// resolvePlain is go-yaml v2's resolve for a plain scalar: a string, a
// boolean or a null; false when it is a number or a timestamp.
func resolvePlain(text string) (any, bool) {
	if v, special := yamlPlainWords[text]; special {
		return v, true
	}
	if yamlPlainIsString(text) {
		return text, true
	}
	return nil, false
}

// closingQuote is the index of the quote ending a single-quoted scalar
// that starts text (a doubled quote is an escaped one), or -1.
func closingQuote(text string) int {
	for i := 1; i < len(text); i++ {
		if text[i] != '\'' {
			continue
		}
		if i+1 < len(text) && text[i+1] == '\'' {
			i++
			continue
		}
		return i
	}
	return -1
}

// singleQuoted reads a single-quoted scalar, folded over lines more
// indented than indent as go-yaml's emitter breaks them at a space.
func (s *yamlScanner) singleQuoted(rest string, indent int) (any, bool) {
	text := rest
	for {
		if end := closingQuote(text); end >= 0 {
			if end != len(text)-1 {
				return nil, false
			}
			return strings.ReplaceAll(text[1:end], "''", "'"), true
		}
		l, more := s.line()
		if !more || l.indent <= indent || l.text == "" || strings.HasSuffix(text, " ") || strings.HasSuffix(l.text, " ") {
			return nil, false
		}
		text += " " + l.text
		s.pos++
	}
}

// doubleQuoted reads a one-line double-quoted scalar with the escapes
// JSON has; false for any other.
func doubleQuoted(rest string) (any, bool) {
	if len(rest) < 2 || rest[len(rest)-1] != '"' {
		return nil, false
	}
	body := rest[1 : len(rest)-1]
	if !strings.ContainsAny(body, `"\`) {
		return body, true
	}
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c == '"' {
			return nil, false
		}
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		if i+1 >= len(body) {
			return nil, false
		}
		i++
		switch body[i] {
		case '"', '\\', '/':
			b.WriteByte(body[i])
		case 'n':
			b.WriteByte('\n')
		case 't':
			b.WriteByte('\t')
		case 'r':
			b.WriteByte('\r')
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'u':
			if i+4 >= len(body) {
				return nil, false
			}
			n, err := strconv.ParseUint(body[i+1:i+5], 16, 32)
			if err != nil || (n >= 0xd800 && n <= 0xdfff) {
				return nil, false
			}
			b.WriteRune(rune(n))
			i += 4
		default:
			return nil, false
		}
	}
	return b.String(), true
}

// literal reads a "|" or "|-" block scalar whose lines are more indented
// than indent; other headers (keep, an explicit indent, folded) are left
// to go-yaml.
func (s *yamlScanner) literal(header string, indent int) (any, bool) {
	if header != "|" && header != "|-" {
		return nil, false
	}
	first, more := s.line()
	if !more || first.indent <= indent || first.text == "" {
		return nil, false
	}
	content := first.indent
	var b strings.Builder
	trailing := 0
	for {
		l, more := s.line()
		if !more || (l.text != "" && l.indent < content) {
			break
		}
		if l.text == "" {
			if l.indent > content {
				return nil, false // spaces kept on an empty line: left to go-yaml
			}
			trailing++
			s.pos++
			continue
		}
		for range trailing {
			b.WriteByte('\n')
		}
		trailing = 0
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strings.Repeat(" ", l.indent-content))
		b.WriteString(l.text)
		s.pos++
	}
	if header == "|" {
		b.WriteByte('\n')
	}
	return b.String(), true
}
