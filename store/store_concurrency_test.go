package store

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"ccecert/api"
)

// TestHelperStore is the helper-process side of the two-process store test.
func TestHelperStore(t *testing.T) {
	if os.Getenv(helperEnv) != "store-writes" {
		return
	}
	ctx := context.Background()
	s, err := Open(ctx, os.Getenv(helperFile), Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "helper open:", err)
		os.Exit(2)
	}
	ca := newCA(t)
	for i := 0; i < 40; i++ {
		tgt := cceTarget(fmt.Sprintf("p%d", i), "r", fmt.Sprintf("p%d", i))
		if _, err := s.AddCredential(ctx, tgt, issuedFor(t, ca, tgt, t0, t0.Add(Day)), Meta{}); err != nil {
			fmt.Fprintln(os.Stderr, "helper add:", err)
			os.Exit(3)
		}
		if err := s.AppendEvent(ctx, Event{Action: "helper", Target: tgt.Key(), Result: "ok"}); err != nil {
			fmt.Fprintln(os.Stderr, "helper event:", err)
			os.Exit(3)
		}
	}
	_ = s.Close()
	os.Exit(0)
}

func TestTwoStoresAndTwoProcessesWriteConcurrently(t *testing.T) {
	dir := filepath.Join(hermetic(t), "data")
	ctx := context.Background()
	a, err := Open(ctx, dir, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, dir, Options{Now: fixedNow})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	var stderr bytes.Buffer
	proc := helper(t, "store-writes", dir)
	proc.Args[1] = "-test.run=^TestHelperStore$"
	proc.Stderr = &stderr
	if err := proc.Start(); err != nil {
		t.Fatal(err)
	}
	ca := newCA(t)
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for w, s := range []*Store{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				tgt := cceTarget(fmt.Sprintf("w%d-%d", w, i), "r", fmt.Sprintf("w%d-%d", w, i))
				if _, err := s.AddCredential(ctx, tgt, issuedFor(t, ca, tgt, t0, t0.Add(Day)), Meta{}); err != nil {
					errs <- err
				}
				if err := s.AppendEvent(ctx, Event{Action: "fetch", Target: tgt.Key(), Result: "ok"}); err != nil {
					errs <- err
				}
				if err := s.SaveTargets(ctx, []api.Target{tgt}, Scope{Regions: []string{tgt.ID}}, t0); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if strings.Contains(err.Error(), "locked") || strings.Contains(err.Error(), "busy") {
			t.Errorf("busy database surfaced: %v", err)
		} else {
			t.Error(err)
		}
	}
	if err := proc.Wait(); err != nil {
		t.Fatalf("helper process: %v: %s", err, stderr.String())
	}
	all, err := b.Credentials(ctx, Filter{All: true})
	if err != nil || len(all) != 100+40 {
		t.Fatalf("%d credentials, %v", len(all), err)
	}
	if ev, _ := a.Events(ctx, 0); len(ev) != 100+40 {
		t.Fatalf("%d events", len(ev))
	}
	// Every key is readable by both instances.
	for _, c := range all[:5] {
		if _, err := a.Key(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
	}
}
