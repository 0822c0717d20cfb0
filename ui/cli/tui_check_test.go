package cli

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ccecert/store"
)

// The TUI opens its store with the integrity check in the background; when
// the check finds damage, the live watcher reports a change once, and the
// credentials reload it starts says what is wrong, where a command would
// have refused to start.
func TestTheTUISaysWhenTheBackgroundCheckFindsDamage(t *testing.T) {
	isolateMain(t)
	ctx := t.Context()
	e := env{getenv: os.Getenv, now: time.Now, stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, deps: testDeps}
	g := &globalFlags{quiet: true}
	a, err := openApp(ctx, g, e)
	if err != nil {
		t.Fatal(err)
	}
	for range 50 {
		if err := a.store.AppendEvent(ctx, store.Event{Action: "fill", Result: strings.Repeat("x", 500)}); err != nil {
			t.Fatal(err)
		}
	}
	db := a.store.Path()
	a.close()
	data, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	for i := len(data) - 2*4096 + 100; i < len(data); i++ { // the events' last pages
		data[i] = 0xA5
	}
	if err := os.WriteFile(db, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := openApp(ctx, g, e); err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Fatalf("a command's open: %v, want the corrupt-database error", err)
	}

	a, err = openAppFor(ctx, g, e, openTUI)
	if err != nil {
		t.Fatalf("the TUI's open: %v", err)
	}
	defer a.close()
	b := newTUIBackend(a)
	if _, err := b.Changes(ctx); err != nil { // the baseline
		t.Fatal(err)
	}
	if err := a.store.Checked(ctx); err == nil {
		t.Fatal("the background check passed a damaged database")
	}
	for i, want := range []bool{true, false} {
		ch, err := b.Changes(ctx)
		if err != nil || ch.Store != want {
			t.Fatalf("Changes %d = %+v, %v; want Store %v", i, ch, err, want)
		}
	}
	_, err = b.Credentials(context.Background())
	if err == nil || !strings.Contains(err.Error(), "corrupt") || !strings.Contains(err.Error(), filepath.Base(db)) {
		t.Fatalf("Credentials = %v, want the corrupt-database error naming %s", err, db)
	}
}
