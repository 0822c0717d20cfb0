package cli

import (
	"context"

	"ccecert/api/emulator"
)

// testDeps wire the real emulator into in-process runs, as main does for
// the binary (main's wiring has its own tests in the root package).
var testDeps = Deps{Version: "test", DemoCloud: testDemoCloud}

// testDemoCloud is main's demoCloud: the emulator with the demo inventory.
func testDemoCloud(ctx context.Context, dataDir string) ([]string, func() error, error) {
	return emulator.StartWithCA(ctx, emulator.Options{}, dataDir)
}
