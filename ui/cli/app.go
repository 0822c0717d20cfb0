package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"ccecert/api"
	"ccecert/store"
	"ccecert/store/engine"
)

// globalFlags are the flags every command takes.
type globalFlags struct {
	config     string
	kubeconfig string
	demo       bool
	noColor    bool
	quiet      bool
	profile    string // --profile; empty: CCECERT_PROFILE, else the config's default
}

func (g *globalFlags) register(cmd *cobra.Command) {
	pf := cmd.PersistentFlags()
	pf.StringVar(&g.config, "config", "", "config file (default $XDG_CONFIG_HOME/ccecert/config.yaml)")
	pf.StringVar(&g.kubeconfig, "kubeconfig", "", "kubeconfig file to write (default: config, then $KUBECONFIG's first file, then ~/.kube/config)")
	pf.BoolVar(&g.demo, "demo", false, "run against a built-in emulator with a demo inventory, its own data dir and kubeconfig (ccecert --demo shell opens $SHELL with KUBECONFIG on it, for kubectl)")
	pf.BoolVar(&g.noColor, "no-color", false, "no colour in the output (NO_COLOR is honoured too)")
	pf.BoolVarP(&g.quiet, "quiet", "q", false, "print only what scripts need")
	pf.StringVar(&g.profile, "profile", "", "the profile (account) to work with, from the config's profiles section (default $"+EnvProfile+", else default)")
	_ = cmd.MarkPersistentFlagFilename("config", "yaml", "yml") // --kubeconfig: any file
}

// EnvProfile names the profile when --profile is not given.
const EnvProfile = "CCECERT_PROFILE"

// app is what a command works with: the config, the store and the engine.
type app struct {
	cfg     store.Config  // as the profile sees it (store.Config.ForProfile)
	all     store.Config  // the whole file: every profile
	profile store.Profile // the one --profile or CCECERT_PROFILE picked
	named   bool          // the profile was named (--profile or CCECERT_PROFILE)
	paths   store.Paths
	store   *store.Store
	engine  *engine.Engine
	env     env
	g       *globalFlags
	res     *resources
	root    context.Context // the command's: cloud clients live as long as it
}

// resources are what an app opened, to close; clouds are built from
// several goroutines (`ccecert profiles`, a TUI switching profiles).
type resources struct {
	mu      sync.Mutex
	closers []func()
	demoMu  sync.Mutex
	demoEnv func(string) string // --demo: the started emulator's environment
}

// onClose adds f to what close releases.
func (a *app) onClose(f func()) {
	a.res.mu.Lock()
	defer a.res.mu.Unlock()
	a.res.closers = append(a.res.closers, f)
}

// openApp loads the config, opens the store and builds the engine. The
// cloud client is built only when a command first needs it.
func openApp(ctx context.Context, g *globalFlags, e env) (*app, error) {
	return openAppFor(ctx, g, e, openCommand)
}

// openMode is who opens the app, which decides when the store's integrity
// check runs.
type openMode int

const (
	openCommand openMode = iota // before the command: it may write
	openPlugin                  // the exec plugin: skipped unless it may renew
	openTUI                     // beside the first frame; writes wait for it
)

// openAppFor is openApp for mode: the exec plugin's store skips its
// whole-database check unless the plugin may renew (exec_auto_renew); the
// TUI's runs it in the background.
func openAppFor(ctx context.Context, g *globalFlags, e env, mode openMode) (*app, error) {
	paths, all, warnings, err := loadConfig(g, e)
	if err != nil {
		return nil, err
	}
	name := g.profile
	if name == "" {
		name = e.getenv(EnvProfile)
	}
	profile, err := all.Profile(name)
	if err != nil {
		return nil, err
	}
	cfg := all.ForProfile(profile)
	if !g.quiet {
		for _, w := range warnings {
			fmt.Fprintln(e.stderr, "ccecert: warning:", w)
		}
	}
	st, err := store.Open(ctx, paths.DataDir, store.Options{Now: e.now, Keyring: cfg.Keyring && !paths.Demo, Getenv: e.getenv,
		SkipCheck: mode == openPlugin && !cfg.ExecAutoRenew, CheckInBackground: mode == openTUI})
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, all: all, profile: profile, named: strings.TrimSpace(name) != "", paths: paths, store: st, env: e, g: g, root: ctx}
	a.res = &resources{}
	a.onClose(func() { _ = st.Close() })
	if st.IdentityCreated() && !g.quiet {
		fmt.Fprintf(e.stderr, "ccecert: private keys are stored encrypted (age); the key that decrypts them is in the %s\n", st.Identity())
	}
	if n := st.Identity().Notice; n != "" && !g.quiet {
		fmt.Fprintln(e.stderr, "ccecert:", inert(n))
	}
	a.engine = a.engineFor(profile)
	if paths.Demo {
		if err := seedDemo(ctx, a); err != nil {
			a.close()
			return nil, fmt.Errorf("prepare the demo: %w", err)
		}
	}
	return a, nil
}

