package emulator

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if any goroutine (a listener, a handler, a
// hanging request) outlives the servers the tests closed.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
