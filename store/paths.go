package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// AppName names ccecert's directories, its keyring service and its config
// file's folder.
const AppName = "ccecert"

// Paths are where ccecert keeps its files, following the XDG base
// directories.
type Paths struct {
	ConfigFile string // $XDG_CONFIG_HOME/ccecert/config.yaml
	DataDir    string // $XDG_DATA_HOME/ccecert (demo: .../ccecert/demo)
	Database   string // <DataDir>/ccecert.db
	// Kubeconfig is the demo profile's own kubeconfig; empty for the real
	// profile, whose kubeconfig comes from the config file or $KUBECONFIG.
	Kubeconfig string
	Demo       bool
}

// DefaultPaths resolves the operator's paths from the environment through
// getenv (os.Getenv in production; a map in tests).
func DefaultPaths(getenv func(string) string) (Paths, error) {
	configHome, err := xdgDir(getenv, "XDG_CONFIG_HOME", ".config")
	if err != nil {
		return Paths{}, err
	}
	dataHome, err := xdgDir(getenv, "XDG_DATA_HOME", filepath.Join(".local", "share"))
	if err != nil {
		return Paths{}, err
	}
	data := filepath.Join(dataHome, AppName)
	return Paths{
		ConfigFile: filepath.Join(configHome, AppName, "config.yaml"),
		DataDir:    data,
		Database:   filepath.Join(data, "ccecert.db"),
	}, nil
}

// DemoPaths is the --demo profile: the same config file, but its own data
// dir and its own kubeconfig, so the demo never touches the operator's.
func DemoPaths(getenv func(string) string) (Paths, error) {
	p, err := DefaultPaths(getenv)
	if err != nil {
		return Paths{}, err
	}
	p.DataDir = filepath.Join(p.DataDir, "demo")
	p.Database = filepath.Join(p.DataDir, "ccecert.db")
	p.Kubeconfig = filepath.Join(p.DataDir, "kubeconfig")
	p.Demo = true
	return p, nil
}

// xdgDir returns $name when it is an absolute path (the XDG spec ignores
// relative ones), else $HOME/fallback.
func xdgDir(getenv func(string) string, name, fallback string) (string, error) {
	if v := getenv(name); v != "" && filepath.IsAbs(v) {
		return v, nil
	}
	home := getenv("HOME")
	if home == "" {
		return "", fmt.Errorf("cannot place ccecert's files: neither $%s (absolute) nor $HOME is set; set one of them", name)
	}
	return filepath.Join(home, fallback), nil
}

// KubeconfigPaths lists the kubeconfig files kubectl would read: $KUBECONFIG
// split on the path list separator (empty entries and duplicates dropped), or
// ~/.kube/config. ccecert reads them all and writes to the first. Relative
// entries are made absolute against the working directory, as kubectl
// reads them, so what ccecert records names the same file from anywhere.
func KubeconfigPaths(getenv func(string) string) []string {
	var paths []string
	seen := map[string]bool{}
	for _, p := range filepath.SplitList(getenv("KUBECONFIG")) {
		if p == "" {
			continue
		}
		if abs, err := AbsPath(p); err == nil {
			p = abs
		}
		if seen[p] {
			continue
		}
		seen[p] = true
		paths = append(paths, p)
	}
	if len(paths) > 0 {
		return paths
	}
	if home := getenv("HOME"); home != "" {
		return []string{filepath.Join(home, ".kube", "config")}
	}
	return nil
}

// EnsureDir creates dir (and parents) with mode 0700 and tightens an
// existing dir that others can read.
func EnsureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create directory %s: %w", dir, err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("check directory %s: %w", dir, err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a directory; move it aside", dir)
	}
	if fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return fmt.Errorf("restrict directory %s to mode 0700: %w", dir, err)
		}
	}
	return nil
}

// AbsPath makes a path ccecert records absolute (against the working
// directory) and clean, so a later run from elsewhere finds the same file;
// "" stays "".
func AbsPath(p string) (string, error) {
	if p == "" {
		return "", nil
	}
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", fmt.Errorf("make %s an absolute path: %w; give an absolute path", p, err)
	}
	return abs, nil
}

// errIsNotExist reports a missing file through any wrapping.
func errIsNotExist(err error) bool { return errors.Is(err, os.ErrNotExist) }
