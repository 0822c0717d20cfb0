//go:build faults && unix

package engine

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"ccecert/api/emulator"
	"ccecert/store"

	"k8s.io/client-go/tools/clientcmd"
)

// The fault driver: `go test -tags faults -run TestFaultDriver ./store/engine/`
// builds ccecert, points it at the emulator with latency, and kills get,
// renew, revoke and import at random points (SIGKILL, SIGINT, SIGTERM),
// CCECERT_FAULT_RUNS times each (default 50). After each kill it checks
// the invariants: the kubeconfig parses; the next run (Reconcile) leaves
// no credential unwritten and no revoke unsettled; every context ccecert
// wrote holds the certificate of a live credential, and every live
// credential's contexts are in the file with its certificate; no lock or
// temp file outlives the next write; sampled contexts work with kubectl.

// driver runs the ccecert binary in the test's hermetic environment.
type driver struct {
	t    *testing.T
	e    *engineEnv
	bin  string
	env  []string
	kube string // $KUBECONFIG
	data string // the binary's data dir
}

func TestFaultDriver(t *testing.T) {
	runs := 50
	if v, err := strconv.Atoi(os.Getenv("CCECERT_FAULT_RUNS")); err == nil && v > 0 {
		runs = v
	}
	d := newDriver(t)
	if err := os.WriteFile(d.kube, []byte(userKubeconfig), 0o600); err != nil {
		t.Fatal(err)
	}
	names := []string{"prod-web", "prod-payments", "data-pipeline", "ops-tools"}
	for _, n := range names {
		d.mustRun("get", n)
	}
	ops := map[string]func(i int) []string{
		"get": func(i int) []string { return []string{"get", names[i%len(names)]} },
		"renew": func(i int) []string {
			return []string{"renew", "--yes", d.anyLive(names[i%len(names)]).ID}
		},
		"revoke": func(i int) []string {
			d.mustRun("get", names[i%len(names)]) // something to revoke
			return []string{"revoke", "--yes", d.anyLive(names[i%len(names)]).ID}
		},
		"import": func(i int) []string {
			file := filepath.Join(d.e.dir, fmt.Sprintf("download-%d.yaml", i))
			if err := os.WriteFile(file, consoleDownload(t, d.e, names[i%len(names)]), 0o600); err != nil {
				t.Fatal(err)
			}
			return []string{"import", file}
		},
	}
	for _, op := range []string{"get", "renew", "revoke", "import"} {
		t.Run(op, func(t *testing.T) {
			d.t = t
			killed, span := 0, 200*time.Millisecond // span: how long a whole run took last
			for i := range runs {
				args := ops[op](i)
				sig := []syscall.Signal{syscall.SIGKILL, syscall.SIGINT, syscall.SIGTERM}[rand.IntN(3)]
				// A random point of the run: anywhere from its start to its end.
				if took, died := d.killAt(args, rand.N(span), sig); died {
					killed++
				} else {
					span = took
				}
				d.check(fmt.Sprintf("%s #%d (%v)", op, i, sig), i%10 == 0)
			}
			t.Logf("%s: %d of %d runs killed under way, the rest finished first", op, killed, runs)
		})
	}
}

func newDriver(t *testing.T) *driver {
	// Built before the environment turns hermetic: with the operator's
	// module and build caches, offline (GOPROXY=off), never the network.
	bin := filepath.Join(t.TempDir(), "ccecert")
	build := exec.Command("go", "build", "-o", bin, "ccecert")
	build.Env = append(os.Environ(), "GOPROXY=off")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build ccecert: %v\n%s", err, out)
	}
	e := newEngineEnv(t, envOptions{faults: emulator.Faults{Latency: 40 * time.Millisecond, Jitter: 60 * time.Millisecond}})
	caFile, err := e.srv.WriteCAFile(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cfgDir := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "ccecert")
	_ = os.MkdirAll(cfgDir, 0o700)
	_ = os.WriteFile(filepath.Join(cfgDir, "config.yaml"), []byte("keyring: false\n"), 0o600)
	env := append(os.Environ(), e.srv.Env(caFile)...)
	env = append(env, "DBUS_SESSION_BUS_ADDRESS=")
	return &driver{t: t, e: e, bin: bin, env: env, kube: os.Getenv("KUBECONFIG"),
		data: filepath.Join(os.Getenv("XDG_DATA_HOME"), "ccecert")}
}

func (d *driver) command(ctx context.Context, args ...string) (*exec.Cmd, *bytes.Buffer) {
	cmd := exec.CommandContext(ctx, d.bin, args...)
	cmd.Env = d.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	return cmd, &out
}

func (d *driver) mustRun(args ...string) {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd, out := d.command(ctx, args...)
	if err := cmd.Run(); err != nil {
		d.t.Fatalf("ccecert %v: %v\n%s", args, err, out)
	}
}

// killAt starts ccecert args and sends sig after delay if it still runs;
// it reports how long the run took and whether the signal reached it.
func (d *driver) killAt(args []string, delay time.Duration, sig syscall.Signal) (time.Duration, bool) {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd, _ := d.command(ctx, args...)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		d.t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
		return time.Since(start), false // finished before the kill: a valid outcome too
	case <-time.After(delay):
	}
	_ = cmd.Process.Signal(sig)
	<-done
	return time.Since(start), true
}

