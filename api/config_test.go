package api

import (
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestConfigFromEnvMissingKeys(t *testing.T) {
	cases := []struct {
		name    string
		env     map[string]string
		missing []string
	}{
		{"none", map[string]string{}, []string{EnvAK, EnvSK}},
		{"no SK", map[string]string{EnvAK: "AKID"}, []string{EnvSK}},
		{"no AK", map[string]string{EnvSK: "secret-key-value"}, []string{EnvAK}},
		{"blank", map[string]string{EnvAK: "  ", EnvSK: " "}, []string{EnvAK, EnvSK}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ConfigFromEnv(envOf(tc.env))
			if err == nil {
				t.Fatal("want an error for missing credentials")
			}
			msg := err.Error()
			for _, v := range tc.missing {
				if !strings.Contains(msg, v+" not set") && !strings.Contains(msg, v+" and") {
					t.Errorf("error %q does not name %s as missing", msg, v)
				}
			}
			if !strings.Contains(msg, "export "+EnvAK+" and "+EnvSK) {
				t.Errorf("error %q does not say what to set", msg)
			}
			if strings.Contains(msg, "secret-key-value") {
				t.Errorf("error leaks the SK: %q", msg)
			}
		})
	}
}

func TestConfigFromEnvReadsEverything(t *testing.T) {
	cfg, err := ConfigFromEnv(envOf(map[string]string{
		EnvAK: "AKID", EnvSK: "sk", EnvSecurityToken: "tok",
		EnvEndpoint: "https://127.0.0.1:8443", EnvCAFile: "/tmp/ca.pem",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.AK != "AKID" || string(cfg.SK.Reveal()) != "sk" || string(cfg.SecurityToken.Reveal()) != "tok" ||
		cfg.Endpoint != "https://127.0.0.1:8443" || cfg.CAFile != "/tmp/ca.pem" {
		t.Fatalf("ConfigFromEnv read %+v", cfg)
	}
}

func TestEndpointValidation(t *testing.T) {
	cases := []struct {
		endpoint string
		ok       bool
	}{
		{"", true},
		{"https://cce.example.com", true},
		{"https://127.0.0.1:8443/", true},
		{"http://127.0.0.1:8080", true},
		{"http://localhost:8080", true},
		{"http://[::1]:8080", true},
		{"http://10.0.0.5:8080", false},
		{"http://cce.example.com", false},
		{"ftp://127.0.0.1", false},
		{"127.0.0.1:8443", false},
		{"https://user:pw@example.com", false},
		{"https://example.com/?x=1", false},
		{"://bad", false},
	}
	for _, tc := range cases {
		err := checkEndpoint(tc.endpoint)
		if (err == nil) != tc.ok {
			t.Errorf("checkEndpoint(%q) = %v, want ok=%v", tc.endpoint, err, tc.ok)
		}
		if err != nil && !strings.Contains(err.Error(), EnvEndpoint) {
			t.Errorf("checkEndpoint(%q) error %q does not name %s", tc.endpoint, err, EnvEndpoint)
		}
	}
}

func TestNewRefusesEmptyCredentials(t *testing.T) {
	// With empty AK/SK the SDK would ask the metadata service: New must
	// refuse before any SDK client exists.
	if _, err := New(Config{}); err == nil || !strings.Contains(err.Error(), EnvAK) {
		t.Fatalf("New(Config{}) = %v, want a missing-key error", err)
	}
	if _, err := New(Config{AK: "AK"}); err == nil {
		t.Fatal("New without SK succeeded")
	}
}

func TestNewDefaults(t *testing.T) {
	c, err := New(Config{AK: "AK", SK: Secret("SK")})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	cfg := c.Config()
	if cfg.Concurrency != DefaultConcurrency || cfg.Timeout != DefaultTimeout || cfg.UserAgent != DefaultUserAgent ||
		cfg.Retry.MaxAttempts != DefaultMaxAttempts || cfg.Now == nil || cfg.Retry.Sleep == nil {
		t.Fatalf("defaults not applied: %+v", cfg)
	}
}

func TestNewCAFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := New(Config{AK: "AK", SK: Secret("SK"), CAFile: dir + "/missing.pem"}); err == nil ||
		!strings.Contains(err.Error(), EnvCAFile) {
		t.Fatalf("missing CA file: %v", err)
	}
	bad := dir + "/bad.pem"
	writeFile(t, bad, "not a certificate")
	if _, err := New(Config{AK: "AK", SK: Secret("SK"), CAFile: bad}); err == nil ||
		!strings.Contains(err.Error(), "no PEM certificate") {
		t.Fatalf("bad CA file: %v", err)
	}
}

func TestConfigDoesNotPrintSecrets(t *testing.T) {
	cfg := Config{AK: "AK", SK: Secret("super-secret-sk"), SecurityToken: Secret("sts-token-x"), Timeout: time.Second}
	for _, s := range []string{sprintf("%v", cfg), sprintf("%+v", cfg), sprintf("%#v", cfg)} {
		if strings.Contains(s, "super-secret-sk") || strings.Contains(s, "sts-token-x") {
			t.Fatalf("config formatting leaks a secret: %s", s)
		}
	}
}
