//go:build !unix

package emulator

// lockServe always serves here: without flock, each process runs its own
// kept emulator (a second one while the first runs gets other ports).
func lockServe(string) (release func(), held bool, err error) { return func() {}, true, nil }

// processAlive cannot tell here; nothing calls it without lockServe's
// "held by another".
func processAlive(int) bool { return false }
