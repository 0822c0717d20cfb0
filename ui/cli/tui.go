package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"ccecert/api"
	"ccecert/ui"
)

// drainTimeout bounds how long quitting waits for Backend calls in flight
// (they are cancelled when the TUI ends) before the store is closed.
const drainTimeout = 5 * time.Second

// reconcileAfter is how long after the credentials are loaded the TUI
// starts finishing interrupted runs: by then the frame that shows them
// is drawn (its dataset takes well under a second at 10,000).
const reconcileAfter = time.Second

// liveEvery is how often the TUI asks whether another process changed the
// store or a kubeconfig (issue 16: within 2 s). One data_version query and
// a stat per file: microseconds a second (see docs/performance.md).
const liveEvery = time.Second

// runTUI opens the terminal UI: the cached inventory at once, then a
// refresh in the background. SIGINT and SIGTERM end it cleanly. Without a
// cloud key it still starts; the refresh error is in the status line.
// tweak, if given, adjusts the TUI's options (`ccecert use` opens it as a
// context picker).
func runTUI(cmd *cobra.Command, g *globalFlags, e env, tweak ...func(*app, *ui.Options)) error {
	if err := needTerminal(e); err != nil {
		return err
	}
	parent := cmd.Context()
	if parent == nil {
		parent = context.Background()
	}
	ctx, stop := signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
	defer stop()
	restoreGC := startGC(e.getenv) // until a second after the first frame
	defer restoreGC()
	a, err := openAppFor(ctx, g, e, openTUI)
	if err != nil {
		return err
	}
	b := newTUIBackend(a)
	b.prefetch(ctx)
	// Finish what interrupted runs left once the first frame is on screen:
	// it reads every credential too, and on a small machine would take
	// the CPU that frame's dataset needs; so would the store's integrity
	// check, which starts then too. What it says is printed once the
	// TUI has given the terminal back.
	var said bytes.Buffer
	reconciled, quitting := make(chan struct{}), make(chan struct{})
	b.loaded = func() {
		go func() {
			defer close(reconciled)
			select { // the frame, or quitting first: then it runs now
			case <-time.After(reconcileAfter):
			case <-quitting:
			}
			restoreGC()
			// The store's integrity check too (openTUI): a write before
			// now started it itself, and waited for it.
			a.store.StartCheck()
			quiet := *a
			quiet.env.stderr = &said
			quiet.reconcile(ctx)
		}()
	}
	defer func() {
		close(quitting)
		b.loadedOnce.Do(func() { close(reconciled) }) // never loaded: nothing runs
		<-reconciled                                  // before the store closes
		if !b.drain(drainTimeout) {
			fmt.Fprintln(e.stderr, "ccecert: warning: a cloud call was still running at exit")
		}
		b.closeLive()
		a.close()
		_, _ = e.stderr.Write(said.Bytes())
	}()
	o := tuiOptions(a)
	for _, f := range tweak {
		f(a, &o)
	}
	return ui.Run(ctx, b, o)
}

// needTerminal refuses to draw the TUI into a pipe or file.
func needTerminal(e env) error {
	if isTerminal(e.stdin) && isTerminal(e.stdout) {
		return nil
	}
	return errors.New("the terminal UI needs a terminal (stdin and stdout are not both one): " +
		"in scripts and pipes use `ccecert status` or `ccecert list`; `ccecert --help` lists every command")
}

func isTerminal(v any) bool {
	f, ok := v.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// tuiOptions are the TUI's options from the app's config and environment.
func tuiOptions(a *app) ui.Options {
	return ui.Options{
		Now:            a.env.now,
		Location:       time.Local,
		Demo:           a.paths.Demo,
		Account:        accountLabel(a.paths.Demo, a.env.getenv),
		Regions:        regionsLabel(a.cfg.Regions),
		Profile:        shownProfile(a),
		Thresholds:     a.cfg.Thresholds,
		StaleAfter:     a.cfg.InventoryStale,
		KubeconfigPath: a.engine.Kubeconfig,
		Home:           a.env.getenv("HOME"),
		Mode:           a.cfg.Mode,
		NoColor:        a.g.noColor || a.env.getenv("NO_COLOR") != "",
		Live:           liveEvery,
		NoKeys:         noKeys(a),
	}
}

// noKeys is why no cloud call can work, or "": without an access key in
// the environment, the cloud client is built (as the first call would) to
// learn whether anything else provides one. With keys in the environment,
// or in the demo, nothing is built before the first frame.
func noKeys(a *app) string {
	if a.paths.Demo || a.engine.Cloud == nil {
		return ""
	}
	if _, err := api.ConfigFromEnv(a.env.getenv); err == nil {
		return ""
	}
	if _, err := a.engine.Cloud(); err != nil {
		return err.Error()
	}
	return ""
}

// accountLabel names the account in the header without any secret: the
// access key id's first four characters, and the endpoint's host when it is
// overridden (an emulator).
func accountLabel(demo bool, getenv func(string) string) string {
	if demo {
		return "demo"
	}
	ak := strings.TrimSpace(getenv(api.EnvAK))
	label := "no access key"
	if ak != "" {
		label = "AK " + string([]rune(ak)[:min(4, len([]rune(ak)))]) + "…"
	}
	if ep := strings.TrimSpace(getenv(api.EnvEndpoint)); ep != "" {
		if u, err := url.Parse(ep); err == nil && u.Host != "" {
			label += " @ " + u.Host
		}
	}
	return label
}

// regionsLabel is "all", one region, or the first and how many more.
func regionsLabel(regions []string) string {
	switch len(regions) {
	case 0:
		return "all regions"
	case 1:
		return regions[0]
	}
	return fmt.Sprintf("%s,+%d", regions[0], len(regions)-1)
}

// shownProfile is the profile the header names: with a profiles section
// or a profile asked for, its name; else none (one profile, the default).
func shownProfile(a *app) string {
	if len(a.all.Profiles) == 0 && !a.named {
		return ""
	}
	return a.profile.Name
}
