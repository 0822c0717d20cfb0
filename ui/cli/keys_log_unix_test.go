//go:build unix

package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ccecert/api/emulator"
)

// TestCLIProcessSourceRunsAreLogged: a profile whose keys come from a
// credential process lists through them, and each run of the process is
// one "keys" event in `ccecert log`, under the profile, naming the source
// and the keys' expiry, never the keys.
func TestCLIProcessSourceRunsAreLogged(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	sk := c.vars["CLOUD_SDK_SK"]
	script := filepath.Join(c.home, "keys.sh")
	expires := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Second)
	body := fmt.Sprintf("#!/bin/sh\nprintf '{\"Version\":1,\"AccessKeyId\":\"%s\",\"SecretAccessKey\":\"%s\",\"Expiration\":\"%s\"}'\n",
		c.vars["CLOUD_SDK_AK"], sk, expires.Format(time.RFC3339))
	if err := os.WriteFile(script, []byte(body), 0o700); err != nil {
		t.Fatal(err)
	}
	delete(c.vars, "CLOUD_SDK_AK")
	delete(c.vars, "CLOUD_SDK_SK")
	cfg := c.writeConfig(fmt.Sprintf("profiles:\n  - name: proc\n    source: {type: process, command: [%q]}\n", script))
	c.ok("--config", cfg, "list", "--refresh", "-o", "json")
	runs := c.keysEvents(cfg, sk)
	want := "ok: keys until " + expires.Format(time.RFC3339)
	if len(runs) != 1 || !strings.HasPrefix(runs[0], "proc process") || !strings.HasSuffix(runs[0], want) {
		t.Fatalf("keys events %q, want one of profile proc, the process source, %q", runs, want)
	}
}