// engineFor builds the engine of profile p (a TUI switches profiles
// without a restart), with its own cloud client, built on first use.
func (a *app) engineFor(p store.Profile) *engine.Engine {
	cfg := a.all.ForProfile(p)
	en := &engine.Engine{Store: a.store, Config: cfg, Profile: p.Name, Kubeconfig: a.kubeconfigFor(cfg), Now: a.env.now}
	if !a.paths.Demo { // the demo's kubeconfig is its own: it reads none of the operator's
		en.KubeconfigPaths = store.KubeconfigPaths(a.env.getenv)
	}
	en.ExecCommand, en.ExecPrefix = execCommand(a.paths.Demo)
	if p.Name != store.DefaultProfile { // the plugin renews with this profile's keys
		en.ExecPrefix = append(en.ExecPrefix, "--profile", p.Name)
	}
	en.Cloud = a.cloudOnce(a.root, p)
	return en
}

// kubeconfigFor is the file a profile's engine writes: --kubeconfig, the
// demo's own, else the profile's config.
func (a *app) kubeconfigFor(cfg store.Config) string {
	switch {
	case a.g.kubeconfig != "":
		return a.g.kubeconfig
	case a.paths.Kubeconfig != "":
		return a.paths.Kubeconfig // the demo's own
	}
	return cfg.KubeconfigPath(a.env.getenv)
}

// loadConfig finds the data dir's paths and loads its config (--config, or
// the profile's own), with the config's warnings.
func loadConfig(g *globalFlags, e env) (store.Paths, store.Config, []string, error) {
	paths, err := profilePaths(g, e.getenv)
	if err != nil {
		return paths, store.Config{}, nil, err
	}
	if g.config != "" { // named: a missing one is an error, never the defaults
		cfg, warnings, err := store.LoadNamedConfig(g.config)
		return paths, cfg, warnings, err
	}
	cfg, warnings, err := store.LoadConfig(paths.ConfigFile)
	return paths, cfg, warnings, err
}

func profilePaths(g *globalFlags, getenv func(string) string) (store.Paths, error) {
	if g.demo {
		return store.DemoPaths(getenv)
	}
	return store.DefaultPaths(getenv)
}

// cloudOnce builds the profile's cloud client once, on first use: from
// its credential source, or, with --demo, an in-process emulator.
func (a *app) cloudOnce(ctx context.Context, p store.Profile) func() (engine.Cloud, error) {
	var once sync.Once
	var cloud engine.Cloud
	var err error
	return func() (engine.Cloud, error) {
		once.Do(func() { cloud, err = a.newCloud(ctx, p) })
		return cloud, err
	}
}

func (a *app) newCloud(ctx context.Context, p store.Profile) (engine.Cloud, error) {
	getenv, err := a.cloudEnv(a.root) // the demo's emulator lives as long as the command
	if err != nil {
		return nil, err
	}
	cfg, err := a.profileConfig(ctx, p, getenv)
	if err != nil {
		return nil, err
	}
	client, err := api.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("profile %q: %w", p.Name, err)
	}
	a.onClose(client.Close)
	return client, nil
}

