package ui

import (
	"testing"
)

// TestCursorStaysOnTopUntilMoved: credentials arriving after the inventory
// re-sort the clusters; the cursor stays on the first (most urgent) row
// until the operator moves it, and from then on follows its cluster.
func TestCursorStaysOnTopUntilMoved(t *testing.T) {
	clock := testNow
	f := newFake()
	f.creds[0].NotAfter = testNow.Add(-4 * day) // prod-web: expired, the most urgent
	m := loaded(t, f, &clock, 120, 30)          // inventory first (legacy-batch on top by name), then credentials
	if c, sel := m.page().table.Cursor(), selectedName(m); c != 0 || sel != "prod-web" {
		t.Fatalf("after loading: cursor %d on %s; want row 0, prod-web", c, sel)
	}

	m = press(t, m, "down", "down") // legacy-batch, staging-auto
	if sel := selectedName(m); sel != "staging-auto" {
		t.Fatalf("after moving: %s selected", sel)
	}
	f.mu.Lock()
	f.creds[0].NotAfter = testNow.Add(65 * day) // prod-web sorts down again
	f.mu.Unlock()
	m = drive(t, m, m.reloadCredentials())
	if c, sel := m.page().table.Cursor(), selectedName(m); c != 1 || sel != "staging-auto" {
		t.Fatalf("after a reload: cursor %d on %s; want the moved-to staging-auto, now on row 1", c, sel)
	}
}

// selectedName is the selected target's name, or "nothing".
func selectedName(m Model) string {
	if t := m.selectedTarget(); t != nil {
		return t.name
	}
	return "nothing"
}
