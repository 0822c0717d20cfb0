package ui

import (
	"slices"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
)

// tableLines are the table's lines on screen: the header and its rows, left
// of the side pane.
func tableLines(m Model) []string {
	lines := strings.Split(screen(m), "\n")[3:]
	lines = lines[:min(len(lines), m.layout.tableH)]
	for i, l := range lines {
		if m.layout.side {
			l, _, _ = strings.Cut(l, "│")
		}
		lines[i] = l
	}
	return lines
}

// TestRoomForWhatMatters: from 120 columns no name, context or countdown
// is cut on any page (paths shrink from the left, "…/kubeconfig"; a list of contexts may end "+N", every name in it
// whole); at 80×24 every page still shows the target, the context, the
// time left and the health; at 50, the health stays and the columns keep
// their order.
func TestRoomForWhatMatters(t *testing.T) {
	clock := testNow
	for _, size := range [][2]int{{120, 40}, {200, 50}} {
		m := loaded(t, newFake(), &clock, size[0], size[1])
		for _, page := range []string{"1", "2", "3"} {
			m = press(t, m, page)
			for _, l := range tableLines(m) {
				if strings.Contains(strings.ReplaceAll(l, "…/", ""), "…") { // paths shrink from the left
					t.Errorf("%dx%d page %s: cut: %q", size[0], size[1], page, l)
				}
			}
		}
	}
	m := loaded(t, newFake(), &clock, 80, 24)
	want := map[string][]string{
		"1": {"NAME", "CONTEXT", "CERTIFICATE", "legacy-batch-internal", "EXPIRED 3d ago"},
		"2": {"NAME", "CONTEXT", "CERTIFICATE", "fleet-main-federation", "NO EXPIRY"},
		"3": {"TARGET", "CONTEXT", "REMAINING", "HEALTH", "legacy-batch-internal", "expired 3d ago", "EXPIRED"},
	}
	for page, words := range want {
		m = press(t, m, page)
		v := strings.Join(tableLines(m), "\n")
		for _, w := range words {
			if !strings.Contains(v, w) {
				t.Errorf("80x24 page %s: no %q:\n%s", page, w, v)
			}
		}
	}
	m = resize(press(t, m, "3"), 50, 24)
	head := tableLines(m)[0]
	if !strings.Contains(head, "HEALTH") || strings.Index(head, "REMAINING") > strings.Index(head, "HEALTH") {
		t.Errorf("50 columns: header %q, want REMAINING then HEALTH", head)
	}
	if row := tableLines(m)[1]; !strings.HasSuffix(strings.TrimSpace(row), "EXPIRED") {
		t.Errorf("50 columns: the health cut off: %q", row)
	}
}

// TestShortNamesAreNotPadded: a column is as wide as its widest cell, not
// a share of the terminal.
func TestShortNamesAreNotPadded(t *testing.T) {
	clock := testNow
	m := loaded(t, newFake(), &clock, 120, 40)
	head := tableLines(m)[0]
	// NAME holds "legacy-batch" and the 19-cell sanitized evil name.
	if got := strings.Index(head, "REGION") - strings.Index(head, "NAME"); got != 20 {
		t.Errorf("NAME is %d wide: %q", got-1, head)
	}
}

// TestSidePaneTakesWhatTheTableLeaves: on a wide terminal the side pane
// grows into the room the active page's table does not need, and gives it
// back on a page whose table needs it.
func TestSidePaneTakesWhatTheTableLeaves(t *testing.T) {
	clock := testNow
	m := loaded(t, newFake(), &clock, 200, 50)
	if !m.layout.side || m.layout.detailW != sideMaxWidth {
		t.Fatalf("clusters: side %v, pane %d wide, want %d", m.layout.side, m.layout.detailW, sideMaxWidth)
	}
	if d := detailOf(m); !strings.Contains(d, "cert      EXPIRED 3d ago · d4e5f6a7 · legacy-batch-internal · 1 on file") {
		t.Fatalf("the wider pane still wraps:\n%s", d)
	}
	m = press(t, m, "3")
	if need := m.page().table.Natural(); m.layout.detailW != max(sideWidth, 200-need) || m.layout.tableW+m.layout.detailW != 200 {
		t.Fatalf("credentials: table %d (needs %d), pane %d", m.layout.tableW, need, m.layout.detailW)
	}
	for _, l := range tableLines(m) {
		if strings.Contains(strings.ReplaceAll(l, "…/", ""), "…") {
			t.Fatalf("credentials cut: %q", l)
		}
	}
}

// TestNoKeysWithCredentialsOnFile: without keys but with credentials on
// file the pages show them; an empty page does not offer ctrl+r, which
// says why it cannot refresh; the status line says what is missing.
func TestNoKeysWithCredentialsOnFile(t *testing.T) {
	clock := testNow
	f := newFake()
	f.inv = Inventory{}
	o := testOptions(&clock)
	o.NoKeys = noKeysErr
	m := New(f, o)
	m.ticker = noTick
	m, _ = update(m, tea.WindowSizeMsg{Width: 120, Height: 40})
	m = drive(t, m, m.Init())
	v := screen(m)
	if m.firstRun() || !strings.Contains(v, "nothing listed, and no access key to list with") || strings.Contains(v, "ctrl+r lists") {
		t.Fatalf("clusters without keys:\n%s", v)
	}
	if !strings.Contains(statusLine(m), "no access key: what is on file only") {
		t.Fatalf("status %q", statusLine(m))
	}
	if m = press(t, m, "3"); !strings.Contains(screen(m), "legacy-batch-internal") {
		t.Fatalf("credentials on file not shown:\n%s", screen(m))
	}
	m = press(t, m, "ctrl+r")
	if got := statusLine(m); !strings.Contains(got, "refresh: no access key") || slices.Contains(f.calls, "Refresh") {
		t.Fatalf("ctrl+r: %q, calls %v", got, f.calls)
	}
}

// TestConfirmDialogWrapsItsLines: at 80 columns the revoke dialog wraps
// what it asks about instead of cutting it.
func TestConfirmDialogWrapsItsLines(t *testing.T) {
	clock := testNow
	m := filtered(t, press(t, loaded(t, newFake(), &clock, 80, 24), "3"), "id:a1b2c3d4")
	m = press(t, m, "x")
	v := screen(m)
	box := strings.NewReplacer("│", "", "╭", "", "╮", "", "╰", "", "╯", "", "─", "").Replace(v)
	joined := squashSpaces(box)
	dialogCut := false // the header may shorten itself; the dialog must not
	for _, line := range strings.Split(v, "\n") {
		dialogCut = dialogCut || strings.HasPrefix(strings.TrimSpace(line), "│") && strings.Contains(line, "…")
	}
	if dialogCut || !strings.Contains(joined, squashSpaces("Credential a1b2c3d4 of prod-web (cn-north-4), contexts prod-web-internal, prod-web-external.")) {
		t.Fatalf("revoke dialog:\n%s", v)
	}
}
