package ui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
)

// The first run without keys: nothing is cached or on file, and no cloud
// call can work (Options.NoKeys says why). Instead of empty tables and a
// refresh that can only fail, the body is one panel: what is missing, the
// command that adds keys, and the demo.

// firstRun reports that the body shows the no-keys panel.
func (m Model) firstRun() bool {
	return m.opts.NoKeys != "" && len(m.targets) == 0 && len(m.creds) == 0
}

// noKeysLines is the panel, wrapped to w cells.
func (m Model) noKeysLines(w int) []string {
	inner := max(min(w-4, 76), 20)
	st := m.styles
	var out []string
	add := func(s ...string) { out = append(out, s...) }
	wrap := func(style lipgloss.Style, indent, text string) {
		for _, l := range strings.Split(wrapWords(text, inner-len(indent)), "\n") {
			add(indent + style.Render(l))
		}
	}
	add(st.DialogTitle.Render("ccecert needs a Huawei Cloud access key"), "")
	wrap(st.App, "", "It lists your CCE clusters and UCS fleets and fetches their certificates with an access key, and it has none:")
	wrap(st.StatusError, "  ", "✗ "+m.opts.NoKeys)
	add("")
	add(st.Title.Render("Add a key") + "       " + st.App.Render("ccecert configure"))
	wrap(st.Muted, "                ", "stores an access key for a profile (or export CLOUD_SDK_AK and CLOUD_SDK_SK)")
	add("")
	add(st.Title.Render("Try it first") + "    " + st.App.Render("ccecert --demo"))
	wrap(st.Muted, "                ", "the same TUI over a demo cloud on this machine; nothing leaves it")
	add("")
	wrap(st.Muted, "", "Then run ccecert again. q quits.")
	return out
}

// appendNoKeys appends the panel as exactly n lines of width w, a margin
// left of it.
func (m Model) appendNoKeys(b []byte, n, w int) []byte {
	lines := m.noKeysLines(w)
	top := 0
	if n > len(lines)+2 {
		top = 1
	}
	for i := range n {
		if j := i - top; j >= 0 && j < len(lines) {
			b = appendCut(b, "  "+lines[j], lipgloss.Width(lines[j])+2, w)
		}
		b = append(b, '\n')
	}
	return b
}

// refreshRefusal is why ctrl+r cannot work without keys.
func (m Model) refreshRefusal() string {
	return "refresh: no access key — run `ccecert configure`, or try `ccecert --demo`"
}
