package cli

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"ccecert/api/emulator"
)

func TestVersionText(t *testing.T) {
	stamped := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "ccecert", Version: "(devel)"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef"}, {Key: "vcs.time", Value: "2026-12-03T05:00:00Z"},
			{Key: "vcs.modified", Value: "true"}}}
	for _, tc := range []struct {
		name string
		d    Deps
		bi   *debug.BuildInfo
		want []string
	}{
		{"checkout", Deps{Version: "dev"}, stamped, []string{"ccecert dev\n", "commit      0123456789abcdef (with uncommitted changes)\n",
			"committed   2026-12-03T05:00:00Z\n", "built       unknown\n", "go          go1.26.8 "}},
		{"release", Deps{Version: "v1.2.0", BuildDate: "2026-12-03T07:00:00Z"}, stamped, []string{"ccecert v1.2.0\n", "built       2026-12-03T07:00:00Z\n"}},
		{"go install @version", Deps{Version: "dev"}, &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.3.0"}},
			[]string{"ccecert v1.3.0\n", "commit      unknown\n"}},
		{"no build info", Deps{Version: "dev"}, nil, []string{"ccecert dev\n", "go          " + runtime.Version()}},
	} {
		got := versionText(tc.d, tc.bi)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: version text lacks %q:\n%s", tc.name, w, got)
			}
		}
	}
}

func TestCLIVersion(t *testing.T) {
	c := newCLI(t, emulator.Options{})
	out := c.ok("version").stdout
	if !strings.HasPrefix(out, "ccecert test\n") || !strings.Contains(out, runtime.Version()) || len(c.srv.Log()) != 0 {
		t.Errorf("version:\n%s", out)
	}
	if out := c.ok("version", "-q").stdout; out != "ccecert test\n" {
		t.Errorf("version -q = %q", out)
	}
}
