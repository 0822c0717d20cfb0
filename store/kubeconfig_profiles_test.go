package store

import (
	"path/filepath"
	"strings"
	"testing"
)

// The same cluster name in the same region under two profiles (two
// accounts): the profile joins the second one's names, then the region
// and id; the default profile's names stay as they were before profiles.
func TestMergeSameNameTwoProfiles(t *testing.T) {
	path := filepath.Join(hermetic(t), "config")
	ca := newCA(t)
	a, b, c := cceTarget("prod", "eu-west-101", "c1"), cceTarget("prod", "eu-west-101", "c2"), cceTarget("prod", "eu-west-101", "c3")
	first := mergeT(t, path, entryFor(a, issuedFor(t, ca, a, t0, t0.Add(Day))), MergeOptions{})
	eb := entryFor(b, issuedFor(t, ca, b, t0, t0.Add(Day)))
	eb.Profile = "prod-eu"
	second := mergeT(t, path, eb, MergeOptions{})
	ec := entryFor(c, issuedFor(t, ca, c, t0, t0.Add(Day)))
	ec.Profile = "prod-eu"
	third := mergeT(t, path, ec, MergeOptions{})
	if first[0] != "prod-internal" || second[0] != "prod-prod-eu-internal" || third[0] != "prod-eu-west-101-internal" {
		t.Fatalf("names %v %v %v", first, second, third)
	}
	users := loadFile(t, path).AuthInfos
	if users["ccecert-prod"] == nil || users["ccecert-prod-prod-eu"] == nil || users["ccecert-prod-eu-west-101"] == nil {
		t.Fatalf("users %v", keysOf(users))
	}
	// A default-profile clash in the same region skips the profile level.
	d := cceTarget("prod", "eu-west-101", "c4")
	fourth := mergeT(t, path, entryFor(d, issuedFor(t, ca, d, t0, t0.Add(Day))), MergeOptions{})
	if fourth[0] != "prod-eu-west-101-c4-internal" {
		t.Fatalf("fourth %v", fourth)
	}
	// Naming may use .Profile.
	if err := ValidateNaming("{{.Profile}}/{{.Name}}-{{.Context}}"); err != nil {
		t.Fatal(err)
	}
}

func keysOf[V any](m map[string]V) string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return strings.Join(out, ",")
}
