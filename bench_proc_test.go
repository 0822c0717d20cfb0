//go:build bench

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"time"
)

// benchExec times the built binary as kubectl runs it: `ccecert credential
// <id>` against a store of many credentials, and `ccecert version` (start-up
// alone) in the same run, interleaved, runs times each after a warm-up.
// Medians in ms.
func benchExec(ctx context.Context, exe string, h benchHome, runs int) ([]benchFigure, error) {
	id, err := firstCredential(ctx, h)
	if err != nil {
		return nil, err
	}
	run := func(args ...string) (time.Duration, []byte, error) {
		return timeProcess(ctx, exe, h.environ(), args...)
	}
	_, out, err := run("credential", id)
	if err != nil {
		return nil, err
	}
	if err := checkExecCredential(out); err != nil {
		return nil, err
	}
	if _, _, err := run("version"); err != nil {
		return nil, err
	}
	var cred, ver []time.Duration
	for range runs {
		d, _, err := run("version")
		if err != nil {
			return nil, err
		}
		ver = append(ver, d)
		if d, _, err = run("credential", id); err != nil {
			return nil, err
		}
		cred = append(cred, d)
	}
	c, v := median(cred), median(ver)
	return []benchFigure{
		info("`ccecert version` (start-up), median", ms(v), "ms"),
		figure("`ccecert credential ID` (exec plugin), median", ms(c), "ms", "≤ 2× version", c <= 2*v),
	}, nil
}

// checkExecCredential makes sure the plugin answered a real ExecCredential.
func checkExecCredential(out []byte) error {
	var ec struct {
		Kind   string `json:"kind"`
		Status struct {
			Cert string `json:"clientCertificateData"`
		} `json:"status"`
	}
	if err := json.Unmarshal(out, &ec); err != nil || ec.Kind != "ExecCredential" || ec.Status.Cert == "" {
		return fmt.Errorf("the exec plugin did not print an ExecCredential (%v)", err)
	}
	return nil
}

// timeProcess runs exe args with exactly env and returns how long it took
// and its output; a failure carries its stderr.
func timeProcess(ctx context.Context, exe string, env []string, args ...string) (time.Duration, []byte, error) {
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %v: %w: %s", exe, args, err, bytes.TrimSpace(errOut.Bytes()))
	}
	return d, out.Bytes(), nil
}
