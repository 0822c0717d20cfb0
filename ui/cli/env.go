package cli

import (
	"context"
	"io"
	"time"

	"ccecert/api"
	"ccecert/api/keysource"
)

// env is the process environment, injectable for tests: the seam through
// which every command reads variables, the clock and its streams.
type env struct {
	getenv func(string) string
	now    func() time.Time
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	deps   Deps
	// keys, when set, builds a profile's credential source in place of
	// keysource.Opener (tests: one emulator account per profile).
	keys func(profile string, spec keysource.Spec) (api.KeySource, error)
}

// Deps are what main wires in. The emulator lives behind them: the product
// reaches it only in --demo mode and through `ccecert emulator serve`, and
// this package never imports it.
type Deps struct {
	// Version is what `ccecert version` prints and the SDK's user agent carries.
	Version string
	// BuildDate is when a release build was made (-ldflags "-X
	// main.date=..."); empty otherwise.
	BuildDate string
	// DemoCloud starts the local cloud of --demo, writes its CA into dataDir
	// and returns the environment that points the cloud client at it
	// (CCECERT_ENDPOINT, CCECERT_CA_FILE and the keys, as NAME=value) and
	// a function that stops it.
	DemoCloud func(ctx context.Context, dataDir string) (environ []string, stop func() error, err error)
	// ServeEmulator serves `ccecert emulator serve` until ctx ends or the
	// process is interrupted, printing its environment on out.
	ServeEmulator func(ctx context.Context, opts EmulatorOptions, out io.Writer) error
}
