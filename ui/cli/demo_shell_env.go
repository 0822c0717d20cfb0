package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// demoShell is the shell to run and how: bash gets an --rcfile that reads
// ~/.bashrc and then puts the demo in front of PS1 (a plain PS1 would be
// overwritten by ~/.bashrc); zsh gets a ZDOTDIR whose .zshenv and .zshrc
// read the operator's and then put it in front of PROMPT; any other shell
// (sh, dash, ksh) gets PS1 in its environment.
type demoShell struct {
	path    string
	args    []string
	zdotdir string // zsh: the demo's ZDOTDIR
	binDir  string // first on PATH: `ccecert` there is `ccecert --demo`
}

// demoShellPath is $SHELL when it is an absolute path, else /bin/sh.
func demoShellPath(getenv func(string) string) string {
	if sh := getenv("SHELL"); filepath.IsAbs(sh) {
		return sh
	}
	return "/bin/sh"
}

// prepareDemoShell writes the demo shell's files under DIR/shell (0700;
// rc files 0600): the `ccecert` wrapper and the rc files.
func prepareDemoShell(dataDir string, getenv func(string) string) (demoShell, error) {
	dir := filepath.Join(dataDir, "shell")
	sh := demoShell{path: demoShellPath(getenv), binDir: filepath.Join(dir, "bin")}
	if err := os.MkdirAll(sh.binDir, 0o700); err != nil {
		return sh, fmt.Errorf("prepare the demo shell: %w", err)
	}
	exe, err := os.Executable()
	if err != nil {
		return sh, fmt.Errorf("prepare the demo shell: find this ccecert: %w", err)
	}
	files := map[string]string{
		filepath.Join(sh.binDir, "ccecert"): "#!/bin/sh\n# ccecert --demo shell: inside the demo shell, ccecert is the demo's.\nexec " + shQuote(exe) + " --demo \"$@\"\n",
	}
	switch filepath.Base(sh.path) {
	case "bash":
		rc := filepath.Join(dir, "bashrc")
		files[rc] = "# ccecert --demo shell: your ~/.bashrc, then the demo's prompt.\n" +
			"[ -f ~/.bashrc ] && . ~/.bashrc\n" +
			"PS1=" + shQuote(demoPrompt) + "\"${PS1-\\s-\\v\\$ }\"\n"
		sh.args = []string{"--rcfile", rc, "-i"}
	case "zsh":
		sh.zdotdir = filepath.Join(dir, "zsh")
		if err := os.MkdirAll(sh.zdotdir, 0o700); err != nil {
			return sh, fmt.Errorf("prepare the demo shell: %w", err)
		}
		user := "\"${CCECERT_USER_ZDOTDIR:-$HOME}\""
		files[filepath.Join(sh.zdotdir, ".zshenv")] = "# ccecert --demo shell\n[ -f " + user + "/.zshenv ] && . " + user + "/.zshenv\n"
		files[filepath.Join(sh.zdotdir, ".zshrc")] = "# ccecert --demo shell: your .zshrc, then the demo's prompt.\n" +
			"ZDOTDIR=" + user + "\n[ -f \"$ZDOTDIR/.zshrc\" ] && . \"$ZDOTDIR/.zshrc\"\n" +
			"PROMPT=" + shQuote(demoPrompt) + "\"$PROMPT\"\n"
		sh.args = []string{"-i"}
	default:
		sh.args = []string{"-i"}
	}
	for path, text := range files {
		mode := os.FileMode(0o600)
		if filepath.Dir(path) == sh.binDir {
			mode = 0o700
		}
		if err := os.WriteFile(path, []byte(text), mode); err != nil {
			return sh, fmt.Errorf("prepare the demo shell: %w", err)
		}
		if err := os.Chmod(path, mode); err != nil {
			return sh, fmt.Errorf("prepare the demo shell: %w", err)
		}
	}
	return sh, nil
}

// demoShellEnv is the shell's environment: the operator's, without what
// could point ccecert at a real cloud (access keys, tokens, endpoints),
// with KUBECONFIG the demo kubeconfig, the wrapper
// first on PATH, PS1 (for shells without an rc file of ours) and
// CCECERT_DEMO_SHELL, which says a shell is the demo's.
func demoShellEnv(environ []string, kubeconfig string, sh demoShell) []string {
	out := make([]string, 0, len(environ)+5)
	path := ""
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		switch {
		case name == "PATH":
			path = value
		case name == "ZDOTDIR" && sh.zdotdir != "":
			out = append(out, "CCECERT_USER_ZDOTDIR="+value)
		case demoShellDrops(name):
		default:
			out = append(out, kv)
		}
	}
	if path == "" {
		path = "/usr/bin:/bin"
	}
	out = append(out, "KUBECONFIG="+kubeconfig, "PATH="+sh.binDir+string(os.PathListSeparator)+path,
		"PS1="+demoPrompt+"$ ", "CCECERT_DEMO_SHELL=1")
	if sh.zdotdir != "" {
		out = append(out, "ZDOTDIR="+sh.zdotdir)
	}
	return out
}

// demoShellDrops reports a variable the demo shell does not pass on.
func demoShellDrops(name string) bool {
	upper := strings.ToUpper(name)
	switch upper {
	case "KUBECONFIG", "PS1", "PROMPT", "CCECERT_DEMO_SHELL", "CCECERT_USER_ZDOTDIR":
		return true
	}
	return strings.HasPrefix(upper, "CLOUD_SDK_") || strings.HasPrefix(upper, "HUAWEICLOUD_SDK_") ||
		strings.HasPrefix(upper, "CCECERT_ENDPOINT") || upper == "CCECERT_CA_FILE" || upper == "CCECERT_SITE"
}

// shQuote single-quotes s for sh.
func shQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
