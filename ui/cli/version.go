package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
)

func newVersionCmd(d Deps) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit, build date and Go version",
		Long: `Print the version, commit, build date and Go version. The version is the one
a release build sets (-ldflags "-X main.version=v1.2.3"), else the module's
(go install ccecert@v1.2.3), else dev; the commit and its date come from the
build info Go stamps into a build from a git checkout. With -q, only the
first line.`,
		Args:              cobra.NoArgs,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, _ []string) error {
			bi, _ := debug.ReadBuildInfo()
			text := versionText(d, bi)
			if q := cmd.Flag("quiet"); q != nil && q.Value.String() == "true" {
				text, _, _ = strings.Cut(text, "\n") // "ccecert VERSION" only
				text += "\n"
			}
			_, err := fmt.Fprint(cmd.OutOrStdout(), text)
			return err
		},
	}
}

// versionText is what `ccecert version` prints: "ccecert VERSION" first,
// then the commit, dates and toolchain, each "unknown" where the build
// did not record it.
func versionText(d Deps, bi *debug.BuildInfo) string {
	version, commit, commitDate, modified := d.Version, "", "", false
	goVersion := runtime.Version()
	if bi != nil {
		if (version == "" || version == "dev") && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			version = bi.Main.Version
		}
		goVersion = bi.GoVersion
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.time":
				commitDate = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	if commit != "" && modified {
		commit += " (with uncommitted changes)"
	}
	or := func(s string) string {
		if s == "" {
			return "unknown"
		}
		return s
	}
	var b strings.Builder
	fmt.Fprintf(&b, "ccecert %s\n", or(version))
	fmt.Fprintf(&b, "  commit      %s\n", or(commit))
	fmt.Fprintf(&b, "  committed   %s\n", or(commitDate))
	fmt.Fprintf(&b, "  built       %s\n", or(d.BuildDate))
	fmt.Fprintf(&b, "  go          %s %s/%s\n", goVersion, runtime.GOOS, runtime.GOARCH)
	return b.String()
}
