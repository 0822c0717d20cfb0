package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// attachWait is how long a second process waits for the first one's kept
// emulator to say where it is.
const attachWait = 10 * time.Second

// StartWithCA starts the kept emulator of dir (ccecert --demo, tests): a
// server as Start makes, whose CAs, API server addresses and issued
// certificates live in DIR/emulator (state.json; see keptState) from one
// run to the next, with its CA written into dir for a client that trusts
// it through CCECERT_CA_FILE. It issues the seeds DIR asks for (see
// SeedRequest). It returns the environment that points ccecert at the
// server (Env) and the function that stops it.
//
// One process serves a dir at a time: while it runs, StartWithCA in
// another process (another ccecert --demo, the exec plugin, the TUI in
// the demo shell) returns the running server's environment, read from
// DIR/emulator/running.json, and a stop that does nothing. The keys in
// that file are the emulator's own, random on each start; the file is
// 0600 and removed when the server stops.
func StartWithCA(ctx context.Context, opts Options, dir string) (environ []string, stop func() error, err error) {
	sd := stateDir(dir)
	if err := os.MkdirAll(sd, 0o700); err != nil {
		return nil, nil, fmt.Errorf("create the demo emulator's dir: %w", err)
	}
	if err := os.Chmod(sd, 0o700); err != nil {
		return nil, nil, fmt.Errorf("the demo emulator's dir: %w", err)
	}
	deadline := time.Now().Add(attachWait)
	for {
		release, held, err := lockServe(filepath.Join(sd, "serve.lock"))
		if err != nil {
			return nil, nil, fmt.Errorf("lock the demo emulator's dir: %w", err)
		}
		if held {
			return serveKept(ctx, opts, dir, release)
		}
		if environ, ok := runningEnv(dir); ok {
			return environ, func() error { return nil }, nil
		}
		if time.Now().After(deadline) {
			return nil, nil, fmt.Errorf("another ccecert serves the demo emulator of %s but does not say where: stop it and try again", dir)
		}
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// running is DIR/emulator/running.json: who serves and how to reach it.
type running struct {
	PID     int      `json:"pid"`
	Environ []string `json:"environ"`
}

func runningFile(dir string) string { return filepath.Join(stateDir(dir), "running.json") }

// serveKept starts the server of dir with its kept state; release drops
// the serve lock.
func serveKept(ctx context.Context, opts Options, dir string, release func()) ([]string, func() error, error) {
	_ = os.Remove(runningFile(dir)) // a crashed run's
	st, last, err := loadStateBytes(dir)
	if err != nil {
		release()
		return nil, nil, err
	}
	srv, err := Start(ctx, opts)
	if err != nil {
		release()
		return nil, nil, err
	}
	fail := func(err error) ([]string, func() error, error) {
		_ = srv.Close()
		release()
		return nil, nil, err
	}
	k, moved, err := keep(srv, st, last, dir)
	if err != nil {
		return fail(err)
	}
	if err := writeMoved(dir, moved); err != nil {
		return fail(err)
	}
	if err := answerSeeds(srv, dir); err != nil {
		return fail(err)
	}
	caFile, err := srv.WriteCAFile(dir)
	if err != nil {
		return fail(err)
	}
	environ := srv.Env(caFile)
	data, err := json.Marshal(running{PID: os.Getpid(), Environ: environ})
	if err == nil {
		err = writeFileRenamed(runningFile(dir), data, false) // gone with the process: no need to sync
	}
	if err != nil {
		return fail(fmt.Errorf("write %s: %w", runningFile(dir), err))
	}
	var once sync.Once
	var stopErr error
	stop := func() error {
		once.Do(func() {
			_ = os.Remove(runningFile(dir))
			stopErr = srv.Close()
			stopErr = errors.Join(stopErr, k.saveErr())
			release()
		})
		return stopErr
	}
	return environ, stop, nil
}

// MovedFile is DIR/emulator/moved.json, written at start when API servers
// could not get their kept ports back: {"old URL": "new URL"}, so the demo
// can point its kubeconfig's servers at the new ones (and then remove it).
func MovedFile(dir string) string { return filepath.Join(stateDir(dir), "moved.json") }

func writeMoved(dir string, moved map[string]string) error {
	if len(moved) == 0 {
		return nil // an earlier run's, not yet applied, stays
	}
	prev := map[string]string{}
	if data, err := os.ReadFile(MovedFile(dir)); err == nil {
		_ = json.Unmarshal(data, &prev)
	}
	for old, now := range prev { // moved twice: old → newest
		if newer, ok := moved[now]; ok {
			prev[old] = newer
		}
	}
	maps.Copy(prev, moved)
	data, err := json.Marshal(prev)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(MovedFile(dir), data); err != nil {
		return fmt.Errorf("write %s: %w", MovedFile(dir), err)
	}
	return nil
}

// runningEnv is the environment of the server another live process runs
// for dir, when it has said so and answers.
func runningEnv(dir string) ([]string, bool) {
	data, err := os.ReadFile(runningFile(dir))
	if err != nil {
		return nil, false
	}
	var r running
	if json.Unmarshal(data, &r) != nil || !processAlive(r.PID) {
		return nil, false
	}
	for _, kv := range r.Environ {
		if v, ok := strings.CutPrefix(kv, "CCECERT_ENDPOINT="); ok {
			u, err := url.Parse(v)
			if err != nil {
				return nil, false
			}
			conn, err := net.DialTimeout("tcp", u.Host, time.Second)
			if err != nil {
				return nil, false
			}
			_ = conn.Close()
			return r.Environ, true
		}
	}
	return nil, false
}
