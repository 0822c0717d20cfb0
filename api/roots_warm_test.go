package api

import (
	"errors"
	"testing"
)

// The roots load starts once every connection being opened has started
// its handshake, or failed to dial; not before, and once a process
// (warmSystemRoots is a sync.OnceFunc; here each quiet moment counts).
func TestRootsWarmOnceEveryOpeningConnectionIsAtItsHandshake(t *testing.T) {
	warmed := 0
	w := &rootsWarmer{warm: func() { warmed++ }}
	for range 3 {
		w.connectStart("tcp", "proxy:3128")
	}
	w.tlsStart()
	w.connectDone("tcp", "proxy:3128", errors.New("refused"))
	w.connectDone("tcp", "proxy:3128", nil) // dialed: its handshake is still to come
	if warmed != 0 {
		t.Fatalf("warmed with a connection still before its handshake (%d)", warmed)
	}
	w.tlsStart()
	if warmed != 1 {
		t.Fatalf("not warmed when the last connection started its handshake (%d)", warmed)
	}
	w.tlsStart() // a handshake with no dial of its own seen
	if warmed != 2 {
		t.Fatalf("a handshake with none opening did not warm (%d)", warmed)
	}
}
