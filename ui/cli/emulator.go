package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"
)

// newEmulatorCmd is `ccecert emulator`, home of `serve`.
func newEmulatorCmd(e env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "emulator",
		Short: "A local Huawei Cloud (IAM, CCE, UCS, VPC) for tests and demos, on loopback only",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(newEmulatorServeCmd(e))
	return cmd
}

// EmulatorOptions are the flags of `ccecert emulator serve`, checked, for
// main to turn into the emulator's own options.
type EmulatorOptions struct {
	Addr        string
	Inventory   string // "demo" or a YAML/JSON file
	Latency     time.Duration
	Jitter      time.Duration
	ErrorRate   float64
	HangRegions []string
	Clusters    int
	Regions     int
	// Site is the site the emulator plays; International makes it Huawei
	// Cloud International. Proxy also serves the site's real host names
	// as an HTTPS proxy on ProxyAddr.
	Site          string
	International bool
	Proxy         bool
	ProxyAddr     string
	// RTT, when set, charges every new connection its TCP connect (1 RTT)
	// and TLS handshake (TLSRoundTrips RTT; 0 means 1, TLS 1.3), per host
	// in proxy mode: the emulator's NetModel.
	RTT           time.Duration
	TLSRoundTrips int
}

func newEmulatorServeCmd(e env) *cobra.Command {
	var f EmulatorOptions
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
		Args:              cobra.NoArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.check(); err != nil {
				return err
			}
			if e.deps.ServeEmulator == nil {
				return errors.New("this build has no emulator")
			}
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			return e.deps.ServeEmulator(ctx, f, cmd.OutOrStdout())
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.Addr, "addr", "127.0.0.1:0", "listen address; loopback only (127.0.0.1, ::1, localhost)")
	fl.StringVar(&f.Inventory, "inventory", "demo", `inventory: "demo" or a YAML/JSON file`)
	fl.DurationVar(&f.Latency, "latency", 0, "delay added to every API request, e.g. 100ms")
	fl.DurationVar(&f.Jitter, "jitter", 0, "random extra delay in [0, D) per API request")
	fl.Float64Var(&f.ErrorRate, "error-rate", 0, "fraction of API requests answered 500 (0..1)")
	fl.StringArrayVar(&f.HangRegions, "hang-region", nil, "region whose requests never answer (repeatable)")
	fl.IntVar(&f.Clusters, "clusters", 0, "serve N synthetic clusters instead of the inventory")
	fl.StringVar(&f.Site, "site", "huaweicloud", "site to play: huaweicloud, huaweicloud-eu or otc")
	fl.BoolVar(&f.International, "international", false, "play Huawei Cloud International (UCS at ucs-intl.myhuaweicloud.com)")
	fl.BoolVar(&f.Proxy, "proxy", false, "also serve the site's real host names as an HTTPS proxy (print HTTPS_PROXY instead of CCECERT_ENDPOINT)")
	fl.StringVar(&f.ProxyAddr, "proxy-addr", "127.0.0.1:0", "the proxy's listen address; loopback only")
	fl.DurationVar(&f.RTT, "rtt", 0, "round trip charged per new connection for its TCP connect and TLS handshake (per host with --proxy), e.g. 100ms")
	fl.IntVar(&f.TLSRoundTrips, "tls-round-trips", 1, "round trips of a TLS handshake with --rtt: 1 (TLS 1.3) or 2 (TLS 1.2)")
	fl.IntVar(&f.Regions, "regions", 1, "spread the synthetic clusters over M regions (with --clusters)")
	_ = cmd.RegisterFlagCompletionFunc("inventory", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"demo\tthe built-in demo inventory"}, cobra.ShellCompDirectiveDefault // or a file
	})
	_ = cmd.RegisterFlagCompletionFunc("addr", cobra.FixedCompletions([]string{"127.0.0.1:0", "[::1]:0"}, cobra.ShellCompDirectiveNoFileComp))
	for _, name := range []string{"latency", "rtt", "tls-round-trips", "jitter", "error-rate", "hang-region", "clusters", "regions"} {
		_ = cmd.RegisterFlagCompletionFunc(name, cobra.NoFileCompletions)
	}
	return cmd
}

// check refuses flag values the emulator cannot serve.
func (o EmulatorOptions) check() error {
	switch {
	case o.ErrorRate < 0 || o.ErrorRate > 1:
		return fmt.Errorf("--error-rate %g: use a fraction between 0 and 1", o.ErrorRate)
	case o.Latency < 0 || o.Jitter < 0:
		return errors.New("--latency and --jitter must not be negative")
	case o.RTT < 0 || o.TLSRoundTrips < 0 || o.TLSRoundTrips > 2:
		return errors.New("--rtt must not be negative and --tls-round-trips must be 1 (TLS 1.3) or 2 (TLS 1.2)")
	case o.Clusters < 0 || o.Regions < 1:
		return errors.New("--clusters must be 0 or more and --regions 1 or more")
	}
	return nil
}
