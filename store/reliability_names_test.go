package store

import (
	"strings"
	"testing"
	"unicode"

	"ccecert/api"
)

// Names from the cloud become kubeconfig entry names, which kubectl prints
// as they are: no escape sequence, control or format character may pass.
func TestReliabilityEntryNamesFromTheCloudAreInert(t *testing.T) {
	tmpl, err := parseNaming("")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"\x1b[31mred\x1b]52;c;ZXZpbA==\x07", "bidi\u202egnp", "c1\u009b2J", "bad\xffutf8", "tab\there", "集群-名", "../../etc/x"} {
		tg := api.Target{Kind: api.KindCCE, ID: "id\x1b[0m", Name: name, Region: "cn-north-4"}
		for level := range maxClashLevel + 1 {
			n, err := renderName(tmpl, nameData(tg, "prod-eu", api.RoleInternal, level))
			if err != nil {
				t.Fatalf("%q: %v", name, err)
			}
			for _, s := range []string{n, userName(tg, "prod-eu", level)} {
				if strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\uFFFD' }) {
					t.Errorf("%q at level %d gives entry name %q", name, level, s)
				}
			}
		}
	}
	if got := inertName("集群-名 ../../etc/x"); got != "集群-名 ../../etc/x" {
		t.Errorf("a printable name was changed: %q", got)
	}
}
