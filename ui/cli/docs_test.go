package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"ccecert/api/emulator"
)

func TestCLIDocsManGeneratesAPagePerCommand(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	dir := filepath.Join(t.TempDir(), "man")
	c.ok("docs", "man", dir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var pages []string
	for _, e := range entries {
		pages = append(pages, e.Name())
	}
	for _, want := range []string{"ccecert.1", "ccecert-get.1", "ccecert-list.1", "ccecert-status.1", "ccecert-log.1",
		"ccecert-renew.1", "ccecert-revoke.1", "ccecert-emulator-serve.1", "ccecert-version.1"} {
		if !slices.Contains(pages, want) {
			t.Errorf("no %s among %v", want, pages)
		}
	}
	if slices.Contains(pages, "ccecert-docs.1") {
		t.Error("the hidden docs command got a page")
	}
	page, err := os.ReadFile(filepath.Join(dir, "ccecert-status.1"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`.TH "CCECERT" "1"`, "ccecert-status - Show every known credential", `\fB--within\fP`, "Exit status 3"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("ccecert-status.1 lacks %q:\n%s", want, page)
		}
	}
	oneLineError(t, "docs man without DIR", c.run("docs", "man"))
}
