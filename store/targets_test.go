package store

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"ccecert/api"
)

// SaveTargets replaces exactly its scope: unchanged targets get the new
// fetched_at, changed ones their new data, gone ones disappear, and what
// lies outside the scope (another region, kind or profile) is untouched.
// The groups read the same rows as ProfileTargets, project ids included.
func TestSaveTargetsReplacesTheScope(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	same, changed, gone := cceTarget("same", "cn-north-4", "c1"), cceTarget("changed", "cn-north-4", "c2"), cceTarget("gone", "cn-north-4", "c3")
	other := cceTarget("other", "eu-west-101", "c4")
	t1 := t0.Add(time.Hour)
	if err := s.SaveTargets(ctx, []api.Target{same, changed, gone, other}, Scope{}, t0); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveTargets(ctx, []api.Target{same}, Scope{Profile: "ops"}, t0); err != nil {
		t.Fatal(err)
	}
	changed.Version, changed.Name = "v1.31", "renamed"
	added := cceTarget("added", "cn-north-4", "c5")
	if err := s.SaveTargets(ctx, []api.Target{same, changed, added}, Scope{Kinds: []api.Kind{api.KindCCE}, Regions: []string{"cn-north-4"}}, t1); err != nil {
		t.Fatal(err)
	}
	recs, err := s.ProfileTargets(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]TargetRecord{}
	for _, r := range recs {
		got[r.Name] = r
	}
	names := make([]string, 0, len(got))
	for n := range got {
		names = append(names, n)
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"added", "other", "renamed", "same"}) {
		t.Fatalf("targets %v, want added, other, renamed, same", names)
	}
	for name, at := range map[string]time.Time{"same": t1, "renamed": t1, "added": t1, "other": t0} {
		if !got[name].FetchedAt.Equal(at) {
			t.Errorf("%s fetched at %v, want %v", name, got[name].FetchedAt, at)
		}
	}
	if got["renamed"].Version != "v1.31" {
		t.Errorf("changed target not rewritten: %+v", got["renamed"].Target)
	}
	ops, err := s.ProfileTargets(ctx, "ops")
	if err != nil || len(ops) != 1 || !ops[0].FetchedAt.Equal(t0) {
		t.Fatalf("the other profile's targets: %+v %v", ops, err)
	}
	groups, err := s.ProfileTargetGroups(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if want := groupsOf(recs); !slices.Equal(groups, want) {
		t.Errorf("groups %+v, want the records' %+v", groups, want)
	}
}

// A refresh that finds a target unchanged stamps its listing and leaves
// its row as it was (the row's fetched_at is still the first listing's),
// while every read says it was fetched at the refresh: the records, the
// briefs and the lookup by key. A row no listing covers (as a database
// from before listings holds) is fetched at its own fetched_at.
func TestAnUnchangedTargetIsStampedByItsListing(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	same := cceTarget("same", "cn-north-4", "c1")
	t1 := t0.Add(time.Hour)
	for _, at := range []time.Time{t0, t1} {
		if err := s.SaveTargets(ctx, []api.Target{same}, Scope{Kinds: []api.Kind{api.KindCCE}}, at); err != nil {
			t.Fatal(err)
		}
	}
	var row int64
	if err := s.db.QueryRowContext(ctx, "SELECT fetched_at FROM targets WHERE key = ?", same.Key()).Scan(&row); err != nil {
		t.Fatal(err)
	}
	if !time.Unix(0, row).Equal(t0) {
		t.Errorf("the unchanged row's fetched_at is %v, want it left at %v", time.Unix(0, row).UTC(), t0)
	}
	recs, err := s.ProfileTargets(ctx, "")
	if err != nil || len(recs) != 1 || !recs[0].FetchedAt.Equal(t1) {
		t.Fatalf("records %+v %v, want one fetched at %v", recs, err, t1)
	}
	groups, err := s.ProfileTargetGroups(ctx, "")
	if err != nil || len(groups) != 1 || groups[0].Targets != 1 || !groups[0].FetchedAt.Equal(t1) {
		t.Fatalf("groups %+v %v, want one of one target fetched at %v", groups, err, t1)
	}
	got, ok, err := s.Target(ctx, same.Key())
	if err != nil || !ok || !got.FetchedAt.Equal(t1) {
		t.Fatalf("Target(%s) = %+v %v %v, want it fetched at %v", same.Key(), got, ok, err, t1)
	}

	old := cceTarget("old", "eu-west-101", "c9")
	data, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.ExecContext(ctx, `INSERT INTO targets(profile, key, kind, region, id, name, data, fetched_at, project_id)
		VALUES('default', ?, 'cce', ?, ?, ?, ?, ?, ?)`, old.Key(), old.Region, old.ID, old.Name, string(data), t0.UnixNano(), old.ProjectID); err != nil {
		t.Fatal(err)
	}
	got, ok, err = s.Target(ctx, old.Key())
	if err != nil || !ok || !got.FetchedAt.Equal(t0) {
		t.Fatalf("a row no listing covers: %+v %v %v, want it fetched at %v", got, ok, err, t0)
	}
}

// groupsOf groups records as ProfileTargetGroups does, in Go: by kind,
// region and project, each with its count and latest fetch.
func groupsOf(recs []TargetRecord) []TargetGroup {
	var out []TargetGroup
	at := map[[3]string]int{}
	for _, r := range recs {
		k := [3]string{string(r.Kind), r.Region, r.ProjectID}
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, TargetGroup{Kind: r.Kind, Region: r.Region, ProjectID: r.ProjectID})
		}
		out[i].Targets++
		if r.FetchedAt.After(out[i].FetchedAt) {
			out[i].FetchedAt = r.FetchedAt
		}
	}
	slices.SortFunc(out, func(a, b TargetGroup) int {
		return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Region, b.Region), cmp.Compare(a.ProjectID, b.ProjectID))
	})
	return out
}
