package keysource

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"ccecert/api"
)

// Bounds on one run of a credential process.
const (
	DefaultProcessTimeout = 30 * time.Second
	maxProcessStdout      = 64 << 10
	maxProcessStderr      = 8 << 10
)

// processSource runs an external command that prints keys as JSON, the
// form of AWS's credential_process:
//
//	{"Version": 1, "AccessKeyId": "…", "SecretAccessKey": "…",
//	 "SessionToken": "…", "Expiration": "2026-12-03T10:00:00Z"}
//
// Version must be 1; AccessKeyId and SecretAccessKey are required;
// SessionToken (the security token) and Expiration (RFC 3339) are optional:
// without Expiration the keys are kept for the whole run. Other fields are
// ignored. The command runs without a shell, with ccecert's environment
// minus the secrets in it (secretEnv), bounded by a timeout (its whole
// process group is killed then). Its stdout is bounded; its stderr is never
// shown (a helper's trace could hold the keys), only its size.
type processSource struct {
	profile string
	argv    []string
	timeout time.Duration
	environ []string
}

// processOutput is the JSON a credential process prints.
type processOutput struct {
	Version         int    `json:"Version"`
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	SessionToken    string `json:"SessionToken"`
	Expiration      string `json:"Expiration"`
}

// processFormat is the JSON a process must print, for messages.
const processFormat = `{"Version":1,"AccessKeyId":…,"SecretAccessKey":…,"SessionToken":…,"Expiration":"RFC 3339"}`

// name is the command as messages show it: its program's base name
// (arguments may name vault paths; they stay out of messages).
func (p *processSource) name() string { return filepath.Base(p.argv[0]) }

func (p *processSource) Describe() string { return "process " + p.name() }

// fail is an error naming the profile, the command and the fix.
func (p *processSource) fail(format string, args ...any) error {
	return fmt.Errorf("profile %q: credential process %s %s", p.profile, p.name(), fmt.Sprintf(format, args...))
}

// fetch runs the command once and reads its keys.
func (p *processSource) fetch(ctx context.Context) (api.Keys, error) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, p.argv[0], p.argv[1:]...)
	cmd.Env = p.environ
	var stdout, stderr limitedBuffer
	stdout.max, stderr.max = maxProcessStdout, maxProcessStderr
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	killGroup(cmd)
	cmd.WaitDelay = time.Second // a grandchild holding the pipes open
	err := cmd.Run()
	switch {
	case ctx.Err() != nil && errors.Is(ctx.Err(), context.DeadlineExceeded):
		return api.Keys{}, p.fail("did not finish within %s (killed): fix the command, or raise the profile's timeout", p.timeout)
	case errors.Is(err, exec.ErrNotFound):
		return api.Keys{}, p.fail("cannot be run: not found: install it or fix the profile's command")
	case err != nil:
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return api.Keys{}, p.fail("failed (%s; its stderr, %d bytes, is not shown: it may hold a secret): run the command yourself to see why", ee.ProcessState, stderr.n)
		}
		return api.Keys{}, p.fail("cannot be run (%v): fix the profile's command", err)
	case stdout.over:
		return api.Keys{}, p.fail("printed more than %d KiB: it must print only %s", maxProcessStdout>>10, processFormat)
	}
	return p.parse(stdout.Bytes())
}

// parse reads the process JSON. Its errors never quote the output.
func (p *processSource) parse(out []byte) (api.Keys, error) {
	var o processOutput
	if err := json.Unmarshal(bytes.TrimSpace(out), &o); err != nil {
		return api.Keys{}, p.fail("printed no credential JSON: it must print %s", processFormat)
	}
	if o.Version != 1 {
		return api.Keys{}, p.fail("printed Version %d: only Version 1 is known (%s)", o.Version, processFormat)
	}
	var missing []string
	if strings.TrimSpace(o.AccessKeyID) == "" {
		missing = append(missing, "AccessKeyId")
	}
	if strings.TrimSpace(o.SecretAccessKey) == "" {
		missing = append(missing, "SecretAccessKey")
	}
	if len(missing) > 0 {
		return api.Keys{}, p.fail("printed no %s: it must print %s", strings.Join(missing, " and "), processFormat)
	}
	k := api.Keys{AK: strings.TrimSpace(o.AccessKeyID), SK: api.Secret(strings.TrimSpace(o.SecretAccessKey)),
		SecurityToken: api.Secret(strings.TrimSpace(o.SessionToken))}
	if o.Expiration != "" {
		t, err := time.Parse(time.RFC3339, o.Expiration)
		if err != nil {
			return api.Keys{}, p.fail("printed an Expiration that is not RFC 3339 (2026-12-03T10:00:00Z): fix the command")
		}
		k.Expires = t
	}
	return k, nil
}

// childEnviron is environ without the secret variables (secretEnv).
func childEnviron(environ []string) []string {
	out := make([]string, 0, len(environ))
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(secretEnv, name) {
			out = append(out, kv)
		}
	}
	return out
}

// limitedBuffer keeps the first max bytes written and counts the rest.
type limitedBuffer struct {
	bytes.Buffer
	max  int
	n    int
	over bool
}

// Write never fails: the process is not to block on a full pipe.
func (b *limitedBuffer) Write(p []byte) (int, error) {
	n := len(p)
	b.n += n
	if room := b.max - b.Len(); room < n {
		b.over = true
		p = p[:max(room, 0)]
	}
	b.Buffer.Write(p)
	return n, nil
}
