package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"time"

	"sigs.k8s.io/yaml"

	"ccecert/api"
	"ccecert/assets"
)

// DefaultNaming is the default context name template.
const DefaultNaming = "{{.Name}}-{{.Context}}"

// Config is ccecert's configuration, loaded once at start and passed down.
// Its defaults are assets/default-config.yaml.
type Config struct {
	Regions        []string      // regions to list; empty = all
	Concurrency    int           // regions/projects listed at once
	Timeouts       Timeouts      // per request and per region
	Thresholds     Thresholds    // when a certificate turns warning/critical
	Kubeconfig     string        // file to write; empty = $KUBECONFIG's first or ~/.kube/config
	Naming         string        // context name template
	Mode           Mode          // inline or exec
	Duration       api.Validity  // default validity of a new certificate
	Keyring        bool          // keep the age identity in the OS keyring
	InventoryStale time.Duration // cached inventory is stale after this
	ExecAutoRenew  bool          // `ccecert credential` renews before printing
	Cloud          CloudConfig   // the site and its endpoints
	// Profiles are the profiles section's, in file order; nil without
	// one (ProfileList then gives the default profile).
	Profiles []Profile
}

// Timeouts bound the calls to the cloud.
type Timeouts struct {
	Request time.Duration
	Region  time.Duration
}

// fileConfig mirrors the YAML file; nil means "not set".
type fileConfig struct {
	Regions        *[]string       `json:"regions"`
	Concurrency    *int            `json:"concurrency"`
	Timeouts       *fileTimeouts   `json:"timeouts"`
	Thresholds     *fileThresholds `json:"thresholds"`
	Kubeconfig     *string         `json:"kubeconfig"`
	Naming         *string         `json:"naming"`
	Mode           *string         `json:"mode"`
	Duration       *scalar         `json:"duration"`
	Keyring        *bool           `json:"keyring"`
	InventoryStale *scalar         `json:"inventory_stale"`
	ExecAutoRenew  *bool           `json:"exec_auto_renew"`
	Profiles       json.RawMessage `json:"profiles"`
	fileCloud
}

type fileTimeouts struct {
	Request *scalar `json:"request"`
	Region  *scalar `json:"region"`
}

type fileThresholds struct {
	Warning  *fileThreshold `json:"warning"`
	Critical *fileThreshold `json:"critical"`
}

type fileThreshold struct {
	Within          *scalar `json:"within"`
	LifetimeDivisor *int    `json:"lifetime_divisor"`
}

// scalar is a YAML value written as a string or a bare number (30d or 30).
type scalar string

// UnmarshalJSON accepts a JSON string or number.
func (s *scalar) UnmarshalJSON(b []byte) error {
	var str string
	if err := json.Unmarshal(b, &str); err == nil {
		*s = scalar(str)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return errors.New("expected a string or a number")
	}
	*s = scalar(n.String())
	return nil
}

// DefaultConfig is the embedded default configuration.
func DefaultConfig() (Config, error) {
	var c Config
	if _, err := c.apply(assets.DefaultConfig, "embedded default config"); err != nil {
		return Config{}, err
	}
	return c, nil
}

// LoadConfig reads the defaults, then the file at path over them. A missing
// file is not an error: it is for the default path, which need not exist
// (a file the operator named is LoadNamedConfig's). Unknown keys come back
// as warnings; a bad value is an error naming the file and the field. A
// relative `kubeconfig:` is taken relative to the config file's directory.
func LoadConfig(path string) (Config, []string, error) {
	return loadConfig(path, false)
}

// LoadNamedConfig is LoadConfig for a file the operator named (--config):
// a missing one is an error, never a silent fallback to the defaults.
func LoadNamedConfig(path string) (Config, []string, error) {
	return loadConfig(path, true)
}

