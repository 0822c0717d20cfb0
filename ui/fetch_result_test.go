package ui

import (
	"errors"
	"strings"
	"testing"
	"time"

	"ccecert/store"
)

// statusLine is the screen's status line.
func statusLine(m Model) string {
	lines := strings.Split(screen(m), "\n")
	return lines[len(lines)-2]
}

// fetchFor opens the fetch dialog on the cluster named name and submits
// it as it opens.
func fetchFor(t *testing.T, m Model, name string) Model {
	t.Helper()
	m = press(t, m, "1", "/")
	m = typeText(t, m, name)
	return press(t, m, "enter", "f", "enter")
}

// TestFetchWarningsShown: the engine's warnings reach the status line and,
// in full, the new credential's detail pane.
func TestFetchWarningsShown(t *testing.T) {
	clock := testNow
	f := newFake()
	warning := "legacy-batch is older than v1.13: its certificate came from the legacy API, so the validity is the cluster's own (until 2027-03-01 12:00 UTC), not the one asked for"
	f.fetchWarn = []string{warning}
	m := fetchFor(t, loaded(t, f, &clock, 80, 24), "legacy-batch")
	if c := m.selectedCred(); c == nil || c.cred.ID != "f1e2d3c4" {
		t.Fatalf("the new credential is not selected:\n%s", screen(m))
	}
	if s := statusLine(m); !strings.HasPrefix(s, "⚠ fetched f1e2d3c4 for legacy-batch") || !strings.HasSuffix(m.status.text, "— "+warning) {
		t.Fatalf("status line %q (%q): want the fetch marked ⚠, with its warning", s, m.status.text)
	}
	if d := detailOf(m); !strings.Contains(squashSpaces(d), squashSpaces("⚠ "+warning)) {
		t.Fatalf("the warning is not in the detail pane in full:\n%s", d)
	}
}

// TestFailedFetchReloadsCredentials: when the credential was stored but
// its kubeconfig could not be written, it is listed at once.
func TestFailedFetchReloadsCredentials(t *testing.T) {
	clock := testNow
	f := newFake()
	f.fetchErr = errors.New("write /home/op/.kube/config: permission denied (the certificate is stored as f1e2d3c4: `ccecert export f1e2d3c4` writes it elsewhere)")
	f.fetchKeeps = true
	m := fetchFor(t, loaded(t, f, &clock, 120, 30), "prod-web")
	if !strings.Contains(statusLine(m), "✗ fetch for prod-web failed") || !strings.Contains(squashSpaces(detailOf(m)), squashSpaces("✗ fetch for prod-web: write /home/op/.kube/config: permission denied")) {
		t.Fatalf("status line %q, detail\n%s\nwant the error", statusLine(m), detailOf(m))
	}
	if m.data.byID["f1e2d3c4"] == nil {
		t.Fatal("the stored credential is not listed after the failed fetch")
	}
}

// TestExpiryWording: "expires in 30d 0h", "expired 3d ago" and, for a
// token, "no expiry info" — never "expires in no expiry info".
func TestExpiryWording(t *testing.T) {
	web := testTargets()[0]
	token := newCred("t0", web, testNow, time.Time{})
	token.TokenOnly = true
	for _, tc := range []struct {
		c    store.Credential
		want string
	}{
		{newCred("a", web, testNow, testNow.Add(30*day)), "expires in 30d 0h"},
		{newCred("b", web, testNow.Add(-10*day), testNow.Add(-3*day)), "expired 3d ago"},
		{token, "no expiry info"},
	} {
		if got := expiresIn(tc.c, testNow); got != tc.want {
			t.Errorf("expiresIn(%s) = %q, want %q", tc.c.ID, got, tc.want)
		}
	}
	clock := testNow
	m := loaded(t, newFake(), &clock, 120, 30)
	m, _ = update(m, fetchedMsg{id: m.begin("fetching"), target: testTargets()[6], out: FetchOutcome{Credential: func() store.Credential {
		c := newCred("f0f0f0f0", testTargets()[6], testNow, time.Time{})
		c.TokenOnly = true
		return c
	}()}})
	if s := statusLine(m); !strings.Contains(s, "→ context fleet-main-federation, no expiry info") {
		t.Fatalf("status line after fetching a token: %q", s)
	}
}
