package ui

import "testing"

// TestOnScreenRestoresTheTerminalOnPanic: a panic in the model's Update or
// View puts the terminal back before Bubble Tea prints it, and a normal
// call does not.
func TestOnScreenRestoresTheTerminalOnPanic(t *testing.T) {
	restored := 0
	s := &onScreen{restore: func() { restored++ }}
	s.guard(func() {})
	if restored != 0 {
		t.Fatalf("restored %d times after a normal call", restored)
	}
	func() {
		defer func() {
			if r := recover(); r != "boom" {
				t.Errorf("the panic did not go on to Bubble Tea: recovered %v", r)
			}
		}()
		s.guard(func() { panic("boom") })
	}()
	if restored != 1 {
		t.Fatalf("restored %d times after a panic, want 1", restored)
	}
}
