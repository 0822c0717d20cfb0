package ui

import (
	"ccecert/api"
	"ccecert/store"
	"errors"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// detailOf is the detail pane's text: the lines below the table's border
// (80 columns) or right of it (wide terminals).
func detailOf(m Model) string {
	lines := strings.Split(screen(m), "\n")
	var out []string
	below := false
	for _, l := range lines[:len(lines)-2] { // not the status and help lines
		switch {
		case m.layout.side:
			if _, right, ok := strings.Cut(l, "│ "); ok {
				out = append(out, right)
			}
		case below:
			out = append(out, l)
		case strings.HasPrefix(l, "────"):
			below = true
		}
	}
	return strings.Join(out, "\n")
}

// TestTokenCredentialDetail: no empty subject/serial and no dangling "·"
// when there is no kubeconfig file.
func TestTokenCredentialDetail(t *testing.T) {
	clock := testNow
	f := newFake()
	f.creds[5].Kubeconfig = "" // the fleet's token
	m := press(t, loaded(t, f, &clock, 120, 30), "3", "/")
	m = typeText(t, m, "fleet-main")
	m = press(t, m, "enter")
	if c := m.selectedCred(); c == nil || !c.cred.TokenOnly {
		t.Fatalf("the token is not selected:\n%s", screen(m))
	}
	d := detailOf(m)
	if got := strings.TrimSpace(rowOf(t, d, "subject")); got != "subject   token (no certificate)" {
		t.Fatalf("subject line %q", got)
	}
	if got := strings.TrimSpace(rowOf(t, d, "source")); strings.HasSuffix(got, "·") {
		t.Fatalf("source line ends in a separator: %q", got)
	}
}

// TestRevokedRowHasNoCountdown: a revoked credential says so instead of
// counting down, and its lifetime bar is not drawn as running.
func TestRevokedRowHasNoCountdown(t *testing.T) {
	clock := testNow
	m := press(t, loaded(t, newFake(), &clock, 160, 48), "3")
	row := rowOf(t, screen(m), "REVOKED")
	if !strings.Contains(row, "revoked") || strings.Contains(row, "20d") || strings.Contains(row, "█") {
		t.Fatalf("revoked row: %q; want \"revoked\", no countdown, no lifetime used", row)
	}
	m = press(t, m, "/")
	m = typeText(t, m, "id:e5f6a7b8")
	m = press(t, m, "enter")
	if got := rowOf(t, detailOf(m), "expires"); !strings.Contains(got, "revoked 2026-02-28 12:00 UTC") || strings.Contains(got, "% used") {
		t.Fatalf("revoked detail: %q", got)
	}
}

// TestKubeconfigUnderHomeShownWithTilde: paths under Options.Home show as
// ~/…; others in full.
func TestKubeconfigUnderHomeShownWithTilde(t *testing.T) {
	clock := testNow
	m := press(t, loaded(t, newFake(), &clock, 260, 50), "3") // wide enough for every path whole
	v := screen(m)
	if strings.Contains(v, "/home/op") || !strings.Contains(v, "~/.kube/config") || !strings.Contains(v, "~/Downloads/kubeconfig.json") {
		t.Fatalf("FILE column and detail:\n%s", v)
	}
	for _, tc := range []struct{ path, home, want string }{
		{"/home/op/.kube/config", "/home/op", "~/.kube/config"},
		{"/home/op/.kube/config", "/home/op/", "~/.kube/config"},
		{"/home/op", "/home/op", "~"},
		{"/home/operator/kc", "/home/op", "/home/operator/kc"},
		{"/home/op/kc", "", "/home/op/kc"},
		{"", "/home/op", ""},
	} {
		if got := tildePath(tc.path, tc.home); got != tc.want {
			t.Errorf("tildePath(%q, %q) = %q, want %q", tc.path, tc.home, got, tc.want)
		}
	}
}

// TestLongErrorReadableInDetailPane: at 80 columns a long error does not
// fit the status line; the detail pane shows it whole, once, also with
// nothing selected, until the next action replaces it, and the status
// line says only what failed and where the rest is.
func TestLongErrorReadableInDetailPane(t *testing.T) {
	clock := testNow
	f := newFake()
	long := "HTTP 403 CCE.01403001: the user has no permission to generate cluster credentials in project p-cn-east-3 (request 9f8e7d6c) — grant cce:cluster:generateClientCredential in IAM and retry"
	f.renewErr = map[string]error{"d4e5f6a7": errors.New(long)}
	m := press(t, loaded(t, f, &clock, 80, 24), "r")
	lines := strings.Split(screen(m), "\n")
	status := lines[len(lines)-2]
	if !strings.Contains(status, "✗ renew d4e5f6a7 failed · in full above") || strings.Contains(status, "…") {
		t.Fatalf("status line %q: want what failed, and where", status)
	}
	if d := squashSpaces(detailOf(m)); !strings.Contains(d, squashSpaces("✗ renew d4e5f6a7: "+long)) {
		t.Fatalf("the full error is not in the detail pane:\n%s", detailOf(m))
	}
	if n := strings.Count(squashSpaces(screen(m)), "CCE.01403001"); n != 1 {
		t.Fatalf("the error is on screen %d times:\n%s", n, screen(m))
	}

	f.refreshErr = errors.New(long)
	m = press(t, m, "/")
	m = typeText(t, m, "zzzz")
	m = press(t, m, "enter", "ctrl+r")
	d := detailOf(m)
	if !strings.Contains(squashSpaces(d), squashSpaces("✗ refresh inventory: "+long)) || !strings.Contains(d, "nothing selected") {
		t.Fatalf("with nothing selected:\n%s", d)
	}
	m = press(t, m, "s") // the next action
	if strings.Contains(detailOf(m), "✗") {
		t.Fatalf("the error outlived the next action:\n%s", detailOf(m))
	}
}

// squashSpaces drops all white space, so wrapped text compares equal to
// the sentence.
func squashSpaces(s string) string { return strings.Join(strings.Fields(s), "") }

// TestRenewShowsTheEngineWarnings: a renewal's warnings (e.g. a pre-v1.13
// cluster chose the validity) reach the status line and the new
// credential's detail pane, as a fetch's do; in a bulk renewal, the pane.
func TestRenewShowsTheEngineWarnings(t *testing.T) {
	const warning = "legacy-billing is older than v1.13: the validity is the cluster's own"
	clock := testNow
	f := newFake()
	f.renewWarnings = []string{warning}
	m := loaded(t, f, &clock, 120, 30)
	m, cmd := update(m, keyMsg("r"))
	m = drive(t, m, cmd)
	if got := screen(m); !strings.Contains(got, "renewed d4e5f6a7") || !strings.Contains(got, "— legacy-billing is older than v1.13") {
		t.Fatalf("no warning with the renewal in the status line:\n%s", got)
	}
	m = press(t, m, "3", "/") // the new credential, on the Credentials page
	m = typeText(t, m, "id:r-d4e5f6a7")
	m = press(t, m, "enter")
	if d := detailOf(m); !strings.Contains(d, "r-d4e5f6a7") || !strings.Contains(squashSpaces(d), squashSpaces(warning)) {
		t.Fatalf("the new credential's detail pane has no warning:\n%s", d)
	}

	m = press(t, m, "R")
	m, cmd = update(m, keyMsg("y"))
	m = drive(t, m, cmd)
	if !strings.Contains(screen(m), "renewed") {
		t.Fatalf("bulk renewal did not finish:\n%s", screen(m))
	}
	renewed := 0
	for _, c := range f.creds {
		if c.ReplacedBy == "" && strings.HasPrefix(c.ID, "r-") {
			renewed++
			if len(m.itemWarn[c.ID]) != 1 {
				t.Errorf("renewed %s has warnings %q, want the engine's", c.ID, m.itemWarn[c.ID])
			}
		}
	}
	if renewed < 3 {
		t.Fatalf("%d renewed credentials, want the first and the bulk ones", renewed)
	}
}

// TestContextsTextSaysHowTLSIsChecked: the detail pane names each
// context's check: verified, verified for the internal host, or insecure
// with the reason the check gave.
func TestContextsTextSaysHowTLSIsChecked(t *testing.T) {
	clock := testNow
	m := New(newFake(), testOptions(&clock))
	ca := []byte("-----BEGIN CERTIFICATE-----")
	c := store.Credential{Contexts: []string{"a-internal", "a-external", "b-external"}, Clusters: []store.ClusterRef{
		{Role: api.RoleInternal, CAData: ca},
		{Role: api.RoleExternal, CAData: ca, TLSServerName: "192.168.0.10"},
		{Role: api.RoleExternal, Insecure: true, TLSReason: "does not verify against the cluster CA"},
	}}
	got := ansi.Strip(m.contextsText(c))
	for _, want := range []string{"a-internal (verified)", "a-external (verified, as 192.168.0.10)",
		"b-external (insecure-skip-tls-verify: does not verify against the cluster CA)"} {
		if !strings.Contains(got, want) {
			t.Errorf("contexts text %q lacks %q", got, want)
		}
	}
}
