package store

import (
	"strconv"
	"strings"
)

// The scalars scanYAML reads exactly as go-yaml v2 does: plain, single-
// and double-quoted, and literal blocks (kubeconfig_yamlscan.go reads the
// mappings and sequences around them).

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
