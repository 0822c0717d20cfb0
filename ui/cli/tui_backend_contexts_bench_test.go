package cli

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkTUIBackendChanges is the live TUI's cost per wake (once a
// second): SQLite's data_version on the watcher's connection and a stat of
// each kubeconfig file, with nothing changed.
func BenchmarkTUIBackendChanges(b *testing.B) {
	dir := b.TempDir()
	vars := map[string]string{"HOME": dir, "XDG_CONFIG_HOME": filepath.Join(dir, "config"), "XDG_DATA_HOME": filepath.Join(dir, "data"),
		"XDG_CACHE_HOME": filepath.Join(dir, "cache"), "KUBECONFIG": filepath.Join(dir, "a") + string(os.PathListSeparator) + filepath.Join(dir, "b")}
	e := env{getenv: func(k string) string { return vars[k] }, now: time.Now, stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, deps: testDeps}
	a, err := openApp(b.Context(), &globalFlags{quiet: true}, e)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(a.close)
	tb := newTUIBackend(a)
	b.Cleanup(tb.closeLive)
	ctx := b.Context()
	if _, err := tb.Credentials(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := tb.Contexts(ctx); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if ch, err := tb.Changes(ctx); err != nil || ch.Store || ch.Kubeconfigs {
			b.Fatalf("changes %+v, %v with nothing changed", ch, err)
		}
	}
}
