package store

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"text/template"
	"unicode"
	"unicode/utf8"

	"ccecert/api"
)

// NameData is what a naming template sees.
type NameData struct {
	Name      string // cluster or fleet name
	Region    string
	Context   string // internal, external or federation
	Kind      string // cce, autopilot, fleet
	ID        string
	ProjectID string
	Profile   string // the profile it was fetched under
}

// ValidateNaming checks a context name template: it parses, renders a
// non-empty single-line name, and uses .Context (so a target's internal and
// external contexts differ).
func ValidateNaming(tmpl string) error {
	t, err := parseNaming(tmpl)
	if err != nil {
		return err
	}
	d := NameData{Name: "prod", Region: "cn-north-4", Kind: "cce", ID: "0c0e9a5d", ProjectID: "p1", Profile: DefaultProfile}
	d.Context = string(api.RoleInternal)
	a, err := renderName(t, d)
	if err != nil {
		return err
	}
	d.Context = string(api.RoleExternal)
	b, err := renderName(t, d)
	if err != nil {
		return err
	}
	if a == b {
		return fmt.Errorf("template %q gives the same name to the internal and external contexts: use {{.Context}}", tmpl)
	}
	return nil
}

func parseNaming(tmpl string) (*template.Template, error) {
	if strings.TrimSpace(tmpl) == "" {
		tmpl = DefaultNaming
	}
	t, err := template.New("naming").Option("missingkey=error").Parse(tmpl)
	if err != nil {
		return nil, fmt.Errorf("template %q does not parse: %w", tmpl, err)
	}
	return t, nil
}

func renderName(t *template.Template, d NameData) (string, error) {
	var b bytes.Buffer
	if err := t.Execute(&b, d); err != nil {
		return "", fmt.Errorf("naming template: %w (use .Name, .Context, .Region, .Kind, .ID, .ProjectID, .Profile)", err)
	}
	s := strings.TrimSpace(b.String())
	if s == "" || strings.ContainsAny(s, "\n\r") {
		return "", errors.New("naming template renders an empty or multi-line name")
	}
	return s, nil
}

// nameData builds the template data for a target of a profile and a role
// at a clash level: 0 plain, 1 the profile added to the name (a profile
// other than the default; the same cluster name in two accounts), 2 the
// region added instead, 3 the profile, the region and a short id.
func nameData(t api.Target, profile string, role api.ContextRole, level int) NameData {
	d := NameData{Name: inertName(t.Name), Region: inertName(t.Region), Context: string(role), Kind: string(t.Kind),
		ID: inertName(t.ID), ProjectID: inertName(t.ProjectID), Profile: inertName(profileOr(profile))}
	if d.Name == "" {
		d.Name = shortID(d.ID, 8)
	}
	named := d.Profile != DefaultProfile
	if (level == 1 || level == 3) && named {
		d.Name += "-" + d.Profile
	}
	if level >= 2 && d.Region != "" {
		d.Name += "-" + d.Region
	}
	if level >= 3 {
		d.Name += "-" + shortID(strings.TrimPrefix(d.ID, "unmatched:"), 8)
	}
	return d
}

// inertName makes text from the cloud safe in a kubeconfig entry name:
// control and format characters (escape sequences, which kubectl would
// print as they are, bidi overrides) and invalid UTF-8 become '_'.
func inertName(s string) string {
	unsafe := func(r rune) bool {
		return r == utf8.RuneError || unicode.IsControl(r) || (unicode.Is(unicode.Cf, r) && r != 0x200d)
	}
	if utf8.ValidString(s) && !strings.ContainsFunc(s, unsafe) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unsafe(r) {
			return '_'
		}
		return r
	}, strings.ToValidUTF8(s, "_"))
}

// userName is the user entry name at a clash level, e.g. ccecert-prod.
func userName(t api.Target, profile string, level int) string {
	d := nameData(t, profile, "", level)
	return AppName + "-" + d.Name
}