// checker opens the binary's store as the next run would.
func (d *driver) checker() (*Engine, func()) {
	d.t.Helper()
	now := func() time.Time { return time.Now().Add(2 * orphanAge) } // every leftover counts as orphaned
	s, err := store.Open(context.Background(), d.data, store.Options{Now: now})
	if err != nil {
		d.t.Fatalf("the next run cannot open the store: %v", err)
	}
	cfg, _ := store.DefaultConfig()
	cfg.Keyring = false
	eng := &Engine{Store: s, Config: cfg, Kubeconfig: d.kube, KubeconfigPaths: []string{d.kube}, Now: now,
		Cloud: func() (Cloud, error) { return d.e.client, nil }}
	return eng, func() { _ = s.Close() }
}

func (d *driver) anyLive(target string) store.Credential {
	d.t.Helper()
	eng, done := d.checker()
	defer done()
	list, err := eng.Store.Credentials(context.Background(), store.Filter{})
	if err != nil {
		d.t.Fatal(err)
	}
	for _, c := range list {
		if c.Target.Name == target && c.Active() && c.Source != store.SourceScanned {
			return c
		}
	}
	d.mustRun("get", target)
	return d.anyLive(target)
}

// check verifies the invariants after a kill.
func (d *driver) check(what string, withKubectl bool) {
	d.t.Helper()
	if _, err := clientcmd.LoadFromFile(d.kube); err != nil {
		d.t.Fatalf("%s: the kubeconfig does not parse: %v", what, err)
	}
	eng, done := d.checker()
	defer done()
	ctx := context.Background()
	rec, err := eng.Reconcile(ctx)
	if err != nil || len(rec.Problems) > 0 {
		d.t.Fatalf("%s: the next run's reconcile: %v %v", what, err, rec.Problems)
	}
	if in, _ := eng.Store.Intents(ctx); len(in) > 0 {
		d.t.Errorf("%s: intents unsettled after reconcile: %+v", what, in)
	}
	d.agree(what, eng, withKubectl)
	d.noLeftovers(what)
}

// agree checks the DB and the kubeconfig say the same.
func (d *driver) agree(what string, eng *Engine, withKubectl bool) {
	d.t.Helper()
	ctx := context.Background()
	cfg, err := clientcmd.LoadFromFile(d.kube)
	if err != nil {
		d.t.Fatal(err)
	}
	live, err := eng.Store.Credentials(ctx, store.Filter{})
	if err != nil {
		d.t.Fatal(err)
	}
	certs := map[string]store.Credential{}
	for _, c := range live {
		if c.Unwritten() {
			d.t.Errorf("%s: %s unwritten after the next run: %s", what, c.ID, c.Attention())
		}
		if c.Source == store.SourceScanned {
			continue
		}
		certs[string(c.CertPEM)] = c
		for _, n := range c.Contexts {
			kc := cfg.Contexts[n]
			if kc == nil || cfg.AuthInfos[kc.AuthInfo] == nil {
				d.t.Errorf("%s: live %s's context %q is not in the kubeconfig", what, c.ID, n)
				continue
			}
			if ai := cfg.AuthInfos[kc.AuthInfo]; c.Mode == store.ModeInline && !bytes.Equal(ai.ClientCertificateData, c.CertPEM) {
				d.t.Errorf("%s: context %q does not hold live %s's certificate", what, n, c.ID)
				if os.Getenv("CCECERT_FAULT_DEBUG") != "" {
					all, _ := eng.Store.Credentials(ctx, store.Filter{All: true, TargetKey: c.Target.Key()})
					info, _ := store.ParseCert(ai.ClientCertificateData)
					d.t.Logf("file holds %s", info.FingerprintSHA256[:8])
					for _, o := range all {
						d.t.Logf("  %s src=%s created=%s nb=%s ctx=%v kube=%q repl=%q rev=%v", o.ID, o.Source, o.CreatedAt.Format("15:04:05.000"), o.NotBefore.Format("15:04:05"), o.Contexts, o.Kubeconfig, o.ReplacedBy, o.Revoked())
					}
					evs, _ := eng.Store.Events(ctx, 30)
					for _, ev := range evs {
						d.t.Logf("  ev %s %s %s %s %.80s", ev.At.Format("15:04:05.000"), ev.Action, ev.Target, ev.Credential, ev.Result)
					}
					d.t.FailNow()
				}
			}
		}
	}
	for name, kc := range cfg.Contexts {
		ai := cfg.AuthInfos[kc.AuthInfo]
		if ai == nil || len(ai.ClientCertificateData) == 0 || !strings.HasPrefix(kc.AuthInfo, store.AppName+"-") {
			continue
		}
		c, ok := certs[string(ai.ClientCertificateData)]
		if !ok {
			d.t.Errorf("%s: context %q holds a certificate of no live credential", what, name)
			continue
		}
		if withKubectl && haveKubectl() && strings.HasSuffix(name, "-internal") {
			mustKubectl(d.t, d.kube, name)
		}
		_ = c
	}
}

// noLeftovers checks that no lock or temp file a killed process left
// outlives the next write (one that changes nothing, as `ccecert use`
// of the current context does).
func (d *driver) noLeftovers(what string) {
	d.t.Helper()
	leftovers := func() []string {
		var out []string
		entries, _ := os.ReadDir(filepath.Dir(d.kube))
		for _, e := range entries {
			if n := e.Name(); strings.Contains(n, ".tmp-") || strings.HasSuffix(n, ".lock") {
				out = append(out, n)
			}
		}
		return out
	}
	if len(leftovers()) == 0 {
		return
	}
	cfg, err := clientcmd.LoadFromFile(d.kube)
	if err != nil || cfg.CurrentContext == "" {
		return // nothing to write through; a later check sees them
	}
	if err := store.SetCurrentContext(d.kube, cfg.CurrentContext); err != nil {
		d.t.Errorf("%s: the next write: %v", what, err)
	}
	if left := leftovers(); len(left) > 0 {
		d.t.Errorf("%s: %v outlive the next write", what, left)
	}
}
