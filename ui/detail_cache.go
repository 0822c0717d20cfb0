package ui

// detail is detailLines, kept while the selection, the messages and the
// countdown it shows are the same; when only the countdown changed, its
// line alone is drawn again.
func (m Model) detail(p *frameParts, w, h int, wrap bool) []string {
	k := m.detailKey(w, h, wrap)
	still := k
	still.clock, still.usedPercent = countdownKey{}, 0
	return p.detail.get(k, func() []string {
		s := p.detailSplit.get(still, func() detailSplit { return m.splitDetail(w, wrap) })
		out := append(p.detail.val[:0], s.before...)
		if s.clock {
			_, value, _ := m.clockField()
			out = fitDetail(out, s.label+value, w, wrap)
		}
		return capLines(append(out, s.after...), h)
	})
}

// detailSplit is the detail pane fitted to its width around the line that
// reads the clock: the lines before it, whether there is one and its name
// drawn as field draws it, the lines after it.
type detailSplit struct {
	before, after []string
	clock         bool
	label         string
}

func (m Model) splitDetail(w int, wrap bool) detailSplit {
	d := m.detailText(w)
	s := detailSplit{before: d.errs}
	for i, l := range d.lines {
		switch {
		case i == d.clock:
			name, _, _ := m.clockField()
			s.clock, s.label = true, m.field(name, "")
		case s.clock:
			s.after = fitDetail(s.after, l, w, wrap)
		default:
			s.before = fitDetail(s.before, l, w, wrap)
		}
	}
	return s
}

// detailKey: the detail pane shows the selection, errors and warnings
// (all changed by messages) and one countdown, with the share of the
// lifetime used on the Credentials page.
type detailKey struct {
	rev           uint64
	active        int
	target        *targetItem
	cred          *credItem
	width, height int
	wrap          bool
	clock         countdownKey
	usedPercent   int
	message       bool // the status line's message is in the pane
}

func (m Model) detailKey(w, h int, wrap bool) detailKey {
	k := detailKey{rev: m.rev, active: m.active, width: w, height: h, wrap: wrap, message: m.messageInPane()}
	var shown *credItem
	if m.active == pageContexts {
		shown = m.selectedCred()
	} else if m.active == pageCredentials {
		k.cred = m.selectedCred()
		shown = k.cred
		if shown != nil {
			k.usedPercent = usedPercent(shown.cred, m.now)
		}
	} else if k.target = m.selectedTarget(); k.target != nil {
		shown = k.target.best
	}
	if shown != nil && shown.notAfterNano != 0 {
		k.clock = countdownKeyOf(shown, m.now)
	}
	return k
}
