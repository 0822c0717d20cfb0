package cli

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"ccecert/api/emulator"
)

// The process half of the reliability suite: the built binary killed with
// SIGKILL in the middle of `renew`, and two ccecert processes working on
// one store and one kubeconfig at once.

// relCrashRuns is how many renewals are killed at a random moment.
const relCrashRuns = 50

// relSeed fetches the credentials the process tests renew: both contexts,
// internal only, external only and exec mode; plus an entry the operator
// wrote by hand, which must survive everything.
func relSeed(e *relEnv) []string {
	e.t.Helper()
	own := clientcmdapi.NewConfig()
	own.Clusters["my-own"] = &clientcmdapi.Cluster{Server: "https://10.0.0.1:6443"}
	own.AuthInfos["my-own"] = &clientcmdapi.AuthInfo{Token: "operator-token"}
	own.Contexts["my-own"] = &clientcmdapi.Context{Cluster: "my-own", AuthInfo: "my-own", Namespace: "team-a"}
	own.CurrentContext = "my-own"
	if err := os.MkdirAll(filepath.Dir(e.kube), 0o700); err != nil {
		e.t.Fatal(err)
	}
	if err := clientcmd.WriteToFile(*own, e.kube); err != nil {
		e.t.Fatal(err)
	}
	for _, args := range [][]string{
		{"list", "--refresh"},
		{"get", "prod-payments", "--duration", "1", "--context", "both"},
		{"get", "dev-sandbox", "--duration", "1", "--context", "internal"},
		{"get", "staging-web", "--duration", "1"},
		{"get", "prod-web", "--duration", "1", "--mode", "exec"},
	} {
		if r := e.procRun(args...); r.code != 0 {
			e.t.Fatalf("ccecert %v: exit %d\n%s%s", args, r.code, r.stdout, r.stderr)
		}
	}
	names := e.relCheck().contexts
	slices.Sort(names)
	return names
}

func TestReliabilityProcesses(t *testing.T) {
	e := newRelEnv(t, emulator.Options{Faults: emulator.Faults{Latency: 25 * time.Millisecond, Jitter: 25 * time.Millisecond}})
	e.build()
	t.Run("kill -9 during renew", func(t *testing.T) { e.t = t; relKillDuringRenew(t, e) })
	t.Run("renew and import at once", func(t *testing.T) {
		// A fresh installation on the same binary and emulator.
		f := newRelEnv(t, emulator.Options{Faults: emulator.Faults{Latency: 5 * time.Millisecond, Jitter: 10 * time.Millisecond}})
		f.bin = e.bin
		relConcurrentProcesses(t, f)
	})
}