func loadConfig(path string, named bool) (Config, []string, error) {
	c, err := DefaultConfig()
	if err != nil {
		return Config{}, nil, err
	}
	data, err := ReadLocalFile(path, MaxConfigSize)
	if errIsNotExist(err) && !named {
		return c, nil, nil
	}
	if errIsNotExist(err) {
		return Config{}, nil, fmt.Errorf("config file %s does not exist: check the --config path, or leave --config out to use the default ($XDG_CONFIG_HOME/ccecert/config.yaml)", path)
	}
	if err != nil {
		return Config{}, nil, fmt.Errorf("config: %w", err)
	}
	warnings, err := c.apply(data, path)
	if err != nil {
		return Config{}, warnings, err
	}
	if k := c.Kubeconfig; k != "" && k != "~" && !strings.HasPrefix(k, "~/") && !filepath.IsAbs(k) {
		abs, err := AbsPath(path)
		if err != nil {
			return Config{}, warnings, err
		}
		c.Kubeconfig = filepath.Join(filepath.Dir(abs), k)
	}
	if abs, err := AbsPath(path); err == nil {
		c.resolveProfileKubeconfigs(filepath.Dir(abs))
	}
	return c, warnings, nil
}

// apply parses one YAML document onto c.
func (c *Config) apply(data []byte, name string) ([]string, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	js, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil, fmt.Errorf("config %s is not valid YAML: %w; fix the syntax", name, err)
	}
	var raw any
	if err := json.Unmarshal(js, &raw); err != nil {
		return nil, fmt.Errorf("config %s: %w", name, err)
	}
	if raw == nil {
		return nil, nil
	}
	top, ok := raw.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("config %s: the file must be a mapping of keys (like \"mode: inline\")", name)
	}
	warnings := unknownKeys(top, knownConfigKeys(), "", name)
	var fc fileConfig
	if err := json.Unmarshal(js, &fc); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return warnings, fmt.Errorf("config %s: field %s: expected %s, got %s", name, te.Field, te.Type, te.Value)
		}
		return warnings, fmt.Errorf("config %s: %w", name, err)
	}
	if err := c.merge(fc); err != nil {
		return warnings, fmt.Errorf("config %s: %w", name, err)
	}
	if err := c.mergeProfiles(fc.Profiles); err != nil {
		return warnings, fmt.Errorf("config %s: %w", name, err)
	}
	return warnings, nil
}

// knownConfigKeys is the tree of keys the file may hold; nil leaves.
func knownConfigKeys() map[string]any {
	threshold := map[string]any{"within": nil, "lifetime_divisor": nil}
	keys := cloudKeys()
	for k, v := range map[string]any{
		"regions": nil, "concurrency": nil, "kubeconfig": nil, "naming": nil,
		"mode": nil, "duration": nil, "keyring": nil, "inventory_stale": nil,
		"exec_auto_renew": nil, "profiles": nil,
		"timeouts":   map[string]any{"request": nil, "region": nil},
		"thresholds": map[string]any{"warning": threshold, "critical": threshold},
	} {
		keys[k] = v
	}
	return keys
}

// unknownKeys lists the keys of m not in known, as warnings, sorted.
func unknownKeys(m map[string]any, known map[string]any, prefix, name string) []string {
	var out []string
	for _, k := range unknownNames(m, known, prefix) {
		out = append(out, fmt.Sprintf("config %s: unknown key %s ignored", name, k))
	}
	return out
}

// ParseDuration reads a config duration: Go's forms (90s, 10m, 1h30m) plus
// whole days and weeks (30d, 2w).
func ParseDuration(s string) (time.Duration, error) {
	in := strings.TrimSpace(s)
	if n := len(in); n > 1 && (in[n-1] == 'd' || in[n-1] == 'w') {
		var v int64
		unit := Day
		if in[n-1] == 'w' {
			unit = 7 * Day
		}
		// 100000 weeks would overflow time.Duration: bound by the unit.
		if _, err := fmt.Sscanf(in[:n-1], "%d", &v); err == nil && fmt.Sprint(v) == in[:n-1] && v >= 0 && v < 100000 && v <= int64(math.MaxInt64/unit) {
			return time.Duration(v) * unit, nil
		}
	}
	d, err := time.ParseDuration(in)
	if err != nil {
		return 0, fmt.Errorf("invalid duration %q: use a number with s, m, h, d or w (e.g. 30s, 10m, 7d)", s)
	}
	return d, nil
}
