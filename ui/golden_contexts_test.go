package ui

import (
	"fmt"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
)

// TestGoldenContexts: the Contexts page at the three sizes of issue 16:
// every context (foreign ones too) with the current one marked and first,
// its credential's health and countdown where one is known; the delete
// confirmation of one of ccecert's, the namespace prompt, and a foreign
// context's delete refused with the reason.
func TestGoldenContexts(t *testing.T) {
	cases := []goldenCase{
		{name: "contexts", keys: []string{"4"}, wait: "kind-kind"},
		{name: "contexts_delete", keys: []string{"4", "d"}, wait: "Delete context"},
		{name: "contexts_namespace", keys: []string{"4", "n"}, wait: "Namespace of"},
		{name: "contexts_foreign", keys: []string{"4", "down", "d"}, wait: "never deletes a foreign"},
	}
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 50}} {
		for _, gc := range cases {
			t.Run(fmt.Sprintf("%s_%dx%d", gc.name, size[0], size[1]), func(t *testing.T) {
				clock := testNow
				tm := teatest.NewTestModel(t, New(newFake(), testOptions(&clock)), teatest.WithInitialTermSize(size[0], size[1]))
				waitFor(t, tm, "EXPIRED 3d ago")
				for _, k := range gc.keys {
					sendKey(tm, k)
				}
				waitFor(t, tm, gc.wait)
				if err := tm.Quit(); err != nil {
					t.Fatal(err)
				}
				final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
				teatest.RequireEqualOutput(t, []byte(ansi.Strip(final.View())+"\n"))
			})
		}
	}
}
