package cli

import (
	"path/filepath"
	"testing"
)

// isolateMain points HOME, XDG dirs, KUBECONFIG and TMPDIR at temp dirs.
func isolateMain(t *testing.T) string {
	t.Helper()
	for _, v := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"} {
		t.Setenv(v, t.TempDir())
	}
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "config"))
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	return tmp
}
