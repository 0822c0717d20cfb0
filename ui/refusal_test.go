package ui

import (
	"strings"
	"testing"

	"ccecert/store"
)

// TestEveryKeyAnswers: an action key that cannot act on the selection
// says why in the status line, and what to do, instead of nothing.
func TestEveryKeyAnswers(t *testing.T) {
	clock := testNow
	base := loaded(t, newFake(), &clock, 120, 40)
	for _, tc := range []struct {
		name   string
		page   string
		filter string
		key    string
		want   string
	}{
		{"export expired", "3", "id:d4e5f6a7", "e", "export: the credential has expired — renew it first"},
		{"export revoked", "3", "id:e5f6a7b8", "e", "export: the credential was revoked"},
		{"renew revoked", "3", "id:e5f6a7b8", "r", "renew: the credential was revoked — enter fetches a new one"},
		{"revoke revoked", "3", "id:e5f6a7b8", "x", "revoke: the credential is already revoked"},
		{"revoke fleet", "3", "fleet-main", "x", "revoke: fleet certificates cannot be revoked through the UCS API"},
		{"use revoked", "3", "id:e5f6a7b8", "u", "use context: the credential was revoked — its contexts were removed"},
		{"renew unknown cluster", "3", "console-import", "r", "renew: the credential is not tied to a known cluster (imported)"},
		{"revoke unknown cluster", "3", "console-import", "x", "revoke: the credential is not tied to a known cluster (imported)"},
		{"fetch unknown cluster", "3", "console-import", "f", "fetch: console-import is not in the inventory (imported)"},
		{"renew no credential", "1", "sleepy", "r", "renew: sleepy has no credential — enter fetches one"},
		{"revoke no credential", "1", "sleepy", "x", "revoke: sleepy has no credential"},
		{"export no credential", "1", "sleepy", "e", "export: sleepy has no credential"},
		{"copy no credential", "1", "sleepy", "y", "copy: sleepy has no credential"},
		{"log off the credentials page", "1", "", "L", "log: the log is a credential's — 3 opens the Credentials page"},
		{"nothing matches", "3", "zzzz", "r", "renew: nothing matches the filter — esc clears it"},
		{"fetch, nothing matches", "1", "zzzz", "enter", "fetch: nothing matches the filter — esc clears it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := press(t, base, tc.page)
			if tc.filter != "" {
				m = filtered(t, m, tc.filter)
			}
			calls := len(m.backend.(*fakeBackend).calls)
			m = press(t, m, tc.key)
			if m.dialog != dialogNone {
				t.Fatalf("%s opened a dialog", tc.key)
			}
			if got := statusLine(m); !strings.Contains(got, tc.want) {
				t.Fatalf("status %q, want %q", got, tc.want)
			}
			if n := len(m.backend.(*fakeBackend).calls); n != calls {
				t.Fatalf("the refused key called the backend: %v", m.backend.(*fakeBackend).calls[calls:])
			}
		})
	}
}

// TestRenewAllWithNothingDueSaysSo: R with nothing in warning or worse.
func TestRenewAllWithNothingDueSaysSo(t *testing.T) {
	clock := testNow
	f := newFake()
	f.creds = f.creds[:1] // prod-web, OK
	m := press(t, loaded(t, f, &clock, 120, 40), "R")
	if got := statusLine(m); !strings.Contains(got, "renew: nothing is due — no credential is in warning or worse") {
		t.Fatalf("status %q", got)
	}
}

// TestExportWithoutKeySaysSo: a scanned credential has no key to export.
func TestExportWithoutKeySaysSo(t *testing.T) {
	clock := testNow
	f := newFake()
	f.creds[6].HasKey, f.creds[6].Source = false, store.SourceScanned
	m := filtered(t, press(t, loaded(t, f, &clock, 120, 40), "3"), "console-import")
	m = press(t, m, "e")
	if got := statusLine(m); !strings.Contains(got, "export: ccecert holds no key for this credential (scanned)") {
		t.Fatalf("status %q", got)
	}
}

// TestDetailFollowsARevoke: after a revoke the pane says the contexts are
// gone, and follows the selection as it moves.
func TestDetailFollowsARevoke(t *testing.T) {
	clock := testNow
	m := filtered(t, press(t, loaded(t, newFake(), &clock, 120, 40), "3"), "id:b2c3d4e5")
	if d := rowOf(t, detailOf(m), "contexts"); !strings.Contains(d, "prod-api-internal (verified)") {
		t.Fatalf("before: %q", d)
	}
	m = press(t, m, "x")
	m = typeText(t, m, "prod-api")
	m = press(t, m, "enter")
	if d := rowOf(t, detailOf(m), "contexts"); strings.Contains(d, "(verified)") || !strings.Contains(d, "removed by the revoke (were prod-api-internal)") {
		t.Fatalf("after the revoke: %q\n%s", d, screen(m))
	}
	if row := rowOf(t, screen(m), "prod-api "); !strings.Contains(row, "— removed") {
		t.Fatalf("row after the revoke: %q", row)
	}
	m = press(t, m, "esc", "down")
	sel := m.selectedCred()
	if d := detailOf(m); !strings.Contains(d, sel.cred.ID) {
		t.Fatalf("the pane does not follow the cursor to %s:\n%s", sel.cred.ID, d)
	}
}

// TestUnknownKeySaysSo: a key no binding has says so; a navigation key on
// a page of one row stays quiet.
func TestUnknownKeySaysSo(t *testing.T) {
	clock := testNow
	m := press(t, loaded(t, newFake(), &clock, 120, 40), "z")
	if got := statusLine(m); !strings.Contains(got, "z: no such key here — ? lists the keys") {
		t.Fatalf("status %q", got)
	}
	m = press(t, filtered(t, m, "sleepy"), "j")
	if got := statusLine(m); strings.Contains(got, "j: ") {
		t.Fatalf("j on one row: %q", got)
	}
}
