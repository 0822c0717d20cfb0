package ui

import (
	"strings"

	"ccecert/ui/components/statusbar"
)

// A message is shown once, whole: on the status line when it fits there,
// else in full at the top of the detail pane, the status line then
// saying only what failed and where the rest is. (With no detail pane on
// screen the status line is all there is, and cuts it.)

// statusFits reports whether the status line shows its message whole.
func (m Model) statusFits() bool {
	return m.status.text == "" || statusbar.Fits(max(m.width, 20), m.styles, m.baseStatus())
}

// detailShown reports whether a detail pane is on screen.
func (m Model) detailShown() bool {
	return m.dialog == dialogNone && !m.firstRun() && (m.layout.side || m.layout.detailH > 0)
}

// messageInPane reports that the detail pane shows the status line's
// message in full.
func (m Model) messageInPane() bool {
	return (m.status.err || m.status.why) && m.detailShown() && !m.statusFits()
}

// shortMessage is what the status line says of a message the pane shows
// in full: what failed, and where the rest is.
func (m Model) shortMessage() string {
	where := "in full above"
	if m.layout.side {
		where = "in full at the right"
	}
	what, _, _ := strings.Cut(m.status.text, ": ")
	if m.status.err {
		what += " failed"
	} else if head, _, ok := strings.Cut(m.status.text, " — "); ok {
		what = head
	}
	return what + " · " + where
}

// messageMark is the status line's mark before an error or a refusal.
func (m Model) messageMark() string {
	if m.status.err {
		return "✗ "
	}
	return "⚠ "
}