func relKillDuringRenew(t *testing.T, e *relEnv) {
	want := relSeed(e)
	if len(want) != 6 {
		t.Fatalf("seeded contexts %v, want 6 (5 fetched + my-own)", want)
	}
	var full time.Duration // an uninterrupted renewal, measured every 10 runs (the work grows)
	var killed, finished, maxDup, active, staleRuns int
	var lastStale []string
	for i := range relCrashRuns {
		if i%10 == 0 {
			start := time.Now()
			if r := e.procRun("renew", "--yes", "--within", "30d"); r.code != 0 {
				t.Fatalf("renew: exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			full = time.Since(start)
		}
		if relKillRenewAfter(t, e, time.Duration(rand.Int64N(int64(full)*11/10))) {
			killed++
		} else {
			finished++
		}
		s := e.relCheck()
		slices.Sort(s.contexts)
		if !slices.Equal(s.contexts, want) {
			t.Fatalf("run %d: contexts %v, want %v", i, s.contexts, want)
		}
		maxDup, active = max(maxDup, s.dupTargets), s.active
		if len(s.staleInUse) > 0 {
			staleRuns, lastStale = staleRuns+1, s.staleInUse
		}
		if t.Failed() {
			t.Fatalf("run %d (killed within %v) left an inconsistent state", i, full)
		}
	}
	// After all that, a renewal runs to the end (stale locks taken over,
	// WAL recovered) and leaves no temp file or lock behind.
	if r := e.procRun("renew", "--yes", "--within", "30d"); r.code != 0 {
		t.Fatalf("renew after the crashes: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if staleRuns > 0 {
		t.Errorf("%d of %d states had contexts whose credential is marked replaced, so renew skips it and status hides it "+
			"(replacement chains: %v)", staleRuns, relCrashRuns, lastStale)
	}
	if s := e.relCheck(); s.dupTargets != 0 || s.active != 4 || len(s.staleInUse) > 0 {
		t.Errorf("after an uninterrupted renewal: %d active credentials for 4 targets (%d with more than one), contexts on replaced credentials: %v",
			s.active, s.dupTargets, s.staleInUse)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(e.kube), ".config*"))
	locks, _ := filepath.Glob(e.kube + ".lock*")
	if len(leftovers)+len(locks) > 0 {
		t.Errorf("left behind: %v %v", leftovers, locks)
	}
	t.Logf("%d renewals (an uninterrupted one took %v at the end): %d killed, %d finished first; all %d states parse, open and use stored, matching, valid keys; "+
		"up to %d of 4 targets with more than one active credential, %d active credentials in the end",
		relCrashRuns, full.Round(time.Millisecond), killed, finished, relCrashRuns, maxDup, active)
}

// relKillRenewAfter starts `renew --yes` and sends it SIGKILL after d; it
// reports whether the kill landed (false: it had already finished, well).
func relKillRenewAfter(t *testing.T, e *relEnv, d time.Duration) bool {
	t.Helper()
	cmd := e.proc("renew", "--yes", "--within", "30d")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(d)
	_ = cmd.Process.Signal(syscall.SIGKILL)
	err := cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return true
	}
	if err != nil {
		t.Fatalf("renew failed on its own: %v", err)
	}
	return false
}

// relLockFailure is what must never reach a user from two ccecert at once.
var relLockFailure = regexp.MustCompile(`(?i)database is locked|SQLITE_BUSY|is locked by|lock file`)

func relConcurrentProcesses(t *testing.T, e *relEnv) {
	relSeed(e)
	const rounds = 8
	imports := []string{"prod-gz", "ops-tools", "data-pipeline", "serverless-api"}
	files := make([]string, rounds)
	original := map[string][]byte{}
	for i := range rounds {
		files[i], _ = e.relConsoleKubeconfig(imports[i%len(imports)], filepath.Join(e.root, "dl", "kc-"+string(rune('a'+i))+".yaml"), 1)
		original[files[i]], _ = os.ReadFile(files[i])
	}
	var mu sync.Mutex
	var results []relResult
	var wg sync.WaitGroup
	loop := func(args func(i int) []string) {
		for i := range rounds {
			r := e.procRun(args(i)...)
			mu.Lock()
			results = append(results, r)
			mu.Unlock()
		}
	}
	wg.Go(func() { loop(func(int) []string { return []string{"renew", "--yes", "--within", "30d"} }) })
	wg.Go(func() { loop(func(i int) []string { return []string{"import", files[i]} }) })
	wg.Wait()

	ids := regexp.MustCompile(`(?m)^(?:imported|already known) ([0-9a-f]{8,})|^[0-9a-f]{8,}\s+([0-9a-f]{8,})\s`)
	var seen []string
	for _, r := range results {
		if r.code != 0 || relLockFailure.MatchString(r.stderr) || relLockFailure.MatchString(r.stdout) {
			t.Errorf("a run failed beside the other process: exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
		}
		for _, m := range ids.FindAllStringSubmatch(r.stdout, -1) {
			seen = append(seen, m[1]+m[2])
		}
	}
	s := e.relCheck()
	if len(s.staleInUse) > 0 {
		t.Errorf("contexts whose credential is marked replaced (renew skips them, status hides them): %v", s.staleInUse)
	}
	wantCtx := []string{"my-own", "prod-payments-internal", "prod-payments-external", "dev-sandbox-internal", "staging-web-external", "prod-web-internal"}
	for _, name := range imports {
		wantCtx = append(wantCtx, name+"-internal")
	}
	for _, name := range wantCtx {
		if !slices.Contains(s.contexts, name) {
			t.Errorf("context %s lost (have %v)", name, s.contexts)
		}
	}
	st := e.openStore()
	defer st.Close()
	for _, id := range seen {
		if _, err := st.Find(t.Context(), id); err != nil {
			t.Errorf("credential %s, reported by a run, is not stored: %v", id, err)
		}
	}
	for f, data := range original {
		if now, _ := os.ReadFile(f); string(now) != string(data) {
			t.Errorf("imported file %s was changed: renew wrote into the operator's download (see TestReliabilityRenewNeverWritesTheDownloadedFile)", f)
		}
	}
	if len(seen) < rounds {
		t.Errorf("only %d credential ids in the outputs: %q", len(seen), strings.Join(seen, " "))
	}
	t.Logf("%d renews and %d imports at once: all exit 0, no lock error, %d credentials reported and stored, %d contexts present",
		rounds, rounds, len(seen), len(s.contexts))
}
