package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"k8s.io/client-go/util/jsonpath"
	"sigs.k8s.io/yaml"
)

// The -o formats list, status and get share, as kubectl has them. A
// command adds its own (get: text; status: prometheus).
const (
	formatTable    = "table"
	formatWide     = "wide"
	formatJSON     = "json"
	formatYAML     = "yaml"
	formatName     = "name"
	formatJSONPath = "jsonpath"
)

// kubectlFormats are the -o values every listing command takes; jsonpath
// is given as jsonpath=TEMPLATE.
var kubectlFormats = []string{formatTable, formatWide, formatJSON, formatYAML, formatName, formatJSONPath}

// outputFlags are -o and --no-headers.
type outputFlags struct {
	output    string
	noHeaders bool
	formats   []string // what -o takes here, in the order help shows them
}

// register adds -o (default def) and --no-headers to cmd, with completion
// of the format names.
func (o *outputFlags) register(cmd *cobra.Command, def string, formats ...string) {
	o.formats = formats
	shown := make([]string, len(formats))
	for i, f := range formats {
		shown[i] = f
		if f == formatJSONPath {
			shown[i] = "jsonpath=TEMPLATE"
		}
	}
	cmd.Flags().StringVarP(&o.output, "output", "o", def, "output format: "+strings.Join(shown, ", "))
	cmd.Flags().BoolVar(&o.noHeaders, "no-headers", false, "tables without their header line")
	_ = cmd.RegisterFlagCompletionFunc("output", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		out := slices.Clone(shown)
		for i, f := range out {
			if f == "jsonpath=TEMPLATE" {
				out[i] = "jsonpath="
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	})
}

// outputFormat is a parsed -o: its name, and for jsonpath the template.
type outputFormat struct {
	name      string
	path      *jsonpath.JSONPath
	noHeaders bool
}

// parse reads -o; an unknown format or a template that does not parse is
// an error of one line.
func (o outputFlags) parse() (outputFormat, error) {
	f := outputFormat{name: o.output, noHeaders: o.noHeaders}
	if tmpl, ok := strings.CutPrefix(o.output, formatJSONPath+"="); ok && slices.Contains(o.formats, formatJSONPath) {
		f.name = formatJSONPath
		if strings.TrimSpace(tmpl) == "" {
			return f, fmt.Errorf("-o jsonpath= needs a template, e.g. -o jsonpath='{.name}'")
		}
		f.path = jsonpath.New("output").AllowMissingKeys(true)
		if err := f.path.Parse(tmpl); err != nil {
			return f, fmt.Errorf("-o jsonpath: %s in %q (see https://kubernetes.io/docs/reference/kubectl/jsonpath/)", oneLine(err.Error()), tmpl)
		}
		return f, nil
	}
	if o.output == formatJSONPath || !slices.Contains(o.formats, o.output) {
		shown := slices.Clone(o.formats)
		if i := slices.Index(shown, formatJSONPath); i >= 0 {
			shown[i] = "jsonpath=TEMPLATE"
		}
		return f, fmt.Errorf("-o %q: use one of %s", o.output, strings.Join(shown, ", "))
	}
	return f, nil
}

// oneLine joins a multi-line message into one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// writeData writes v, what -o json prints, as json, yaml or the jsonpath
// template; done is false for the other formats.
func (f outputFormat) writeData(w io.Writer, v any) (done bool, err error) {
	switch f.name {
	case formatJSON:
		return true, writeJSON(w, v)
	case formatYAML:
		data, err := yaml.Marshal(v)
		if err != nil {
			return true, fmt.Errorf("-o yaml: %w", err)
		}
		_, err = w.Write(data)
		return true, err
	case formatJSONPath:
		return true, f.execJSONPath(w, v)
	}
	return false, nil
}

// execJSONPath runs the template on v as JSON sees it (field names as
// -o json prints them). Like kubectl, it adds no newline.
func (f outputFormat) execJSONPath(w io.Writer, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var generic any
	if err := json.Unmarshal(data, &generic); err != nil {
		return err
	}
	var b strings.Builder
	if err := f.path.Execute(&b, inertValues(generic)); err != nil {
		return fmt.Errorf("-o jsonpath: %s", oneLine(err.Error()))
	}
	_, err = io.WriteString(w, b.String())
	return err
}

// inertValues makes every string in a decoded JSON value inert, so the
// template's own tabs and newlines are all that reach the terminal.
func inertValues(v any) any {
	switch x := v.(type) {
	case string:
		return inert(x)
	case []any:
		for i := range x {
			x[i] = inertValues(x[i])
		}
	case map[string]any:
		for k := range x {
			x[k] = inertValues(x[k])
		}
	}
	return v
}

// column is one table column; wide ones show only with -o wide.
type column struct {
	header string
	wide   bool
}

// writeTable writes rows under cols as -o table or -o wide asked, with
// the header line unless --no-headers. Each row has a cell per column.
func (f outputFormat) writeTable(w io.Writer, cols []column, rows [][]string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	line := func(cells []string) {
		var shown []string
		for i, c := range cols {
			if !c.wide || f.name == formatWide {
				shown = append(shown, cells[i])
			}
		}
		fmt.Fprintln(tw, strings.Join(shown, "\t"))
	}
	if !f.noHeaders {
		headers := make([]string, len(cols))
		for i, c := range cols {
			headers[i] = c.header
		}
		line(headers)
	}
	for _, r := range rows {
		line(r)
	}
	return tw.Flush()
}

// writeNames writes one name a line, for -o name.
func writeNames(w io.Writer, names []string) error {
	var b strings.Builder
	for _, n := range names {
		b.WriteString(inert(n))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}