// cloudEnv is where the cloud's settings come from: the environment, or,
// with --demo, the emulator it starts (once).
func (a *app) cloudEnv(ctx context.Context) (func(string) string, error) {
	if !a.paths.Demo {
		return a.env.getenv, nil
	}
	a.res.demoMu.Lock()
	defer a.res.demoMu.Unlock()
	if a.res.demoEnv != nil {
		return a.res.demoEnv, nil
	}
	if a.env.deps.DemoCloud == nil {
		return nil, errors.New("this build has no demo cloud")
	}
	environ, stop, err := a.env.deps.DemoCloud(ctx, a.paths.DataDir)
	if err != nil {
		return nil, fmt.Errorf("start the demo emulator: %w", err)
	}
	a.onClose(func() { _ = stop() })
	a.res.demoEnv = lookupIn(environ)
	return a.res.demoEnv, nil
}

// lookupIn reads variables from a NAME=value list, and nothing else.
func lookupIn(environ []string) func(string) string {
	vars := make(map[string]string, len(environ))
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		vars[name] = value
	}
	return func(name string) string { return vars[name] }
}

// close releases everything, last opened first.
func (a *app) close() {
	a.res.mu.Lock()
	closers := a.res.closers
	a.res.closers = nil
	a.res.mu.Unlock()
	for i := len(closers) - 1; i >= 0; i-- {
		closers[i]()
	}
}

// execCommand is what exec-mode kubeconfigs run: this binary by absolute
// path when it is installed, else "ccecert" from PATH (a `go run` binary
// lives in a temp dir that is gone after the run).
func execCommand(demo bool) (string, []string) {
	var prefix []string
	if demo {
		prefix = []string{"--demo"}
	}
	exe, err := os.Executable()
	if err != nil || strings.Contains(exe, string(filepath.Separator)+"go-build") {
		return "ccecert", prefix
	}
	return exe, prefix
}

// withApp runs fn with an open app and closes it afterwards.
func withApp(cmd *cobra.Command, g *globalFlags, e env, fn func(ctx context.Context, a *app) error) error {
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	oneShotGC(e.getenv)
	mode := openCommand
	if isExecPlugin(cmd) {
		mode = openPlugin
	}
	a, err := openAppFor(ctx, g, e, mode)
	if err != nil {
		return err
	}
	defer a.close()
	return fn(ctx, a)
}

// isExecPlugin reports `ccecert credential`, which kubectl runs on every
// call (docs/performance.md: it must start about as fast as `ccecert version`).
func isExecPlugin(cmd *cobra.Command) bool {
	return cmd.Name() == "credential" && cmd.HasParent() && !cmd.Parent().HasParent()
}

// errExit returns an error that makes the process exit with code.
func errExit(code int, err error) error { return &exitError{code: code, err: err} }

var errNothingListed = errors.New("nothing could be listed")

// reconcile finishes what interrupted runs left (a revoke sent but not
// recorded, a credential stored but written nowhere) and says what it did;
// commands that change state call it first.
func (a *app) reconcile(ctx context.Context) {
	r, err := a.engine.Reconcile(ctx)
	if err != nil {
		fmt.Fprintln(a.env.stderr, "ccecert: warning: finishing interrupted runs:", inertLines(errorText(err)))
		return
	}
	if a.g.quiet && len(r.Problems) == 0 {
		return
	}
	for _, o := range r.Revoked {
		fmt.Fprintf(a.env.stderr, "ccecert: finished an interrupted revoke: %s\n", inert(strings.Join(o.Revoked, ", ")))
	}
	for _, id := range r.Written {
		fmt.Fprintf(a.env.stderr, "ccecert: credential %s had reached no kubeconfig (an interrupted run): written now\n", inert(id))
	}
	for _, id := range r.Retired {
		fmt.Fprintf(a.env.stderr, "ccecert: credential %s had reached no kubeconfig and a newer one holds its context: kept out\n", inert(id))
	}
	for _, p := range r.Problems {
		fmt.Fprintln(a.env.stderr, "ccecert: warning:", inertLines(errorText(p)))
	}
}

// notices prints the kubeconfig writes' news for the operator (the
// original kept, comments dropped, a mode tightened), once each.
func (a *app) notices(ns []string) {
	if a.g.quiet {
		return
	}
	for _, n := range ns {
		fmt.Fprintln(a.env.stderr, "ccecert: note:", inert(n))
	}
}
