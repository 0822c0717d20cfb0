package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"ccecert/api/emulator"
)

// newEmulatorCmd is `ccecert emulator`, home of `serve`.
func newEmulatorCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "emulator",
		Short: "A local Huawei Cloud (IAM, CCE, UCS, VPC) for tests and demos, on loopback only",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newEmulatorServeCmd())
	return cmd
}

// serveFlags are the flags of `ccecert emulator serve`.
type serveFlags struct {
	addr        string
	inventory   string
	latency     time.Duration
	jitter      time.Duration
	errorRate   float64
	hangRegions []string
	clusters    int
	regions     int
}

func newEmulatorServeCmd() *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the emulator until interrupted; print the environment that points ccecert at it",
		Long: `Serve the emulator until SIGINT or SIGTERM. On start it prints

  export CCECERT_ENDPOINT=https://127.0.0.1:PORT
  export CCECERT_CA_FILE=/tmp/.../emulator-ca.pem
  export CLOUD_SDK_AK=...
  export CLOUD_SDK_SK=...
  # ready

so that  eval "$(ccecert emulator serve | sed '/# ready/q')"  or a script
reading up to "# ready" points every ccecert command at the emulator. The CA
file lives in a fresh private temp dir, removed on exit.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return serveEmulator(cmd.Context(), f, cmd.OutOrStdout())
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.addr, "addr", emulator.DefaultAddr, "listen address; loopback only (127.0.0.1, ::1, localhost)")
	fl.StringVar(&f.inventory, "inventory", "demo", `inventory: "demo" or a YAML/JSON file`)
	fl.DurationVar(&f.latency, "latency", 0, "delay added to every API request, e.g. 100ms")
	fl.DurationVar(&f.jitter, "jitter", 0, "random extra delay in [0, D) per API request")
	fl.Float64Var(&f.errorRate, "error-rate", 0, "fraction of API requests answered 500 (0..1)")
	fl.StringArrayVar(&f.hangRegions, "hang-region", nil, "region whose requests never answer (repeatable)")
	fl.IntVar(&f.clusters, "clusters", 0, "serve N synthetic clusters instead of the inventory")
	fl.IntVar(&f.regions, "regions", 1, "spread the synthetic clusters over M regions (with --clusters)")
	return cmd
}

// options turns the flags into emulator options.
func (f serveFlags) options() (emulator.Options, error) {
	opts := emulator.Options{
		Addr:     f.addr,
		Clusters: f.clusters,
		Regions:  f.regions,
		Faults:   emulator.Faults{Latency: f.latency, Jitter: f.jitter, ErrorRate: f.errorRate, HangRegions: f.hangRegions},
	}
	switch {
	case f.errorRate < 0 || f.errorRate > 1:
		return opts, fmt.Errorf("--error-rate %g: use a fraction between 0 and 1", f.errorRate)
	case f.latency < 0 || f.jitter < 0:
		return opts, errors.New("--latency and --jitter must not be negative")
	case f.clusters < 0 || f.regions < 1:
		return opts, errors.New("--clusters must be 0 or more and --regions 1 or more")
	}
	if f.inventory != "demo" && f.clusters == 0 {
		data, err := os.ReadFile(f.inventory)
		if err != nil {
			return opts, fmt.Errorf("read inventory: %w (give a YAML/JSON file or \"demo\")", err)
		}
		inv, err := emulator.LoadInventory(data)
		if err != nil {
			return opts, fmt.Errorf("inventory %s: %w", f.inventory, err)
		}
		opts.Inventory = inv
	}
	return opts, nil
}

// serveEmulator runs the emulator until ctx ends or a SIGINT/SIGTERM.
func serveEmulator(ctx context.Context, f serveFlags, out io.Writer) error {
	opts, err := f.options()
	if err != nil {
		return err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	srv, err := emulator.Start(ctx, opts)
	if err != nil {
		return err
	}
	defer func() { _ = srv.Close() }()
	dir, err := os.MkdirTemp("", "ccecert-emulator-*") // mode 0700
	if err != nil {
		return fmt.Errorf("create a temp dir for the emulator CA: %w", err)
	}
	defer func() { _ = os.RemoveAll(dir) }()
	caFile, err := srv.WriteCAFile(dir)
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, kv := range srv.Env(caFile) {
		name, value, _ := strings.Cut(kv, "=")
		fmt.Fprintf(&b, "export %s=%s\n", name, shellQuote(value))
	}
	b.WriteString("# ready\n")
	if _, err := io.WriteString(out, b.String()); err != nil {
		return fmt.Errorf("print the emulator environment: %w", err)
	}
	<-ctx.Done()
	return srv.Close()
}

// shellQuote leaves plain values as they are and single-quotes the rest.
func shellQuote(v string) string {
	plain := v != "" && strings.IndexFunc(v, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/:._-+=@%,", r))
	}) < 0
	if plain {
		return v
	}
	return "'" + strings.ReplaceAll(v, "'", `'\''`) + "'"
}
