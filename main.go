// Command ccecert manages Kubernetes client certificates for Huawei Cloud CCE
// clusters and UCS fleets: a Bubble Tea TUI, a scriptable CLI and a kubectl
// exec credential plugin, all on one engine.
//
// This file is the wiring: it builds what the CLI (package ui/cli) needs and
// hands it over. The emulator is wired here and only here, so the product
// reaches it in --demo mode and through `ccecert emulator serve`, never
// otherwise.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"

	"ccecert/api/emulator"
	"ccecert/store"
	"ccecert/ui/cli"
)

// version and date are set by a release build:
// -ldflags "-X main.version=v1.2.3 -X main.date=2026-12-03T07:00:00Z".
var version, date = "dev", ""

func main() {
	if cli.IsDemoShell(os.Args[1:]) { // its signals go to the shell it opens
		os.Exit(cli.RunDemoShell(deps(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	ctx, interrupted := interruptible()
	code := cli.Run(ctx, deps(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	if sig := interrupted(); sig != 0 {
		code = 128 + sig // the shell's convention: 130 for SIGINT, 143 for SIGTERM
	}
	os.Exit(code)
}

// interruptible is a context that ends at the first SIGINT or SIGTERM, so
// a command stops cleanly: the write in progress finishes or rolls back
// and its lock and temp files are removed. A second signal kills the
// process as usual. interrupted reports the signal's number, or 0.
func interruptible() (ctx context.Context, interrupted func() int) {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	var got atomic.Int32
	go func() {
		sig := <-sigs
		signal.Stop(sigs)
		if s, ok := sig.(syscall.Signal); ok {
			got.Store(int32(s))
		}
		cancel()
	}()
	return ctx, func() int { return int(got.Load()) }
}

// deps are the CLI's dependencies as the product binary has them.
func deps() cli.Deps {
	return cli.Deps{Version: version, BuildDate: date, DemoCloud: demoCloud, ServeEmulator: serveEmulator}
}

// demoCloud starts the emulator of --demo with the demo inventory, on
// loopback, keeping its CAs, ports and issued certificates in the demo
// data dir (or joins the one another ccecert --demo serves from there).
func demoCloud(ctx context.Context, dataDir string) ([]string, func() error, error) {
	return emulator.StartWithCA(ctx, emulator.Options{}, dataDir)
}

// emulatorOptions turns the serve command's flags into the emulator's
// options, reading the inventory file if one is named.
func emulatorOptions(o cli.EmulatorOptions) (emulator.Options, error) {
	opts := emulator.Options{
		Addr:     o.Addr,
		Clusters: o.Clusters,
		Regions:  o.Regions,
		Faults:   emulator.Faults{Latency: o.Latency, Jitter: o.Jitter, ErrorRate: o.ErrorRate, HangRegions: o.HangRegions},

		Site: o.Site, International: o.International, Proxy: o.Proxy, ProxyAddr: o.ProxyAddr,
		Network: emulator.NetModel{RTT: o.RTT, TLSRoundTrips: o.TLSRoundTrips},
	}
	if o.Inventory != "demo" && o.Clusters == 0 {
		data, err := store.ReadLocalFile(o.Inventory, store.MaxInventorySize)
		if err != nil {
			return opts, fmt.Errorf("read inventory: %w (give a YAML/JSON file or \"demo\")", err)
		}
		inv, err := emulator.LoadInventory(data)
		if err != nil {
			return opts, fmt.Errorf("inventory %s: %w", o.Inventory, err)
		}
		opts.Inventory = inv
	}
	return opts, nil
}

// serveEmulator runs the emulator until ctx ends or a SIGINT/SIGTERM,
// after printing the environment that points ccecert at it.
func serveEmulator(ctx context.Context, o cli.EmulatorOptions, out io.Writer) error {
	opts, err := emulatorOptions(o)
	if err != nil {
		return err
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
	environ := srv.Env(caFile)
	if o.Proxy {
		environ = srv.ProxyEnv(caFile)
	}
	var b strings.Builder
	for _, kv := range environ {
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
