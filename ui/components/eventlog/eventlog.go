// Package eventlog is the events dialog: what ccecert did to one target,
// newest first, in a scrollable table, with the selected event's
// credential and whole result under it (a result is often an error too
// long for its column).
package eventlog

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"ccecert/ui/components/table"
	"ccecert/ui/styles"
)

// Action is what the dialog asks of its owner.
type Action int

// Actions.
const (
	ActionNone Action = iota
	ActionClose
)

// Event is one row, every field plain text already made inert.
type Event struct {
	Time       string
	Action     string
	Who        string
	Credential string
	Result     string
	RequestID  string
	Failed     bool // the result is an error
}

// KeyMap is the dialog's key map.
type KeyMap struct {
	Up     key.Binding
	Down   key.Binding
	Top    key.Binding
	Bottom key.Binding
	Close  key.Binding
}

// DefaultKeyMap returns the dialog's bindings, every one enabled.
func DefaultKeyMap() KeyMap {
	return KeyMap{
		Up:     key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑/k", "up")),
		Down:   key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Top:    key.NewBinding(key.WithKeys("g", "home"), key.WithHelp("g", "newest")),
		Bottom: key.NewBinding(key.WithKeys("G", "end"), key.WithHelp("G", "oldest")),
		Close:  key.NewBinding(key.WithKeys("esc", "q"), key.WithHelp("esc", "close")),
	}
}

// ShortHelp implements help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Up, k.Down, k.Top, k.Bottom, k.Close}
}

// FullHelp implements help.KeyMap.
func (k KeyMap) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// Row styles of the table: an index into table.Styles.Rows, out of range
// for none.
const (
	rowPlain  = -1
	rowFailed = 0
)

// detailLines is the height of the selected event's part: its
// credential, then its result over two lines.
const detailLines = 3

// Model is the dialog state.
type Model struct {
	title  string
	note   string
	events []Event
	loaded bool
	table  table.Model
	st     *styles.Styles
	keys   KeyMap
	width  int // outer
	height int // outer, at most
}

// New is the dialog titled title (inert), loading until SetEvents.
func New(title string, st *styles.Styles) Model {
	cols := []table.Column{
		{Title: "TIME", Width: 19},
		{Title: "ACTION", Width: 6},
		{Title: "WHO", Width: 8, Flex: 1},
		{Title: "RESULT", Width: 12, Flex: 4},
		{Title: "REQUEST", Width: 8, Flex: 1},
		{Title: "CREDENTIAL", Width: 17, Drop: 1}, // under the table when it does not fit
	}
	m := Model{
		title: title, note: "loading…", st: st, keys: DefaultKeyMap(),
		table: table.New(cols, table.Styles{Header: st.TableHeader, Selected: st.Selected, Empty: st.Muted, Rows: []lipgloss.Style{rowFailed: st.Critical}}),
	}
	m.SetSize(80, 24)
	return m
}

// SetEvents shows events (newest first); note says what they are
// ("newest 50 · times in UTC").
func (m *Model) SetEvents(events []Event, note string) {
	m.events, m.note, m.loaded = events, note, true
	m.table.SetRowCount(len(events))
	m.table.Top()
	m.syncKeys()
}

// Loaded reports whether SetEvents was called.
func (m Model) Loaded() bool { return m.loaded }

// Events are the rows shown, newest first.
func (m Model) Events() []Event { return m.events }

// Selected is the index of the selected event, -1 when there is none.
func (m Model) Selected() int { return m.table.Cursor() }

// SetSize fits the dialog in w×h cells (its outer size).
func (m *Model) SetSize(w, h int) {
	m.width, m.height = max(40, min(w, 120)), max(h, 8)
	rows := m.height - 2 - 2 // border; title and note
	if m.showDetail() {
		rows -= 1 + detailLines // a blank line, then the selection
	}
	m.table.SetSize(m.inner(), max(rows, 2))
	m.syncKeys()
}

// showDetail reports whether the selected event's part fits.
func (m Model) showDetail() bool { return m.height >= 12 }

func (m Model) inner() int { return m.width - 4 } // border and padding

// KeyMap returns the bindings, for the help line; those that cannot move
// are disabled.
func (m Model) KeyMap() KeyMap { return m.keys }

func (m *Model) syncKeys() {
	n := m.table.RowCount() > 1
	for _, b := range []*key.Binding{&m.keys.Up, &m.keys.Down, &m.keys.Top, &m.keys.Bottom} {
		b.SetEnabled(n)
	}
}

// Update handles a key.
func (m Model) Update(msg tea.Msg) (Model, Action) {
	km, ok := msg.(tea.KeyMsg)
	if !ok {
		return m, ActionNone
	}
	switch {
	case key.Matches(km, m.keys.Close):
		return m, ActionClose
	case key.Matches(km, m.keys.Up):
		m.table.Move(-1)
	case key.Matches(km, m.keys.Down):
		m.table.Move(1)
	case key.Matches(km, m.keys.Top):
		m.table.Top()
	case key.Matches(km, m.keys.Bottom):
		m.table.Bottom()
	}
	return m, ActionNone
}

// View renders the dialog box.
func (m Model) View() string {
	inner := m.inner()
	out := []string{m.st.DialogTitle.Render(m.title), m.st.Muted.Render(m.note)}
	empty := "loading events…"
	if m.loaded {
		empty = "no events recorded for this target"
	}
	for _, l := range m.table.Lines(m.row, empty) {
		out = append(out, l.Text)
	}
	if m.showDetail() {
		out = append(out, "")
		out = append(out, m.detail(inner)...)
	}
	for i, l := range out {
		out[i] = ansi.Truncate(l, inner, "…")
	}
	return m.st.Dialog.Width(m.width - 2).Render(strings.Join(out, "\n"))
}

func (m Model) row(i int, buf []string) table.Row {
	e := m.events[i]
	buf = append(buf[:0], e.Time, e.Action, dash(e.Who), e.Result, dash(e.RequestID), dash(e.Credential))
	r := table.Row{Cells: buf, Style: rowPlain}
	if e.Failed {
		r.Style = rowFailed
	}
	return r
}

// detail is the selected event's credential, who and whole result, in
// detailLines lines.
func (m Model) detail(w int) []string {
	lines := make([]string, 0, detailLines)
	if i := m.table.Cursor(); i >= 0 {
		e := m.events[i]
		lines = append(lines, m.field("credential", dash(e.Credential)+m.st.Muted.Render(" · who ")+dash(e.Who)))
		paint := func(s string) string { return s }
		if e.Failed {
			paint = func(s string) string { return m.st.Critical.Render(s) }
		}
		const indent = 11 // "result" and its padding
		wrapped := strings.Split(ansi.Wrap(e.Result, max(w-indent, 10), " ·,/"), "\n")
		if len(wrapped) > detailLines-1 {
			wrapped = wrapped[:detailLines-1]
			wrapped[len(wrapped)-1] += "…"
		}
		for j, l := range wrapped {
			name := ""
			if j == 0 {
				name = "result"
			}
			lines = append(lines, m.field(name, paint(l)))
		}
	}
	for len(lines) < detailLines {
		lines = append(lines, "")
	}
	return lines
}

// field renders "name value" with the name muted.
func (m Model) field(name, value string) string {
	return m.st.DetailKey.Render(fmt.Sprintf("%-10s", name)) + " " + value
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
