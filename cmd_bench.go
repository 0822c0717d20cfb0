package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// benchFlags are the flags of `ccecert bench`.
type benchFlags struct {
	runs    int
	execs   int
	idle    time.Duration
	skipTUI bool
	keep    bool
}

// newBenchCmd is `ccecert bench`: every performance target of the design
// measured in one run, on loopback, as a table.
func newBenchCmd() *cobra.Command {
	var f benchFlags
	cmd := &cobra.Command{
		Use:   "bench",
		Short: "Measure ccecert against its performance targets, on loopback only (about 100 s)",
		Long: `Measure ccecert against its performance targets (DESIGN §8) and print a table:
inventory of 1,000 clusters in 30 regions and a bulk renew of 100 credentials at
100 ms per request (against an in-process emulator on 127.0.0.1), a merge into a
kubeconfig of 500 contexts, status over 10,000 credentials, this binary as an
exec plugin against its start-up, ` + "`ccecert list --refresh --kind cce`" + ` as a
process, the TUI's first frame from a cache of 1,000 clusters and 10,000
credentials, and its idle CPU in tmux (a pty of its own without tmux) beside
a one-line clock measured over the same window.

Each figure is compared with one taken in the same run (sequential calls,
` + "`ccecert version`" + `, the clock), so a busy machine shifts both. Everything lives in a temp dir
removed at the end; the operator's config, data, keyring and kubeconfig are
never read or written.`,
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			return runBench(ctx, f, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.AddCommand(newBenchClockCmd())
	fl := cmd.Flags()
	fl.IntVar(&f.runs, "runs", 5, "runs of each timed scenario (the median is shown)")
	fl.IntVar(&f.execs, "execs", 20, "runs of each subprocess measurement")
	fl.DurationVar(&f.idle, "idle", 30*time.Second, "how long to watch the idle TUI's CPU")
	fl.BoolVar(&f.skipTUI, "skip-tui", false, "skip the first-frame and idle measurements")
	fl.BoolVar(&f.keep, "keep", false, "keep the temp dir (stores, kubeconfigs) and print where it is")
	return cmd
}

// runBench runs every scenario, one after another, and prints the table;
// a scenario that fails is reported as not measured and the others go on.
func runBench(ctx context.Context, f benchFlags, out, errw io.Writer) error {
	if f.runs < 1 || f.execs < 1 || f.idle <= 0 {
		return fmt.Errorf("--runs and --execs must be at least 1 and --idle positive")
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("bench: find this binary: %w", err)
	}
	dir, err := os.MkdirTemp("", "ccecert-bench-*")
	if err != nil {
		return fmt.Errorf("bench: create a temp dir: %w", err)
	}
	if f.keep {
		fmt.Fprintln(errw, "bench: keeping", dir)
	} else {
		defer os.RemoveAll(dir)
	}
	start, loadBefore := time.Now(), loadAverage()
	b := &benchRun{errw: errw}
	b.step("inventory", "≤ 0.40 s, ≥ 7×", func() ([]benchFigure, error) { return benchInventory(ctx, dir, f.runs) })
	b.step("ccecert list", "≥ 7×", func() ([]benchFigure, error) { return benchListCLI(ctx, exe, dir, f.runs) })
	b.step("bulk renew", "≤ 2 s", func() ([]benchFigure, error) { return benchRenew(ctx, dir, max(1, f.runs/2)) })
	b.step("kubeconfig merge", "-", func() ([]benchFigure, error) { return benchMerge(dir, 2*f.runs) })
	big, small, err := benchHomes(ctx, dir, errw)
	if err != nil {
		b.figs = append(b.figs, notMeasured("status, exec plugin, TUI", "-", err))
	} else {
		b.step("status", "-", func() ([]benchFigure, error) { return benchStatus(ctx, big, f.runs) })
		b.step("exec plugin", "≤ 2× version", func() ([]benchFigure, error) { return benchExec(ctx, exe, big, f.execs) })
		if !f.skipTUI {
			b.step("TUI first frame", "< 150 ms", func() ([]benchFigure, error) {
				first, creds, err := benchFirstFrame(exe, big, f.runs)
				return []benchFigure{
					figure("TUI first frame, cache of 1,000 clusters/10,000 credentials", ms(first), "ms", "< 150 ms", first < 150*time.Millisecond),
					info("TUI frame with the 10,000 credentials' countdowns", ms(creds), "ms"),
				}, err
			})
			term := idleTerminal()
			b.step("TUI idle CPU", "< 1 %", func() ([]benchFigure, error) {
				pct, floor, err := benchIdle(exe, small, term, f.idle, idleSeconds, true)
				figs := []benchFigure{
					figure(fmt.Sprintf("TUI idle CPU in %s over %s, 1,000 credentials, seconds on screen", term.name, f.idle), pct, "%", "< 1 % of a core", pct < 1),
					info("floor: a Go one-line clock (`bench clock`), same window", floor, "%"),
				}
				if floor > 0 {
					figs = append(figs, info("TUI idle CPU over the floor's", pct/floor, "x"))
				}
				return figs, err
			})
			b.step("TUI idle CPU, minutes", "-", func() ([]benchFigure, error) {
				pct, _, err := benchIdle(exe, small, term, f.idle, idleMinutes, false)
				return []benchFigure{info(fmt.Sprintf("TUI idle CPU in %s over %s, nothing under an hour on screen", term.name, f.idle), pct, "%")}, err
			})
		}
	}
	fmt.Fprintf(out, "ccecert bench (%s, %s/%s, %d CPUs): load average %s before, %s after; %s in all\n\n",
		version, runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), loadBefore, loadAverage(), time.Since(start).Round(time.Second))
	return writeBenchTable(out, b.figs)
}

// benchRun collects the figures of a run.
type benchRun struct {
	errw io.Writer
	figs []benchFigure
}

// step runs one scenario; its error becomes a "not measured" row.
func (b *benchRun) step(name, target string, fn func() ([]benchFigure, error)) {
	fmt.Fprintf(b.errw, "bench: %s…\n", name)
	figs, err := fn()
	if err != nil {
		b.figs = append(b.figs, notMeasured(name, target, err))
		return
	}
	b.figs = append(b.figs, figs...)
}

// benchHomes seeds the two caches: 1,000 clusters with 10,000 credentials
// (status, exec plugin, first frame) and with 1,000 (idle). Not timed.
func benchHomes(ctx context.Context, dir string, errw io.Writer) (big, small benchHome, err error) {
	fmt.Fprintln(errw, "bench: seeding caches of 1,000 clusters with 10,000 and 1,000 credentials (not timed)…")
	if big, err = newBenchHome(dir, "home-10k"); err != nil {
		return big, small, err
	}
	if small, err = newBenchHome(dir, "home-1k"); err != nil {
		return big, small, err
	}
	now := time.Now()
	if err = seedBench(ctx, big, 1000, 10_000, now); err != nil {
		return big, small, err
	}
	return big, small, seedBench(ctx, small, 1000, 1000, now)
}

// loadAverage is the 1, 5 and 15 minute load averages, or "n/a".
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "n/a"
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return "n/a"
	}
	return strings.Join(f[:3], " ")
}
