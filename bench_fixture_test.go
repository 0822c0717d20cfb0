//go:build bench

package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"ccecert/api"
	"ccecert/store"
)

// benchHome is a private HOME for the bench's subprocesses and stores: the
// XDG dirs, KUBECONFIG and a runtime dir without a D-Bus socket (so nothing
// ever reaches the operator's keyring, config, data or kubeconfig).
type benchHome struct {
	dir string
}

func newBenchHome(parent, name string) (benchHome, error) {
	h := benchHome{dir: filepath.Join(parent, name)}
	for _, d := range []string{"config", "data", "cache", "run", "kube"} {
		if err := os.MkdirAll(filepath.Join(h.dir, d), 0o700); err != nil {
			return h, fmt.Errorf("bench: create %s: %w", d, err)
		}
	}
	return h, nil
}

// getenv is the environment of this home (and nothing else).
func (h benchHome) getenv(name string) string {
	switch name {
	case "HOME":
		return h.dir
	case "XDG_CONFIG_HOME":
		return filepath.Join(h.dir, "config")
	case "XDG_DATA_HOME":
		return filepath.Join(h.dir, "data")
	case "XDG_CACHE_HOME":
		return filepath.Join(h.dir, "cache")
	case "XDG_RUNTIME_DIR":
		return filepath.Join(h.dir, "run")
	case "KUBECONFIG":
		return filepath.Join(h.dir, "kube", "config")
	case "PATH":
		return os.Getenv("PATH")
	case "TERM":
		return "xterm-256color"
	case "LANG":
		return "C.UTF-8"
	}
	return ""
}

// environ is getenv as a process environment.
func (h benchHome) environ() []string {
	var env []string
	for _, k := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_RUNTIME_DIR", "KUBECONFIG", "PATH", "TERM", "LANG"} {
		env = append(env, k+"="+h.getenv(k))
	}
	return env
}

// openStore opens the home's store (the file identity, as a subprocess of
// this home finds it).
func (h benchHome) openStore(ctx context.Context) (*store.Store, error) {
	paths, err := store.DefaultPaths(h.getenv)
	if err != nil {
		return nil, err
	}
	return store.Open(ctx, paths.DataDir, store.Options{Getenv: h.getenv})
}

// benchTargets are n synthetic CCE clusters over 30 regions, every second
// one with an EIP; their names start with benchPrefix.
func benchTargets(n int) []api.Target {
	out := make([]api.Target, n)
	for i := range out {
		region := fmt.Sprintf("cn-bench-%d", i%30+1)
		t := api.Target{
			Kind: api.KindCCE, ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Name: fmt.Sprintf("%s%04d", benchPrefix, i),
			Region: region, ProjectID: fmt.Sprintf("proj%02d", i%30), Version: "v1.31", Phase: api.PhaseAvailable,
			Endpoints: api.Endpoints{Internal: fmt.Sprintf("https://127.0.0.1:%d", 20000+i)},
		}
		if i%2 == 0 {
			t.Endpoints.External = fmt.Sprintf("https://127.0.0.2:%d", 20000+i)
		}
		out[i] = t
	}
	return out
}

// benchPrefix starts every bench cluster's name, so a screen can be told
// to show them.
const benchPrefix = "bench-"

// seedBench fills the home's store with targets and creds credentials
// spread over them, expiring from two days ago to a year ahead (every
// health state), as the cache a long-used ccecert would have.
func seedBench(ctx context.Context, h benchHome, targets, creds int, now time.Time) error {
	st, err := h.openStore(ctx)
	if err != nil {
		return err
	}
	defer st.Close()
	ts := benchTargets(targets)
	if err := st.SaveTargets(ctx, ts, store.Scope{}, now); err != nil {
		return err
	}
	ca, err := newBenchCA()
	if err != nil {
		return err
	}
	work := make(chan int)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) + 1 {
		wg.Go(func() {
			for i := range work {
				if err := seedOne(ctx, st, ca, ts[i%len(ts)], i, now); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		})
	}
	for i := range creds {
		work <- i
	}
	close(work)
	wg.Wait()
	select {
	case err := <-errs:
		return fmt.Errorf("bench: seed credentials: %w", err)
	default:
		return nil
	}
}

func seedOne(ctx context.Context, st *store.Store, ca *benchCA, t api.Target, i int, now time.Time) error {
	notAfter := now.Add(time.Duration(i%367-2)*benchDay + time.Duration(i)*time.Second)
	role := api.RoleInternal
	if t.HasEIP() {
		role = api.RoleExternal
	}
	iss, err := ca.issue(t, role, notAfter.Add(-400*benchDay), notAfter)
	if err != nil {
		return err
	}
	_, err = st.AddCredential(ctx, t, iss, store.Meta{Validity: api.Days(400), Source: store.SourceFetched, Mode: store.ModeExec,
		Contexts: []string{t.Name + "-" + string(role)}})
	return err
}

// firstCredential is the id of one live credential of the home's store.
func firstCredential(ctx context.Context, h benchHome) (string, error) {
	st, err := h.openStore(ctx)
	if err != nil {
		return "", err
	}
	defer st.Close()
	creds, err := st.Credentials(ctx, store.Filter{})
	if err != nil {
		return "", err
	}
	for _, c := range creds {
		if strings.HasPrefix(c.Target.Name, benchPrefix) && c.NotAfter.After(time.Now().Add(benchDay)) {
			return c.ID, nil
		}
	}
	return "", fmt.Errorf("bench: no live credential in %s", h.dir)
}
