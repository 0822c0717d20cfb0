package api

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain fails the package if any test leaves a goroutine behind: every
// call must return, and release its request, when its context ends.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
