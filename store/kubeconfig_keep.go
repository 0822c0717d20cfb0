package store

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// OrigSuffix names the copy of a kubeconfig as it was before ccecert first
// wrote it. Later writes never overwrite it; <file>.bak is the rolling copy
// of the content before the latest write.
const OrigSuffix = ".ccecert-orig"

// keepOriginal saves old, the content about to be replaced, as
// path+OrigSuffix unless that copy exists, and returns what the operator
// should hear once: where the original is, what the rewrite drops (lost,
// lostContent of old), a mode tightened. Called with the lock held.
func keepOriginal(path string, old []byte, lost func() string) ([]string, error) {
	var notices []string
	if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&^0o600 != 0 {
		notices = append(notices, fmt.Sprintf("kubeconfig %s was mode %04o; ccecert writes it 0600 (owner only), as it holds credentials", path, fi.Mode().Perm()))
	}
	if len(bytes.TrimSpace(old)) == 0 {
		return notices, nil // nothing of the operator's to keep
	}
	orig := path + OrigSuffix
	_, err := os.Lstat(orig)
	switch {
	case err == nil:
		// Kept by an earlier write: what this one drops was already said
		// then, unless the operator wrote it in again.
		if lost := lost(); lost != "" {
			notices = append(notices, fmt.Sprintf("kubeconfig %s: its %s are not kept when ccecert rewrites it (kubectl does not keep them either); the content before this write is in %s.bak", path, lost, path))
		}
		return notices, nil
	case !errIsNotExist(err):
		return nil, fmt.Errorf("check %s: %w; nothing was written", orig, err)
	}
	if err := writeOrig(orig, old); err != nil {
		return nil, fmt.Errorf("keep the original of %s as %s: %w; nothing was written", path, orig, err)
	}
	msg := fmt.Sprintf("kubeconfig %s: ccecert kept its original content in %s (never overwritten; %s.bak holds the content before each write)", path, orig, path)
	if lost := lost(); lost != "" {
		msg += fmt.Sprintf("; its %s are not kept in the rewritten file (kubectl does not keep them either)", lost)
	}
	return append(notices, msg), nil
}

// writeOrig creates orig with data, failing if it exists.
func writeOrig(orig string, data []byte) error {
	tmp, err := writeTemp(orig, data, writeHooks{})
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	if err := os.Link(tmp, orig); err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil // another writer kept it first
		}
		// No hard links here (some network file systems): rename instead.
		if _, serr := os.Lstat(orig); serr == nil {
			return nil
		}
		return os.Rename(tmp, orig)
	}
	return nil
}

// kubeconfigKeys are the top-level keys of a v1 Config that client-go
// reads and writes back.
var kubeconfigKeys = map[string]bool{
	"apiVersion": true, "kind": true, "preferences": true, "clusters": true,
	"users": true, "contexts": true, "current-context": true, "extensions": true,
}

// lostContent names what a rewrite through client-go drops from data:
// comments, anchors and aliases, unknown top-level keys. "" when nothing.
func lostContent(data []byte) string {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return ""
	}
	var comments, anchors bool
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		comments = comments || n.HeadComment != "" || n.LineComment != "" || n.FootComment != ""
		anchors = anchors || n.Anchor != "" || n.Kind == yaml.AliasNode
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(&doc)
	var unknown []string
	if len(doc.Content) == 1 && doc.Content[0].Kind == yaml.MappingNode {
		top := doc.Content[0].Content
		for i := 0; i+1 < len(top); i += 2 {
			unknown = append(unknown, top[i].Value)
		}
	}
	return lostText(comments, anchors, droppedKeys(unknown))
}

// droppedKeys are those of keys client-go does not keep, quoted and
// sorted.
func droppedKeys(keys []string) []string {
	var unknown []string
	for _, k := range keys {
		if !kubeconfigKeys[k] {
			unknown = append(unknown, fmt.Sprintf("%q", k))
		}
	}
	sort.Strings(unknown)
	return unknown
}

// lostText names what a rewrite drops; "" when nothing.
func lostText(comments, anchors bool, unknown []string) string {
	var parts []string
	if comments {
		parts = append(parts, "comments")
	}
	if anchors {
		parts = append(parts, "YAML anchors")
	}
	if len(unknown) > 0 {
		parts = append(parts, "unknown top-level keys ("+strings.Join(unknown, ", ")+")")
	}
	return strings.Join(parts, " and ")
}
