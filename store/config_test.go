package store

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"ccecert/api"
	"ccecert/assets"
)

func TestDefaultConfig(t *testing.T) {
	c, err := DefaultConfig()
	if err != nil {
		t.Fatal(err)
	}
	want := Config{
		Concurrency:    64,
		Timeouts:       Timeouts{Request: 30 * time.Second, Region: 20 * time.Second},
		Thresholds:     DefaultThresholds(),
		Naming:         DefaultNaming,
		Mode:           ModeInline,
		Duration:       api.Days(30),
		Keyring:        true,
		InventoryStale: 10 * time.Minute,
		Cloud:          CloudConfig{Site: api.SiteHuaweiCloud, Endpoints: map[api.Service]string{}},
	}
	if !reflect.DeepEqual(c, want) {
		t.Fatalf("default config\n got %+v\nwant %+v", c, want)
	}
	// Every key of the embedded file is known and documented.
	var warnings []string
	var scratch Config
	if warnings, err = scratch.apply(assets.DefaultConfig, "default"); err != nil || len(warnings) > 0 {
		t.Fatalf("embedded default: %v %v", warnings, err)
	}
	for key := range knownConfigKeys() {
		i := strings.Index(string(assets.DefaultConfig), "\n"+key+":")
		if i < 0 {
			t.Fatalf("key %q missing from default-config.yaml", key)
		}
		before := strings.TrimRight(string(assets.DefaultConfig[:i]), "\n ")
		if !strings.HasPrefix(before[strings.LastIndex(before, "\n")+1:], "#") && key != "timeouts" && key != "thresholds" {
			t.Errorf("key %q has no comment above it", key)
		}
	}
}

func TestLoadConfigMissingFile(t *testing.T) {
	c, warnings, err := LoadConfig(filepath.Join(t.TempDir(), "nope.yaml"))
	if err != nil || len(warnings) != 0 || c.Concurrency != 64 {
		t.Fatalf("missing file: %+v %v %v", c, warnings, err)
	}
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadConfigOverridesAndWarnings(t *testing.T) {
	p := writeConfig(t, `
regions: [cn-north-4, " ", ap-southeast-1]
concurrency: 8
timeouts:
  request: 5s
  reqest: 9s
thresholds:
  warning: {within: 45d, lifetime_divisor: 0}
  critical: {within: 2d}
naming: "{{.Region}}/{{.Name}}/{{.Context}}"
mode: exec
duration: max
keyring: false
inventory_stale: 1h
exec_auto_renew: true
colour: blue
`)
	c, warnings, err := LoadConfig(p)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"cn-north-4", "ap-southeast-1"}; !reflect.DeepEqual(c.Regions, want) {
		t.Errorf("regions %v", c.Regions)
	}
	if c.Concurrency != 8 || c.Timeouts.Request != 5*time.Second || c.Timeouts.Region != 20*time.Second {
		t.Errorf("concurrency/timeouts %+v", c)
	}
	if c.Thresholds.Warning != (Threshold{45 * Day, 0}) || c.Thresholds.Critical != (Threshold{2 * Day, 10}) {
		t.Errorf("thresholds %+v", c.Thresholds)
	}
	if c.Mode != ModeExec || c.Duration.Days != api.MaxDuration || c.Keyring || !c.ExecAutoRenew || c.InventoryStale != time.Hour {
		t.Errorf("other fields %+v", c)
	}
	if len(warnings) != 2 || !strings.Contains(warnings[0], `"colour"`) || !strings.Contains(warnings[1], `"timeouts.reqest"`) || !strings.Contains(warnings[0], p) {
		t.Errorf("warnings %q", warnings)
	}
}

func TestLoadConfigErrorsNameFileAndField(t *testing.T) {
	cases := map[string]string{
		"concurrency: 0":                                "concurrency",
		"concurrency: many":                             "concurrency",
		"timeouts: {request: soon}":                     "timeouts.request",
		"timeouts: {region: -5s}":                       "timeouts.region",
		"thresholds: {critical: {within: 40d}}":         "thresholds.critical.within",
		"thresholds: {warning: {lifetime_divisor: -1}}": "thresholds.warning.lifetime_divisor",
		"mode: sideways":                                "mode",
		"duration: 3000d":                               "duration",
		"duration: 1y":                                  "duration",
		"naming: '{{.Name}}'":                           "naming",
		"naming: '{{.Nme}}-{{.Context}}'":               "naming",
		"naming: '{{'":                                  "naming",
		"inventory_stale: 0s":                           "inventory_stale",
		"keyring: maybe":                                "keyring",
		"regions: cn-north-4":                           "regions",
		"- just a list":                                 "mapping",
		"concurrency: [1":                               "YAML",
	}
	for body, field := range cases {
		p := writeConfig(t, body)
		_, _, err := LoadConfig(p)
		if err == nil {
			t.Errorf("%q: no error", body)
			continue
		}
		if !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), field) {
			t.Errorf("%q: error %q does not name the file and %q", body, err, field)
		}
	}
}

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"30d": 30 * Day, "2w": 14 * Day, "90s": 90 * time.Second, "1h30m": 90 * time.Minute, "0d": 0} {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("%q: %v %v", in, got, err)
		}
	}
	for _, in := range []string{"", "d", "1.5d", "-1d", "abc", "+3d"} {
		if _, err := ParseDuration(in); err == nil {
			t.Errorf("%q accepted", in)
		}
	}
}

func TestKubeconfigPathFromConfig(t *testing.T) {
	env := map[string]string{"HOME": "/home/op", "KUBECONFIG": "/a/one:/b/two"}
	getenv := func(k string) string { return env[k] }
	if got := (Config{}).KubeconfigPath(getenv); got != "/a/one" {
		t.Errorf("default: %q", got)
	}
	if got := (Config{Kubeconfig: "~/.kube/ccecert"}).KubeconfigPath(getenv); got != "/home/op/.kube/ccecert" {
		t.Errorf("tilde: %q", got)
	}
}

func TestLoadConfigCloudKeys(t *testing.T) {
	dir := t.TempDir()
	load := func(doc string) (Config, error) {
		t.Helper()
		path := filepath.Join(dir, "config.yaml")
		if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		c, _, err := LoadConfig(path)
		return c, err
	}
	c, err := load("site: custom\nendpoint_template: https://{service}.{region}.{domain}\ndomain: example.net\niam_region: r1\nendpoints: {UCS: https://ucs.example.net}\n")
	want := CloudConfig{Site: api.SiteCustom, IAMRegion: "r1", EndpointTemplate: "https://{service}.{region}.{domain}",
		Domain: "example.net", Endpoints: map[api.Service]string{api.ServiceUCS: "https://ucs.example.net"}}
	if err != nil || !reflect.DeepEqual(c.Cloud, want) {
		t.Fatalf("cloud keys: %+v, %v; want %+v", c.Cloud, err, want)
	}
	for doc, wantErr := range map[string]string{
		"site: aws\n":                         "field site",
		"site: custom\n":                      "custom needs endpoint_template",
		"endpoints: {dns: https://x}\n":       `"dns" is not a service`,
		"endpoints: {cce: cce.example.net}\n": "is not a URL",
	} {
		if _, err := load(doc); err == nil || !strings.Contains(err.Error(), wantErr) {
			t.Errorf("%q: %v; want an error with %q", doc, err, wantErr)
		}
	}
}
