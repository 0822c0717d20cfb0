package ui

import (
	"strings"
	"testing"

	"ccecert/api"
)

func TestWrapWordsNeverBreaksAWord(t *testing.T) {
	for _, tc := range []struct {
		text string
		w    int
		want string
	}{
		{"cert      EXPIRED 3d ago · d4e5f6a7 · legacy-batch-internal · 1 on file", 20,
			"cert      EXPIRED 3d\nago · d4e5f6a7 ·\nlegacy-batch-\ninternal · 1 on file"},
		{"source    fetched · ~/.local/share/ccecert/demo/kubeconfig", 24,
			"source    fetched ·\n~/.local/share/ccecert/\ndemo/kubeconfig"},
		{"sha256 0123456789abcdef0123456789abcdef", 16, "sha256\n0123456789abcdef\n0123456789abcdef"},
	} {
		if got := wrapWords(tc.text, tc.w); got != tc.want {
			t.Errorf("wrap %q at %d:\n%s\nwant\n%s", tc.text, tc.w, got, tc.want)
		}
	}
}

// TestSidePaneWrapsBetweenWords: at 200 columns the side pane wraps a
// long context list between names.
func TestSidePaneWrapsBetweenWords(t *testing.T) {
	clock := testNow
	f := newFake()
	tg := api.Target{Kind: api.KindCCE, ID: "c-pay", Name: "prod-payments-international", Region: "eu-west-101",
		Endpoints: api.Endpoints{Internal: "https://192.168.0.10:5443", External: "https://100.85.1.2:5443"}}
	f.inv.Targets = append(f.inv.Targets, tg)
	f.creds = append(f.creds, newCred("7a7a7a7a", tg, testNow.Add(-day), testNow.Add(900*day)))
	m := press(t, loaded(t, f, &clock, 200, 50), "3")
	m = filtered(t, m, "payments")
	d := detailOf(m)
	for _, name := range []string{"prod-payments-international-internal", "prod-payments-international-external"} {
		if !strings.Contains(strings.ReplaceAll(d, "-\n", "-"), name) {
			t.Errorf("%s broken:\n%s", name, d)
		}
	}
	for _, l := range strings.Split(d, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasSuffix(l, "-") && strings.HasSuffix(l, "internati") {
			t.Errorf("line cut inside a word: %q", l)
		}
	}
	row, _, _ := strings.Cut(rowOf(t, screen(m), "> prod-payments-international"), "│")
	if strings.Contains(row, "…") || !strings.Contains(row, "prod-payments-international-internal") {
		t.Errorf("name cut at 200 columns: %q", row)
	}
}
