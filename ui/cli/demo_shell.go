package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
)

// demoPrompt is what the demo shell's prompt starts with.
const demoPrompt = "(ccecert demo) "

// IsDemoShell reports whether args ask for `ccecert --demo shell`: --demo
// among the flags and "shell" the first word that is not a flag. main runs
// it with RunDemoShell, outside the usual interrupt handling, since the
// signals belong to the shell.
func IsDemoShell(args []string) bool {
	demo, first := false, ""
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			i = len(args)
		case a == "--demo" || a == "--demo=true":
			demo = true
		case a == "--config" || a == "--kubeconfig":
			i++ // its value
		case strings.HasPrefix(a, "-"):
		case first == "":
			first = a
		}
	}
	return demo && first == "shell"
}

// RunDemoShell runs `ccecert --demo shell` with the process environment
// and returns the exit code: the shell's own, or 128+N when a signal N
// ended it.
func RunDemoShell(d Deps, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := env{getenv: os.Getenv, now: time.Now, stdin: stdin, stdout: stdout, stderr: stderr, deps: d}
	g := &globalFlags{}
	root := &cobra.Command{Use: "ccecert", SilenceUsage: true, SilenceErrors: true}
	g.register(root)
	code := 0
	root.AddCommand(&cobra.Command{
		Use:   "shell",
		Short: "Open $SHELL on the demo: kubectl reaches the demo's clusters until you leave it",
		Long: "ccecert --demo shell starts the demo emulator and opens $SHELL (else /bin/sh) with\n" +
			"KUBECONFIG set to the demo kubeconfig, a prompt that starts with \"" + demoPrompt + "\" and\n" +
			"`ccecert` meaning `ccecert --demo`. Leaving the shell stops the emulator.",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var err error
			code, err = runDemoShell(cmd.Context(), g, e)
			return err
		},
	})
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	if err := root.ExecuteContext(context.Background()); err != nil {
		fmt.Fprintln(stderr, "ccecert:", inertLines(errorText(err)))
		return 1
	}
	return code
}

// runDemoShell opens the demo (seeded, its emulator started or joined),
// runs the shell on it until it exits and stops the emulator.
func runDemoShell(ctx context.Context, g *globalFlags, e env) (int, error) {
	g.demo = true
	a, err := openApp(ctx, g, e)
	if err != nil {
		return 1, err
	}
	defer a.close()
	sh, err := prepareDemoShell(a.paths.DataDir, e.getenv)
	if err != nil {
		return 1, err
	}
	cmd := exec.Command(sh.path, sh.args...)
	cmd.Env = demoShellEnv(os.Environ(), a.engine.Kubeconfig, sh) // the demo kubeconfig, unless --kubeconfig named another
	cmd.Stdin, cmd.Stdout, cmd.Stderr = e.stdin, e.stdout, e.stderr
	fmt.Fprint(e.stderr, demoShellBanner(a.paths.DataDir, a.engine.Kubeconfig))
	return runForwardingSignals(cmd)
}

// runForwardingSignals runs cmd and returns its exit code. Signals sent to
// ccecert go to the shell: SIGINT and SIGQUIT as they are (an interactive
// shell at its prompt ignores them, as it ignores ctrl+c typed there);
// SIGTERM and SIGHUP as SIGHUP, which ends an interactive shell as a
// closed terminal does (it passes SIGHUP on to its jobs), where SIGTERM
// would be ignored.
func runForwardingSignals(cmd *exec.Cmd) (int, error) {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	defer signal.Stop(sigs)
	if err := cmd.Start(); err != nil {
		return 1, fmt.Errorf("start the demo shell %s: %w", cmd.Path, err)
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case s := <-sigs:
				if s == syscall.SIGTERM {
					s = syscall.SIGHUP
				}
				_ = cmd.Process.Signal(s)
			case <-done:
				return
			}
		}
	}()
	err := cmd.Wait()
	close(done)
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal()), nil
		}
		return ee.ExitCode(), nil
	}
	if err != nil {
		return 1, fmt.Errorf("the demo shell: %w", err)
	}
	return 0, nil
}

// demoShellBanner says where everything is, what to try, and who serves.
func demoShellBanner(dataDir, kubeconfig string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "ccecert demo shell: KUBECONFIG=%s (data: %s)\n", kubeconfig, dataDir)
	b.WriteString("  try: kubectl config get-contexts; kubectl --context prod-web-internal get --raw /version; ccecert status\n")
	if pid := demoServerPID(dataDir); pid != 0 && pid != os.Getpid() {
		fmt.Fprintf(&b, "  the demo emulator runs in another ccecert (pid %d): it stops when that one ends\n", pid)
	} else {
		b.WriteString("  the demo emulator runs until you leave this shell (exit or ctrl+d)\n")
	}
	return b.String()
}

// demoServerPID is the pid of the process that serves the demo emulator
// (DIR/emulator/running.json, see api/emulator/start_dir.go), or 0.
func demoServerPID(dataDir string) int {
	data, err := os.ReadFile(filepath.Join(dataDir, "emulator", "running.json"))
	if err != nil {
		return 0
	}
	var r struct {
		PID int `json:"pid"`
	}
	_ = json.Unmarshal(data, &r)
	return r.PID
}
