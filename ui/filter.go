package ui

import (
	"strings"

	"ccecert/ui/fuzzy"
)

// The filter: plain words match what a row shows (its name, contexts and
// region), each word fuzzily within one of them; a word with a field
// prefix ("health:crit", "source:imported") matches that field, which the
// row may not show, as a substring. Every word must match.

// The fields a filter word can name; fieldShown is none (what the row
// shows).
const (
	fieldShown = iota
	fieldRegion
	fieldHealth
	fieldSrc
	fieldFile
	fieldKind
	fieldID
	numFields
)

// filterPrefixes are the field prefixes, in the order help lists them.
var filterPrefixes = []struct {
	name  string
	field int
}{
	{"region:", fieldRegion},
	{"health:", fieldHealth},
	{"source:", fieldSrc},
	{"file:", fieldFile},
	{"kind:", fieldKind},
	{"id:", fieldID},
}

// filterHelp names the prefixes for the help.
func filterHelp() string {
	names := make([]string, len(filterPrefixes))
	for i, p := range filterPrefixes {
		names[i] = p.name
	}
	return strings.Join(names, " ")
}

// rowFields is one row's text as the filter sees it, lowercased: what the
// row shows, and the fields a prefix names.
type rowFields struct {
	shown  []string
	fields [numFields]string
}

// fieldedSource is a page whose rows the filter matches by field; a page
// without it is matched on its Haystack alone, as shown text.
type fieldedSource interface {
	Fields(i int) rowFields
}

// query is a compiled filter.
type query struct {
	words []fuzzy.Pattern // plain words
	terms []fieldTerm     // prefixed words
}

type fieldTerm struct {
	field int
	text  string // lowercased
}

// compileQuery reads a filter as typed.
func compileQuery(text string) query {
	var q query
	for _, w := range strings.Fields(strings.ToLower(text)) {
		if t, ok := prefixed(w); ok {
			if t.text != "" { // "health:" alone, still being typed: no term yet
				q.terms = append(q.terms, t)
			}
			continue
		}
		q.words = append(q.words, fuzzy.Compile(w))
	}
	return q
}

// prefixed reads "region:eu" as a field term.
func prefixed(w string) (fieldTerm, bool) {
	for _, p := range filterPrefixes {
		if rest, ok := strings.CutPrefix(w, p.name); ok {
			return fieldTerm{field: p.field, text: rest}, true
		}
	}
	return fieldTerm{}, false
}

// empty reports a query that matches everything.
func (q query) empty() bool { return len(q.words) == 0 && len(q.terms) == 0 }

// names reports whether the query reads field.
func (q query) names(field int) bool {
	for _, t := range q.terms {
		if t.field == field {
			return true
		}
	}
	return false
}

// match reports whether every word of q matches f.
func (q query) match(f *rowFields) bool {
	for _, t := range q.terms {
		if !strings.Contains(f.fields[t.field], t.text) {
			return false
		}
	}
	for _, w := range q.words {
		if !anyMatch(w, f.shown) {
			return false
		}
	}
	return true
}

func anyMatch(w fuzzy.Pattern, texts []string) bool {
	for _, s := range texts {
		if _, ok := w.Match(s); ok {
			return true
		}
	}
	return false
}

// lowerAll lowercases texts in place and returns them.
func lowerAll(texts ...string) []string {
	for i, s := range texts {
		texts[i] = strings.ToLower(s)
	}
	return texts
}

// credFields: a credential shows its target, contexts and region.
func credFields(it *credItem) rowFields {
	f := rowFields{shown: lowerAll(it.target, contextsCell(it), it.region)}
	f.fields[fieldRegion] = f.shown[2]
	f.fields[fieldHealth] = strings.ToLower(badge(it.health))
	f.fields[fieldSrc] = strings.ToLower(string(it.cred.Source))
	f.fields[fieldFile] = strings.ToLower(it.file)
	f.fields[fieldKind] = strings.ToLower(string(it.cred.Target.Kind))
	f.fields[fieldID] = strings.ToLower(it.cred.ID)
	return f
}

// targetFields: a cluster or fleet shows its name, its best credential's
// context and its region (a fleet: its members too).
func targetFields(it *targetItem) rowFields {
	shown := []string{it.name, bestContext(it), it.region}
	if it.members != "" {
		shown = append(shown, it.members)
	}
	f := rowFields{shown: lowerAll(shown...)}
	f.fields[fieldRegion] = strings.ToLower(it.region)
	f.fields[fieldHealth] = "none"
	if it.best != nil {
		f.fields[fieldHealth] = strings.ToLower(badge(it.best.health))
		f.fields[fieldSrc] = strings.ToLower(string(it.best.cred.Source))
		f.fields[fieldFile] = strings.ToLower(it.best.file)
	}
	f.fields[fieldKind] = strings.ToLower(it.kind)
	f.fields[fieldID] = strings.ToLower(it.target.ID)
	return f
}

func (p clustersPage) Fields(i int) rowFields    { return targetFields(p.items[i]) }
func (p fleetsPage) Fields(i int) rowFields      { return targetFields(p.items[i]) }
func (p credentialsPage) Fields(i int) rowFields { return credFields(p.items[i]) }

// rowFieldsOf is item i's fields for the filter.
func rowFieldsOf(src pageSource, i int) rowFields {
	if fs, ok := src.(fieldedSource); ok {
		return fs.Fields(i)
	}
	h := src.Haystack(i)
	f := rowFields{shown: []string{h}}
	return f
}
