package store

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"ccecert/api"
)

func TestEventLogFiltersAndFillsIn(t *testing.T) {
	st, err := Open(t.Context(), filepath.Join(t.TempDir(), "data"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := t.Context()
	web := api.Target{Kind: api.KindCCE, ID: "c-web", Name: "prod-web", Region: "r1"}
	db := api.Target{Kind: api.KindCCE, ID: "c-db", Name: "prod-db", Region: "r1"}
	if err := st.SaveTargets(ctx, []api.Target{web, db}, Scope{}, time.Now()); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, e := range []struct {
		ev       Event
		who, req string
	}{
		{Event{Action: "fetch", Target: web.Key(), Credential: "aaaa1111", Result: "ok"}, "user-1", "req-1"},
		{Event{Action: "fetch", Target: db.Key(), Result: "error: HTTP 403 CCE.01403001 forbidden (request 0f3e9a)"}, "", ""},
		{Event{Action: "revoke", Target: web.Key(), Credential: "aaaa1111", Result: "ok"}, "user-2", ""},
	} {
		e.ev.At = t0.Add(time.Duration(i) * time.Hour)
		ev := e.ev
		ev.Who, ev.RequestID = e.who, e.req
		if err := st.AppendEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.AppendEvent(ctx, Event{Action: "list", Result: "ok", At: t0.Add(3 * time.Hour)}); err != nil {
		t.Fatal(err)
	}

	all, err := st.EventLog(ctx, EventQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, r := range all {
		actions = append(actions, r.Action)
	}
	if !slices.Equal(actions, []string{"fetch", "fetch", "revoke", "list"}) {
		t.Fatalf("actions oldest first = %v", actions)
	}
	if r := all[0]; r.Who != "user-1" || r.RequestID != "req-1" || r.TargetName != "prod-web" || !r.At.Equal(t0) {
		t.Errorf("first event = %+v", r)
	}
	if r := all[1]; r.RequestID != "0f3e9a" || r.TargetName != "prod-db" || r.Who != "" {
		t.Errorf("failed fetch = %+v, want the request id from its error", r)
	}

	for _, tc := range []struct {
		q    EventQuery
		want int
	}{
		{EventQuery{Target: "prod-web"}, 2},
		{EventQuery{Target: "c-db"}, 1},
		{EventQuery{Target: web.Key()}, 2},
		{EventQuery{Target: "nothing"}, 0},
		{EventQuery{Since: t0.Add(90 * time.Minute)}, 2},
		{EventQuery{Limit: 1}, 1},
	} {
		got, err := st.EventLog(ctx, tc.q)
		if err != nil || len(got) != tc.want {
			t.Errorf("EventLog(%+v) = %d events, %v; want %d", tc.q, len(got), err, tc.want)
		}
	}
	if err := st.AppendEvent(ctx, Event{Action: "fetch", Who: "-----BEGIN PRIVATE KEY-----"}); err == nil {
		t.Error("key material in who was stored")
	}
}
