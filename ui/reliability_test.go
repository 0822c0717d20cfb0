package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"ccecert/api"
	"ccecert/store"
)

// relHostile is a cluster name a hostile or broken cloud could send: a CSI
// colour, an OSC 52 clipboard write, a title change, a C1 CSI and a bidi
// override.
const relHostile = "\x1b[31mred\x1b]52;c;ZXZpbA==\x07\x1b]0;pwned\x07\u009b2J\u202eevil"

// relHostileFake is the fake backend with a hostile-named cluster, its
// credential, a credential whose NotBefore lies ahead (clock skew) and a
// region error carrying escapes.
func relHostileFake() *fakeBackend {
	f := newFake()
	evil := api.Target{Kind: api.KindCCE, ID: "c-hostile", Name: relHostile, Region: "cn-north-4", ProjectID: "p-cn-north-4",
		Version: "v1.31", Phase: api.PhaseAvailable, Endpoints: api.Endpoints{Internal: "https://192.168.0.99:5443"}}
	f.inv.Targets = append(f.inv.Targets, evil)
	c := newCred("9e9e9e9e", evil, testNow.Add(-day), testNow.Add(200*day))
	c.Kubeconfig = "/tmp/\x1b]52;c;ZXZpbA==\x07kubeconfig"
	skewed := newCred("5k5k5k5k", f.inv.Targets[1], testNow.Add(2*time.Hour), testNow.Add(90*day))
	f.creds = []store.Credential{c, skewed}
	f.inv.Errors = []api.RegionError{{Region: "cn-east-3", Kind: api.KindCCE, Err: errors.New("list failed: \x1b[2J\x1b]52;c;ZXZpbA==\x07 boom")}}
	return f
}

// relAssertInert fails when the raw view holds any escape sequence (the
// test profile is plain ASCII, so the view has none of its own) or C1/bidi
// control.
func relAssertInert(t *testing.T, where, raw string) {
	t.Helper()
	for _, bad := range []string{"\x1b", "\a", "\u009b", "\u202e"} {
		if strings.Contains(raw, bad) {
			t.Fatalf("%s: %q reached the screen:\n%q", where, bad, raw)
		}
	}
}

func TestReliabilityHostileNamesAreInertOnEveryScreen(t *testing.T) {
	clock := testNow
	m := loaded(t, relHostileFake(), &clock, 160, 48)
	// Each step shows the hostile name (made visible as U+FFFD) somewhere.
	steps := []struct {
		name string
		keys []string
	}{
		{"clusters table and detail", []string{"/", "red", "enter"}},
		{"fetch dialog", []string{"f"}},
		{"credentials table and detail", []string{"esc", "3", "down"}},
		{"revoke confirmation", []string{"x"}},
	}
	for _, st := range steps {
		m = press(t, m, st.keys...)
		raw := m.View()
		relAssertInert(t, st.name, raw)
		if !strings.Contains(raw, "\uFFFD]52;c;") {
			t.Fatalf("%s: the hostile name is not on screen:\n%s", st.name, screen(m))
		}
	}
	m = press(t, m, "esc", "?")
	relAssertInert(t, "help", m.View())
	m = press(t, m, "?", "1")
	for _, sz := range [][2]int{{80, 24}, {40, 10}} {
		m = resize(m, sz[0], sz[1])
		relAssertInert(t, "small terminal", m.View())
	}
}

func TestReliabilityNotYetValidIsFlaggedNotOK(t *testing.T) {
	clock := testNow
	m := loaded(t, relHostileFake(), &clock, 160, 48)
	m = press(t, m, "3")
	row := func() string {
		for _, line := range strings.Split(screen(m), "\n") {
			if strings.HasPrefix(strings.TrimLeft(line, "> "), "prod-api ") {
				return line
			}
		}
		t.Fatalf("no table row for the skewed credential:\n%s", screen(m))
		return ""
	}
	if r := row(); !strings.Contains(r, "NOT YET") || strings.Contains(r, " OK ") {
		t.Fatalf("credential with NotBefore 2h ahead: row %q, want NOT YET and never OK", r)
	}
	// Once the clock passes NotBefore the same credential is OK.
	clock = testNow.Add(3 * time.Hour)
	m, _ = update(m, tickMsg{gen: m.requests.tickGen})
	if r := row(); strings.Contains(r, "NOT YET") || !strings.Contains(r, " OK ") {
		t.Fatalf("after NotBefore: row %q, want OK", r)
	}
}

func resize(m Model, w, h int) Model {
	m, _ = update(m, tea.WindowSizeMsg{Width: w, Height: h})
	return m
}
