package engine

import (
	"errors"
	"fmt"
	"testing"

	"ccecert/api"
	"ccecert/store"
)

// TestEventsRecordWhoAndRequestID: the log says who a fetch was for (the
// certificate's CN, the IAM user id) and keeps the cloud's request id of
// a failed call.
func TestEventsRecordWhoAndRequestID(t *testing.T) {
	e := newEngineEnv(t, envOptions{})
	c := e.fetch(t, FetchRequest{Target: e.target(t, "prod-web")}).Credential
	log, err := e.store.EventLog(t.Context(), store.EventQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, ev := range log {
		if ev.Action == "fetch" && ev.Credential == c.ID {
			found = true
			if ev.Who == "" || ev.Who != c.Subject {
				t.Errorf("fetch event who = %q; want the certificate's CN %q", ev.Who, c.Subject)
			}
		}
	}
	if !found {
		t.Fatalf("no fetch event for %s in %+v", c.ID, log)
	}
	wrapped := fmt.Errorf("fetch: %w", &api.Error{Status: 403, RequestID: "req-123", Message: "forbidden"})
	if got := requestIDOf(wrapped); got != "req-123" {
		t.Errorf("requestIDOf = %q; want req-123", got)
	}
	if got := requestIDOf(errors.New("local")); got != "" {
		t.Errorf("requestIDOf(local error) = %q", got)
	}
}
