package store

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"text/template"

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
}

// ValidateNaming checks a context name template: it parses, renders a
// non-empty single-line name, and uses .Context (so a target's internal and
// external contexts differ).
func ValidateNaming(tmpl string) error {
	t, err := parseNaming(tmpl)
	if err != nil {
		return err
	}
	d := NameData{Name: "prod", Region: "cn-north-4", Kind: "cce", ID: "0c0e9a5d", ProjectID: "p1"}
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
		return "", fmt.Errorf("naming template: %w (use .Name, .Context, .Region, .Kind, .ID, .ProjectID)", err)
	}
	s := strings.TrimSpace(b.String())
	if s == "" || strings.ContainsAny(s, "\n\r") {
		return "", errors.New("naming template renders an empty or multi-line name")
	}
	return s, nil
}

// nameData builds the template data for a target and role at a clash level:
// 0 plain, 1 the region added to the name, 2 the region and a short id.
func nameData(t api.Target, role api.ContextRole, level int) NameData {
	d := NameData{Name: t.Name, Region: t.Region, Context: string(role), Kind: string(t.Kind), ID: t.ID, ProjectID: t.ProjectID}
	if d.Name == "" {
		d.Name = shortID(t.ID, 8)
	}
	if level >= 1 && t.Region != "" {
		d.Name += "-" + t.Region
	}
	if level >= 2 {
		d.Name += "-" + shortID(strings.TrimPrefix(t.ID, "unmatched:"), 8)
	}
	return d
}

// userName is the user entry name at a clash level, e.g. ccecert-prod.
func userName(t api.Target, level int) string {
	d := nameData(t, "", level)
	return AppName + "-" + d.Name
}
