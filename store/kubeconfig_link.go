package store

import (
	"os"
	"path/filepath"
)

// maxLinkHops bounds a chain of symlinks, as the kernel's ELOOP does.
const maxLinkHops = 40

// resolveLink follows a symlinked kubeconfig to the file it names, so the
// rename replaces that file and the link stays. A dangling link resolves
// to its target, which the write then creates (~/.kube/config pointing
// into a dotfiles checkout not made yet); a loop stays as it is.
func resolveLink(path string) string {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		return real
	}
	p := path
	for range maxLinkHops {
		fi, err := os.Lstat(p)
		if err != nil || fi.Mode()&os.ModeSymlink == 0 {
			break
		}
		target, err := os.Readlink(p)
		if err != nil {
			break
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(p), target)
		}
		p = target
	}
	if dir, err := filepath.EvalSymlinks(filepath.Dir(p)); err == nil {
		return filepath.Join(dir, filepath.Base(p))
	}
	return p
}
