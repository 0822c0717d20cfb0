package cli

import (
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestJSONFieldsAreDocumented fails when a field of a command's JSON is
// added, renamed or removed without docs/json.md's field table.
func TestJSONFieldsAreDocumented(t *testing.T) {
	page, err := os.ReadFile("../../docs/json.md")
	if err != nil {
		t.Fatalf("the JSON reference: %v", err)
	}
	tables := documentedFields(string(page))
	for _, tc := range []struct {
		section string
		v       any
	}{
		{"list -o json", targetView{}},
		{"status -o json", credView{}},
		{"log -o json", eventView{}},
		{"profiles -o json", profileView{}},
	} {
		code := jsonFields(reflect.TypeOf(tc.v), "")
		docs := tables[tc.section]
		for _, f := range code {
			if !slices.Contains(docs, f) {
				t.Errorf("docs/json.md, %q: field %s is not documented", tc.section, f)
			}
		}
		for _, f := range docs {
			if !slices.Contains(code, f) {
				t.Errorf("docs/json.md, %q: documents %s, which the JSON does not have", tc.section, f)
			}
		}
	}
}

// documentedFields reads the field tables of docs/json.md: each "## `cmd`"
// section's rows that start with a `field`.
func documentedFields(page string) map[string][]string {
	out := map[string][]string{}
	heading := regexp.MustCompile("^## `([^`]+)`")
	row := regexp.MustCompile("^\\| `([a-z0-9_.]+)` \\|")
	section := ""
	for _, line := range strings.Split(page, "\n") {
		if m := heading.FindStringSubmatch(line); m != nil {
			section = m[1]
		} else if m := row.FindStringSubmatch(line); m != nil && section != "" {
			out[section] = append(out[section], m[1])
		}
	}
	return out
}

// jsonFields lists a struct's JSON field names, nested objects' fields as
// parent.child (the object itself listed too).
func jsonFields(t reflect.Type, prefix string) []string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" {
			continue
		}
		out = append(out, prefix+name)
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct {
			out = append(out, jsonFields(ft, prefix+name+".")...)
		}
	}
	return out
}
