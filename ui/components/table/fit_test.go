package table

import "testing"

func TestFitShortensPathsFromTheLeftAndListsByName(t *testing.T) {
	for _, tc := range []struct {
		fit  Fit
		s    string
		w    int
		want string
	}{
		{FitPath, "~/.local/share/ccecert/demo/kubeconfig", 26, "…/ccecert/demo/kubeconfig"},
		{FitPath, "~/.local/share/ccecert/demo/kubeconfig", 20, "…/demo/kubeconfig"},
		{FitPath, "~/.local/share/ccecert/demo/kubeconfig", 12, "…/kubeconfig"},
		{FitPath, "~/.local/share/ccecert/demo/kubeconfig", 6, "…onfig"},
		{FitList, "staging-auto-internal, staging-auto-external", 30, "staging-auto-internal +1"},
		{FitList, "a-1, b-2, c-3", 11, "a-1, b-2 +1"},
		{FitList, "a-1, b-2, c-3", 8, "a-1 +2"},
		{FitList, "staging-auto-internal, staging-auto-external", 10, "stagin… +1"},
		{FitEnd, "prod-payments-international", 10, "prod-paym…"},
	} {
		got := tc.fit.shorten(tc.s, tc.w)
		if got != tc.want || width(got) > tc.w {
			t.Errorf("fit %d of %q in %d: %q, want %q", tc.fit, tc.s, tc.w, got, tc.want)
		}
	}
	if got := FitPath.least("~/.local/share/ccecert/demo/kubeconfig"); got != len("…/demo/kubeconfig")-2 {
		t.Errorf("a path's least: %d", got)
	}
	if got := FitList.least("staging-auto-internal, staging-auto-external"); got != len("staging-auto-internal +1") {
		t.Errorf("a list's least: %d", got)
	}
}

// The content-driven layout: short columns are not padded; paths give way
// before names; droppable columns go before any name is cut; with nothing
// left to drop names are cut, and the order of columns never changes.
func TestFitLayout(t *testing.T) {
	cols := []Column{
		{Title: "NAME", Width: 6, Shrink: 1},
		{Title: "CONTEXT", Width: 6, Shrink: 2, Fit: FitList},
		{Title: "EXPIRES", Width: 16, Drop: 2},
		{Title: "LEFT", Width: 8},
		{Title: "FILE", Width: 6, Shrink: 3, Fit: FitPath, Drop: 1},
	}
	content := []Content{
		Measure(FitEnd, "short", "prod-payments"),
		Measure(FitList, "prod-payments-internal, prod-payments-external"),
		{}, {},
		Measure(FitPath, "~/.local/share/ccecert/demo/kubeconfig"),
	}
	for _, tc := range []struct {
		total int
		want  []int
	}{
		{200, []int{13, 46, 16, 8, 38}}, // all whole; the rest stays spare
		{110, []int{13, 46, 16, 8, 23}}, // the path shrinks first
		{100, []int{13, 42, 16, 8, 17}}, // down to its file and directory, then the list by name
		{70, []int{13, 29, 0, 8, 17}},   // EXPIRES goes (highest Drop)
		{60, []int{13, 37, 0, 8, 0}},    // then FILE
		{30, []int{13, 7, 0, 8, 0}},     // nothing to drop: names cut, the list first
	} {
		got := fitLayout(cols, content, tc.total)
		if usedWidth(got) > tc.total && tc.total >= 30 {
			t.Errorf("%d: %v is %d wide", tc.total, got, usedWidth(got))
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%d columns: widths %v, want %v", tc.total, got, tc.want)
				break
			}
		}
	}
}

// A column dropped on the way comes back when a later drop freed room for
// it.
func TestFitLayoutBringsBackWhatFits(t *testing.T) {
	cols := []Column{{Title: "A", Width: 10}, {Title: "B", Width: 5, Drop: 2}, {Title: "C", Width: 20, Drop: 1}}
	got := fitLayout(cols, make([]Content, 3), 30)
	if want := []int{10, 5, 0}; got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("widths %v, want %v", got, want)
	}
}
