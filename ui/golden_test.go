package ui

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"ccecert/api"
)

// goldenCase drives the real program (teatest) into a state and compares
// the final screen with testdata/TestGolden/<name>_<w>x<h>.golden.
type goldenCase struct {
	name  string
	setup func(f *fakeBackend)
	keys  []string // sent after the data is on screen
	wait  string   // text that shows the state is reached
	opts  func(*Options)
	ready string // text that shows the data is on screen; "" = the expired row
}

// noKeys is the first run without an access key: nothing cached or on
// file, no key.
func noKeys(f *fakeBackend) {
	f.inv, f.creds = Inventory{}, nil
}

const noKeysErr = "no Huawei Cloud access key: CLOUD_SDK_AK and CLOUD_SDK_SK not set — export CLOUD_SDK_AK and CLOUD_SDK_SK (an access key from IAM → My Credentials → Access Keys)"

func goldenCases() []goldenCase {
	return []goldenCase{
		{name: "clusters"},
		{name: "fleets", keys: []string{"2"}, wait: "3: prod-web"},
		{name: "credentials", keys: []string{"3"}, wait: "1y 35d"},
		{name: "fetch_cce_eip", keys: []string{"/", "prod-web", "enter", "f"}, wait: "Fetch a credential"},
		{name: "fetch_cce_no_eip", keys: []string{"/", "prod-api", "enter", "f", "tab", "right"}, wait: "no EIP"},
		// fleet-main without its credential: no connection yet, so the
		// dialog offers a new one, with its VPC and subnet.
		{name: "fetch_fleet", setup: withoutFleetCreds, keys: []string{"2", "f"}, wait: "vpc-main"},
		{name: "fetch_fleet_no_federation", keys: []string{"2", "down", "f"}, wait: "Cannot fetch"},
		{name: "help", keys: []string{"?"}, wait: "renew all"},
		// legacy-batch's log, newest first: a failed renewal selected.
		{name: "events", setup: withEvents, keys: []string{"3", "L"}, wait: "newest first"},
		{name: "status_error", setup: func(f *fakeBackend) {
			f.inv.Errors = []api.RegionError{{Region: "eu-west-0", Kind: api.KindCCE, Err: errors.New("timeout after 10s: region unreachable")}}
			f.renewErr = map[string]error{"d4e5f6a7": errors.New("HTTP 403 CCE.01403001: forbidden (request 9f8e7d) — grant cce:cluster:generateClientCredential")}
		}, keys: []string{"r"}, wait: "forbidden"},
		{name: "no_keys", setup: noKeys, opts: func(o *Options) { o.NoKeys = noKeysErr }, ready: "ccecert --demo", keys: []string{"ctrl+r"}, wait: "refresh: no access key"},
		{name: "no_keys_enter", setup: noKeys, opts: func(o *Options) { o.NoKeys = noKeysErr }, ready: "ccecert --demo", keys: []string{"enter"}, wait: "nothing to act on without"},
	}
}

func TestGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}, {200, 50}} {
		for _, gc := range goldenCases() {
			t.Run(fmt.Sprintf("%s_%dx%d", gc.name, size[0], size[1]), func(t *testing.T) {
				f := newFake()
				if gc.setup != nil {
					gc.setup(f)
				}
				clock := testNow
				o := testOptions(&clock)
				if gc.opts != nil {
					gc.opts(&o)
				}
				tm := teatest.NewTestModel(t, New(f, o), teatest.WithInitialTermSize(size[0], size[1]))
				ready := gc.ready
				if ready == "" {
					ready = "EXPIRED 3d ago"
				}
				waitFor(t, tm, ready)
				for _, k := range gc.keys {
					sendKey(tm, k)
				}
				if gc.wait != "" {
					waitFor(t, tm, gc.wait)
				}
				if err := tm.Quit(); err != nil {
					t.Fatal(err)
				}
				final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
				if final.busy() {
					t.Fatalf("still busy at the end: %v", final.requests.busy)
				}
				teatest.RequireEqualOutput(t, []byte(ansi.Strip(final.View())+"\n"))
			})
		}
	}
}

// sendKey sends a named key, or types a word.
func sendKey(tm *teatest.TestModel, k string) {
	msg := keyMsg(k)
	if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 {
		tm.Type(k)
		return
	}
	tm.Send(msg)
}

// waitFor waits until the program has drawn text.
func waitFor(t *testing.T, tm *teatest.TestModel, text string) {
	t.Helper()
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte(text))
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
}
