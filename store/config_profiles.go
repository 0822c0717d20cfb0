package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"ccecert/api/keysource"
)

// DefaultProfile is the profile of a config without a profiles section
// (env keys, the top-level site), and the one picked when none is named
// and the section holds one of that name.
const DefaultProfile = "default"

// Profile is one account the operator works with (issue 13): where it is,
// how its keys are found, and what of it ccecert lists and writes.
type Profile struct {
	Name       string
	Cloud      CloudConfig    // the site; unset keys inherit the top level's
	Source     keysource.Spec // where its keys come from
	Regions    []string       // empty: the top level's regions
	Kubeconfig string         // empty: the top level's
	Naming     string         // empty: the top level's
}

// fileProfile mirrors one entry of the profiles section.
type fileProfile struct {
	Name       *string     `json:"name"`
	Source     *fileSource `json:"source"`
	Regions    *[]string   `json:"regions"`
	Kubeconfig *string     `json:"kubeconfig"`
	Naming     *string     `json:"naming"`
	fileCloud
}

// fileSource mirrors a profile's source: {type, file, section, command, timeout}.
type fileSource struct {
	Type    *string   `json:"type"`
	File    *string   `json:"file"`
	Section *string   `json:"section"`
	Command *[]string `json:"command"`
	Timeout *scalar   `json:"timeout"`
}

// sourceTypes are the credential sources a profile may name.
var sourceTypes = []string{"env", "sdk-file", "process", "stored"}

