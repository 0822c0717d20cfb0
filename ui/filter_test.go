package ui

import (
	"slices"
	"strings"
	"testing"

	"ccecert/api"
	"ccecert/store"
)

// shownTargets are the names in the page's visible order.
func shownTargets(m Model) []string {
	var out []string
	p := m.page()
	for _, i := range p.order {
		if m.active == pageCredentials {
			out = append(out, m.data.creds[i].target)
		} else {
			out = append(out, p.src.(interface{ Fields(int) rowFields }).Fields(i).shown[0])
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func filtered(t *testing.T, m Model, text string) Model {
	t.Helper()
	if m.page().filter != "" {
		m = press(t, m, "esc")
	}
	m = press(t, m, "/")
	m = typeText(t, m, text)
	return press(t, m, "enter")
}

// TestFilterMatchesWhatTheRowShows: a plain word matches the name, the
// contexts and the region, each on its own; never the source, the file,
// the id or letters picked across fields. Field prefixes reach those, and
// combine with plain words.
func TestFilterMatchesWhatTheRowShows(t *testing.T) {
	clock := testNow
	f := newFake()
	ops := newCred("9f9f9f9f", api.Target{Kind: api.KindCCE, Name: "ops-tools", Region: "eu-west-101"}, testNow.Add(-day), testNow.Add(90*day))
	ops.Source, ops.Kubeconfig = store.SourceImported, "/home/op/.local/share/ccecert/prod/kubeconfig"
	svl := newCred("8e8e8e8e", api.Target{Kind: api.KindCCE, Name: "serverless-api", Region: "eu-west-101"}, testNow.Add(-day), testNow.Add(90*day))
	svl.Source = store.SourceImported
	f.creds = append(f.creds, ops, svl)
	m := press(t, loaded(t, f, &clock, 120, 40), "3")
	for _, tc := range []struct {
		filter string
		want   []string
	}{
		{"prod", []string{"prod-api", "prod-web"}},
		{"file:prod", []string{"ops-tools"}},
		{"source:imported", []string{"console-import", "ops-tools", "serverless-api"}},
		{"source:imported eu", []string{"console-import", "ops-tools", "serverless-api"}},
		{"source:imported ops", []string{"ops-tools"}},
		{"health:expired", []string{"legacy-batch"}},
		{"health:crit", []string{"staging-auto"}},
		{"region:cn-north-4 web", []string{"prod-web"}},
		{"external", []string{"prod-web", "staging-auto"}},
		{"id:d4e5f6a7", []string{"legacy-batch"}},
		{"kind:autopilot", []string{"staging-auto"}},
		{"health:", []string{"console-import", "fleet-main", "legacy-batch", "ops-tools", "prod-api", "prod-web", "serverless-api", "staging-auto"}},
	} {
		m = filtered(t, m, tc.filter)
		if got := shownTargets(m); !slices.Equal(got, tc.want) {
			t.Errorf("/%s: %v, want %v", tc.filter, got, tc.want)
		}
	}
	// The Clusters page: the best credential's context counts as shown.
	m = press(t, m, "1")
	m = filtered(t, m, "prod")
	if got := shownTargets(m); !slices.Equal(got, []string{"prod-api", "prod-web"}) {
		t.Errorf("clusters /prod: %v", got)
	}
	m = filtered(t, m, "health:none")
	if got := shownTargets(m); len(got) != 2 {
		t.Errorf("clusters /health:none: %v, want sleepy and the evil one", got)
	}
}

// TestFilterByHealthFollowsTheClock: a filter on the health refilters when
// a credential's health changes.
func TestFilterByHealthFollowsTheClock(t *testing.T) {
	clock := testNow
	m := press(t, loaded(t, newFake(), &clock, 120, 40), "3")
	m = filtered(t, m, "health:expired")
	if got := shownTargets(m); !slices.Equal(got, []string{"legacy-batch"}) {
		t.Fatalf("before: %v", got)
	}
	m = tickAt(t, m, &clock, testNow.Add(31*60e9))
	if got := shownTargets(m); !slices.Equal(got, []string{"legacy-batch", "staging-auto"}) {
		t.Fatalf("after staging-auto expired: %v", got)
	}
}

// TestHelpListsTheFilterFields: the full help and the filter's own help
// name the prefixes.
func TestHelpListsTheFilterFields(t *testing.T) {
	clock := testNow
	m := loaded(t, newFake(), &clock, 120, 40)
	if v := screen(press(t, m, "?")); !strings.Contains(v, "region: health: source: file:") {
		t.Fatalf("full help without the filter fields:\n%s", v)
	}
	if v := screen(press(t, m, "/")); !strings.Contains(v, "region: health: source: file:") {
		t.Fatalf("filter help without the fields:\n%s", v)
	}
}
