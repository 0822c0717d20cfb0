package cli

import (
	"strings"
	"testing"

	"ccecert/api/emulator"
)

// TestConfigSitePicksTheRealHosts: with the emulator playing Open Telekom
// Cloud behind an HTTPS proxy (real host names, no CCECERT_ENDPOINT), the
// config file's `site: otc` is what sends ccecert to OTC's hosts; without
// it the default site's hosts are not there.
func TestConfigSitePicksTheRealHosts(t *testing.T) {
	inv, err := emulator.LoadInventory([]byte(`
site: otc
domain: {name: otc-domain}
user: {name: otc-ops}
projects: [{name: eu-de}]
clusters: [{name: otc-web, project: eu-de, kind: cce, version: v1.31, phase: Available, eip: true}]
`))
	if err != nil {
		t.Fatal(err)
	}
	c := newCLI(t, emulator.Options{Inventory: inv, Site: "otc", Proxy: true})
	delete(c.vars, "CCECERT_ENDPOINT")
	c.vars["HTTPS_PROXY"] = c.srv.ProxyURL

	if r := c.run("list", "--refresh", "--kind", "cce"); r.code == 0 {
		t.Fatalf("the default site's hosts answered for an OTC account:\n%s", r.stdout)
	}
	cfg := c.writeConfig("site: otc\n")
	r := c.ok("--config", cfg, "list", "--refresh", "--kind", "cce", "-o", "name")
	if strings.TrimSpace(r.stdout) != "otc-web" {
		t.Fatalf("list with site: otc = %q; want otc-web", r.stdout)
	}
	for _, rec := range c.srv.Log() {
		if !strings.HasSuffix(rec.Host, ".otc.t-systems.com") {
			t.Errorf("a request went to %q, not an OTC host", rec.Host)
		}
	}
}
