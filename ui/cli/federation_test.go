package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ccecert/api/emulator"
)

// TestCLISDKFileFederation: a profile whose SDK credentials file names
// idp_id and id_token_file works end to end: `ccecert profiles` says its
// credentials work, a listing goes through the exchanged keys, and the
// exchange is one "keys" event in the log, never holding the token.
func TestCLISDKFileFederation(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	tok := c.srv.MintIDToken("corp-idp", time.Hour)
	tokFile := filepath.Join(c.home, "id_token")
	creds := filepath.Join(c.home, "credentials")
	for path, data := range map[string]string{tokFile: tok, creds: "[basic]\nidp_id = corp-idp\nid_token_file = " + tokFile + "\n"} {
		if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	delete(c.vars, "CLOUD_SDK_AK")
	delete(c.vars, "CLOUD_SDK_SK")
	cfg := c.writeConfig("profiles:\n  - name: sso\n    source: {type: sdk-file, file: " + creds + "}\n")
	r := c.ok("--config", cfg, "profiles", "-o", "json")
	if !strings.Contains(r.stdout, `"sso"`) || strings.Contains(r.stdout, tok) {
		t.Fatalf("profiles: %s", r.stdout)
	}
	var profiles []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &profiles); err != nil || len(profiles) != 1 {
		t.Fatalf("profiles -o json: %v\n%s", err, r.stdout)
	}
	if s, _ := json.Marshal(profiles[0]); !strings.Contains(string(s), "OIDC corp-idp") || strings.Contains(strings.ToLower(string(s)), `"error"`) {
		t.Fatalf("profile sso: %s", s)
	}
	c.ok("--config", cfg, "list", "--refresh", "-o", "json")
	runs := c.keysEvents(cfg, tok)
	if len(runs) < 1 || !strings.HasPrefix(runs[0], "sso sdk-file "+creds+" (OIDC corp-idp) ok: keys until ") {
		t.Fatalf("keys events %q, want the exchange under profile sso", runs)
	}

	// A stale token: one line naming the profile and the fix; files as they were.
	if err := os.WriteFile(tokFile, []byte(c.srv.MintIDToken("other-idp", time.Hour)), 0o600); err != nil {
		t.Fatal(err)
	}
	r = c.run("--config", cfg, "--profile", "sso", "list", "--refresh")
	if r.code == 0 || !strings.Contains(r.stderr, `profile "sso"`) || !strings.Contains(r.stderr, "id_token_file") {
		t.Fatalf("stale token: exit %d, stderr %q", r.code, r.stderr)
	}
}

// keysEvents are the "keys" events of `ccecert log` as "PROFILE SOURCE
// RESULT", after checking that the log holds no secret.
func (c *cli) keysEvents(cfg string, secret string) []string {
	c.t.Helper()
	r := c.ok("--config", cfg, "log", "-o", "json")
	if strings.Contains(r.stdout, secret) {
		c.t.Fatal("the log holds a secret")
	}
	var events []struct{ Action, Target, Result, Profile string }
	if err := json.Unmarshal([]byte(r.stdout), &events); err != nil {
		c.t.Fatalf("log -o json: %v\n%s", err, r.stdout)
	}
	var runs []string
	for _, e := range events {
		if e.Action == "keys" {
			runs = append(runs, e.Profile+" "+e.Target+" "+e.Result)
		}
	}
	return runs
}
