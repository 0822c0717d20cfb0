package ui

import (
	"fmt"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"ccecert/store"
	"ccecert/ui/components/eventlog"
	"ccecert/ui/sanitize"
)

// eventsLimit is how many events the events dialog shows: the newest.
const eventsLimit = 50

// openEvents opens the events dialog for the selected credential's target
// and loads its newest events in the background.
func (m *Model) openEvents() tea.Cmd {
	c := m.selectedCred()
	if c == nil || m.active != pageCredentials {
		return nil
	}
	title := "Events · " + c.target
	if c.region != "" {
		title += " (" + c.region + ")"
	}
	m.widgets.events = eventlog.New(title, m.styles)
	m.widgets.events.SetSize(m.width-4, m.layout.bodyH)
	m.dialog = dialogEvents
	id := m.begin("loading events")
	m.requests.events = id
	q := store.EventQuery{Target: c.cred.Target.Key(), Limit: eventsLimit}
	return loadEvents(m.ctx, m.backend, m.opts.Timeouts.Action, id, q)
}

// closeEvents closes the events dialog; a load still running is dropped
// when it lands.
func (m *Model) closeEvents() {
	m.dialog = dialogNone
	m.requests.events = 0
}

// onEvents gives the events dialog that asked its events. An error closes
// the dialog and shows in the status line.
func (m *Model) onEvents(msg eventsMsg) {
	m.end(msg.id)
	if m.dialog != dialogEvents || msg.id != m.requests.events {
		return
	}
	if msg.err != nil {
		m.closeEvents()
		m.fail("", "read the events log", msg.err)
		return
	}
	rows := eventRows(msg.recs, m.opts.Location)
	m.widgets.events.SetEvents(rows, m.eventsNote(len(rows)))
}

// eventsNote says what the dialog lists and in which time zone.
func (m Model) eventsNote(n int) string {
	what := count(n, "event")
	if n >= eventsLimit {
		what = fmt.Sprintf("the newest %d events", n)
	}
	return what + ", newest first · times in " + zoneName(m.opts.Location, m.now) + " · esc closes"
}

// zoneName names loc: its name, or for the local zone its abbreviation
// at now ("CET"), which says more than "Local".
func zoneName(loc *time.Location, now time.Time) string {
	if name := loc.String(); name != "Local" && name != "" {
		return sanitize.Line(name)
	}
	return sanitize.Line(now.In(loc).Format("MST"))
}

// eventRows are the store's records (oldest first) as the dialog's rows,
// newest first, every value made inert.
func eventRows(recs []store.EventRecord, loc *time.Location) []eventlog.Event {
	out := make([]eventlog.Event, 0, len(recs))
	for i := len(recs) - 1; i >= 0; i-- {
		r := recs[i]
		out = append(out, eventlog.Event{
			Time:       r.At.In(loc).Format("2006-01-02 15:04:05"),
			Action:     sanitize.Line(r.Action),
			Who:        sanitize.Line(r.Who),
			Credential: sanitize.Line(r.Credential),
			Result:     sanitize.Line(r.Result),
			RequestID:  sanitize.Line(r.RequestID),
			Failed:     strings.HasPrefix(r.Result, "error"),
		})
	}
	return out
}