// profileName is what a profile may be called: it lands in context names,
// the database and `--profile`.
var profileName = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,62}$`)

// profileKeys is the tree of keys one profile may hold; nil leaves.
func profileKeys() map[string]any {
	keys := cloudKeys()
	for k, v := range map[string]any{
		"name": nil, "regions": nil, "kubeconfig": nil, "naming": nil,
		"source": map[string]any{"type": nil, "file": nil, "section": nil, "command": nil, "timeout": nil},
	} {
		keys[k] = v
	}
	return keys
}

// ProfileList is every profile of the config, in file order; without a
// profiles section, the one default profile (env keys, the top-level
// site, regions, kubeconfig and naming).
func (c Config) ProfileList() []Profile {
	if len(c.Profiles) > 0 {
		return c.Profiles
	}
	return []Profile{c.inherit(Profile{Name: DefaultProfile, Cloud: c.Cloud, Source: keysource.Spec{Type: "env"}})}
}

// ProfileNames are the profiles' names, in file order.
func (c Config) ProfileNames() []string {
	var out []string
	for _, p := range c.ProfileList() {
		out = append(out, p.Name)
	}
	return out
}

// Profile picks the profile named name; "" picks the one named default,
// else the first. An unknown name is an error listing the known ones.
func (c Config) Profile(name string) (Profile, error) {
	all := c.ProfileList()
	name = strings.TrimSpace(name)
	if name == "" {
		if i := slices.IndexFunc(all, func(p Profile) bool { return p.Name == DefaultProfile }); i >= 0 {
			return all[i], nil
		}
		return all[0], nil
	}
	for _, p := range all {
		if p.Name == name {
			return p, nil
		}
	}
	return Profile{}, fmt.Errorf("no profile %q: the config has %s; use one of them with --profile or CCECERT_PROFILE, or add it to the profiles section",
		name, strings.Join(c.ProfileNames(), ", "))
}

// ForProfile is the config as one profile sees it: its site, regions,
// kubeconfig and naming in place of the top level's.
func (c Config) ForProfile(p Profile) Config {
	c.Cloud = p.Cloud
	c.Regions = p.Regions
	c.Kubeconfig = p.Kubeconfig
	c.Naming = p.Naming
	return c
}

// inherit fills a profile's unset fields from the top level.
func (c Config) inherit(p Profile) Profile {
	if len(p.Regions) == 0 {
		p.Regions = c.Regions
	}
	if p.Kubeconfig == "" {
		p.Kubeconfig = c.Kubeconfig
	}
	if p.Naming == "" {
		p.Naming = c.Naming
	}
	return p
}

// mergeProfiles parses the profiles section (raw is its JSON) over the
// top-level settings already merged into c. Every error names the profile.
func (c *Config) mergeProfiles(raw json.RawMessage) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var entries []json.RawMessage
	if err := json.Unmarshal(raw, &entries); err != nil {
		return fmt.Errorf("field profiles: expected a list of profiles (- name: NAME, source: {type: env}); got %s", jsonKind(raw))
	}
	c.Profiles = nil
	seen := map[string]bool{}
	for i, e := range entries {
		p, err := c.parseProfile(e, i)
		if err != nil {
			return err
		}
		if seen[p.Name] {
			return fmt.Errorf("profile %q is defined twice: give each profile its own name", p.Name)
		}
		seen[p.Name] = true
		c.Profiles = append(c.Profiles, p)
	}
	return nil
}

// parseProfile reads entry i of the profiles section.
func (c *Config) parseProfile(raw json.RawMessage, i int) (Profile, error) {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return Profile{}, fmt.Errorf("profiles[%d]: expected a mapping (name: NAME, source: {type: env})", i)
	}
	label := fmt.Sprintf("profiles[%d]", i)
	if n, ok := m["name"].(string); ok && strings.TrimSpace(n) != "" {
		label = fmt.Sprintf("profile %q", strings.TrimSpace(n))
	}
	if bad := unknownNames(m, profileKeys(), ""); len(bad) > 0 {
		return Profile{}, fmt.Errorf("%s: unknown key %s: a profile takes %s", label, strings.Join(bad, ", "), knownList(profileKeys()))
	}
	var fp fileProfile
	if err := json.Unmarshal(raw, &fp); err != nil {
		return Profile{}, fmt.Errorf("%s: %s", label, typeErrorText(err))
	}
	if fp.Name == nil || !profileName.MatchString(strings.TrimSpace(*fp.Name)) {
		return Profile{}, fmt.Errorf("%s: give it a name of lower-case letters, digits, '-', '_' or '.' (name: prod-eu)", label)
	}
	p := Profile{Name: strings.TrimSpace(*fp.Name), Cloud: c.Cloud}
	if err := p.Cloud.merge(fp.fileCloud); err != nil {
		return Profile{}, fmt.Errorf("%s: %w", label, err)
	}
	src, err := parseSource(fp.Source)
	if err != nil {
		return Profile{}, fmt.Errorf("%s: %w", label, err)
	}
	p.Source = src
	if fp.Regions != nil {
		p.Regions = trimmedList(*fp.Regions)
	}
	if fp.Kubeconfig != nil {
		p.Kubeconfig = strings.TrimSpace(*fp.Kubeconfig)
	}
	if fp.Naming != nil {
		if err := ValidateNaming(*fp.Naming); err != nil {
			return Profile{}, fmt.Errorf("%s: field naming: %w", label, err)
		}
		p.Naming = *fp.Naming
	}
	return c.inherit(p), nil
}

// parseSource reads a profile's source; it must be there and name a known type.
func parseSource(fs *fileSource) (keysource.Spec, error) {
	if fs == nil || fs.Type == nil || strings.TrimSpace(*fs.Type) == "" {
		return keysource.Spec{}, fmt.Errorf("no credential source: add source: {type: env} (or %s)", strings.Join(sourceTypes[1:], ", "))
	}
	s := keysource.Spec{Type: strings.TrimSpace(*fs.Type)}
	if !slices.Contains(sourceTypes, s.Type) {
		return keysource.Spec{}, fmt.Errorf("field source.type: %q is not a credential source: use %s", s.Type, strings.Join(sourceTypes, ", "))
	}
	setTrimmed(&s.File, fs.File)
	setTrimmed(&s.Section, fs.Section)
	if fs.Command != nil {
		s.Command = slices.Clone(*fs.Command)
	}
	if s.Type == "process" && (len(s.Command) == 0 || strings.TrimSpace(s.Command[0]) == "") {
		return keysource.Spec{}, fmt.Errorf("source process needs a command: command: [otc-auth, credentials] (argv, no shell)")
	}
	if fs.Timeout != nil {
		d, err := positiveDuration(*fs.Timeout)
		if err != nil {
			return keysource.Spec{}, fmt.Errorf("field source.timeout: %w", err)
		}
		s.Timeout = d
	}
	if s.Timeout > 10*time.Minute {
		return keysource.Spec{}, fmt.Errorf("field source.timeout: %s is too long: use at most 10m", s.Timeout)
	}
	return s, nil
}

// resolveProfileKubeconfigs makes each profile's relative kubeconfig
// relative to the config file's directory, as the top level's is.
func (c *Config) resolveProfileKubeconfigs(dir string) {
	for i, p := range c.Profiles {
		if k := p.Kubeconfig; k != "" && k != "~" && !strings.HasPrefix(k, "~/") && !filepath.IsAbs(k) {
			c.Profiles[i].Kubeconfig = filepath.Join(dir, k)
		}
	}
}

func trimmedList(in []string) []string {
	var out []string
	for _, r := range in {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, r)
		}
	}
	return out
}

// unknownNames are m's keys (dotted, nested) missing from known, sorted.
func unknownNames(m, known map[string]any, prefix string) []string {
	var out []string
	for k, v := range m {
		sub, ok := known[k]
		if !ok {
			out = append(out, fmt.Sprintf("%q", prefix+k))
			continue
		}
		if subKnown, nested := sub.(map[string]any); nested {
			if vm, isMap := v.(map[string]any); isMap {
				out = append(out, unknownNames(vm, subKnown, prefix+k+".")...)
			}
		}
	}
	sort.Strings(out)
	return out
}

// knownList names the top-level keys of known, sorted.
func knownList(known map[string]any) string {
	var out []string
	for k := range known {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// jsonKind names what a JSON value is, for errors.
func jsonKind(raw json.RawMessage) string {
	switch s := strings.TrimSpace(string(raw)); {
	case strings.HasPrefix(s, "{"):
		return "a mapping"
	case strings.HasPrefix(s, "\""):
		return "a string"
	default:
		return "a scalar"
	}
}

// typeErrorText words a json decoding error by its field.
func typeErrorText(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("field %s: expected %s, got %s", te.Field, te.Type, te.Value)
	}
	return err.Error()
}
