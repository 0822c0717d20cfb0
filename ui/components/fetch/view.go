package fetch

import (
	"errors"
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"ccecert/api"
	"ccecert/store"
	"ccecert/ui/sanitize"
)

const labelWidth = 13

// View renders the dialog box.
func (m Model) View() string {
	inner := m.width - 4 // border and padding
	var lines []string
	add := func(s ...string) { lines = append(lines, s...) }
	add(m.st.DialogTitle.Render("Fetch a credential · " + m.name))
	add(m.wrapped("", m.st.Muted, "", m.summary())...)
	if m.target.Kind == api.KindFleet && m.target.Federation {
		add(m.connectionNote()...)
	}
	if reason := m.Disabled(); reason != "" {
		add("")
		add(m.wrapped("", m.st.Critical, "✗ ", "Cannot fetch: "+reason)...)
		add("", m.st.Muted.Render("esc close"))
		return m.box(lines, inner)
	}
	add("")
	add(m.validityRows()...)
	if m.target.Kind == api.KindFleet {
		add(m.connectionRows()...)
	} else {
		add(m.contextRows()...)
	}
	add(m.wrapped(m.row(fieldMode, "Write mode", m.choices([]string{"inline", "exec"}, modeIndex(m.mode), nil)+"  "), m.st.Muted, "", modeHint(m.mode))...)
	add(m.row(fieldKubeconfig, "Kubeconfig", m.kubecfg.View()))
	add(m.row(fieldUse, "Use it", checkbox(m.use)+" make its context the current-context"))
	add("")
	add(m.submitRows()...)
	return m.box(lines, inner)
}

// box draws the dialog; lines are cut to the inner width as a last resort
// (text that matters is wrapped beforehand, see wrapped).
func (m Model) box(lines []string, inner int) string {
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, inner, "…")
	}
	return m.st.Dialog.Width(m.width - 2).Render(strings.Join(lines, "\n"))
}

// summary is the target's one-line description.
func (m Model) summary() string {
	t := m.target
	if t.Kind == api.KindFleet {
		fed := "federation off"
		if t.Federation {
			fed = "federation on"
		}
		return fmt.Sprintf("fleet · %d members · %s", len(t.Members), fed)
	}
	eps := "internal endpoint only (no EIP)"
	if t.HasEIP() {
		eps = "internal + external endpoints"
	}
	return sanitize.Line(fmt.Sprintf("%s · %s · %s · %s · %s", t.Kind, t.Region, t.Version, t.Phase, eps))
}

// row renders one labelled row, marked when focused.
func (m Model) row(f field, label, body string) string {
	mark, st := "  ", m.st.Muted
	if m.focus == f {
		mark, st = "▸ ", m.st.Focused
	}
	return st.Render(mark+padRight(label, labelWidth-2)) + body
}

func (m Model) validityRows() []string {
	if reason := m.validityFixed(); reason != "" {
		return m.wrapped(m.row(fieldValidity, "Validity", m.st.Disabled.Render("fixed")+"  "), m.st.Muted, "", reason)
	}
	labels := make([]string, len(m.presets))
	disabled := make([]bool, len(m.presets))
	for i, p := range m.presets {
		labels[i] = p.label
		disabled[i] = m.presetDisabled(p) != ""
	}
	rows := []string{m.row(fieldValidity, "Validity", m.choices(labels, m.preset, disabled))}
	v, err := m.validity()
	indent := "  " + padRight("", labelWidth-2)
	switch m.presets[m.preset].kind {
	case presetCustom:
		rows = append(rows, m.row(fieldCustom, "Days", "["+padRight(m.custom.View(), 6)+"] "+m.st.Muted.Render(fmt.Sprintf("1..%d", m.maxDays()))))
	case presetUntil:
		rows = append(rows, m.row(fieldUntil, "Until", "["+padRight(m.until.View(), 25)+"] "+m.st.Muted.Render("date or RFC 3339 time")))
	}
	rows = append(rows, indent+m.verdict(v, err))
	if p := m.presets[m.preset]; p.kind != presetUntil && m.target.Kind == api.KindFleet {
		rows = append(rows, "  "+padRight("", labelWidth-2)+m.st.Muted.Render("until date: n/a, fleets take 1..1825 days"))
	}
	return rows
}

// verdict is the inline result of the validity as typed.
func (m Model) verdict(v api.Validity, err error) string {
	if err != nil {
		msg := err.Error()
		var ve *api.ValidityError
		if errors.As(err, &ve) {
			msg = ve.Reason
		}
		return m.st.Critical.Render("✗ " + sanitize.Line(msg))
	}
	end := v.NotAfter(m.now).In(m.loc).Format("2006-01-02 15:04 MST")
	return m.st.OK.Render("✓ expires " + end)
}

func (m Model) contextRows() []string {
	ext := m.externalDisabled()
	disabled := []bool{false, ext != "", ext != ""}
	rows := []string{m.row(fieldContexts, "Contexts", m.choices([]string{"internal", "external", "both"}, int(m.contexts), disabled))}
	indent := "  " + padRight("", labelWidth-2)
	switch {
	case ext != "":
		rows = append(rows, m.wrapped(indent, m.st.Muted, "", "external, both: "+ext)...)
	case m.contexts != ContextsInternal:
		rows = append(rows, m.wrapped(indent, m.st.Warning, "⚠ ", "external: checked against the cluster CA when fetched; written insecure, and marked, only if it does not verify")...)
	default:
		rows = append(rows, indent+m.st.Muted.Render("internal verifies the server with the cluster CA"))
	}
	return rows
}

// connectionNote says under the summary what a fleet fetch does to the
// fleet's federation connection: a warning when it creates one.
func (m Model) connectionNote() []string {
	if !m.newConn {
		return m.wrapped("", m.st.Muted, "", "uses the fleet's existing federation connection")
	}
	return m.wrapped("", m.st.Warning, "⚠ ", "Fetching creates a federation connection in the VPC and subnet below.")
}

// connectionRows are a fleet's connection choice and its VPC and subnet,
// which only a new connection takes: with the existing one they stay in
// place, disabled, so the dialog keeps its height.
func (m Model) connectionRows() []string {
	chosen, hint := 0, "the fleet's federation connection"
	if m.newConn {
		chosen, hint = 1, "a new one in the VPC and subnet below"
	}
	rows := []string{m.row(fieldConnection, "Connection", m.choices([]string{"existing", "new"}, chosen, nil)+"  "+m.st.Muted.Render(hint))}
	if !m.newConn {
		return append(rows,
			m.row(fieldVPC, "VPC", m.st.Disabled.Render("— only for a new connection")),
			m.row(fieldSubnet, "Subnet", m.st.Disabled.Render("—")))
	}
	return append(rows, m.networkRows()...)
}

func (m Model) networkRows() []string {
	switch {
	case m.vpcLoading:
		return []string{m.row(fieldVPC, "VPC", m.st.Muted.Render("loading VPCs…")), m.row(fieldSubnet, "Subnet", m.st.Muted.Render("…"))}
	case m.vpcErr != "":
		return append(m.wrapped(m.row(fieldVPC, "VPC", ""), m.st.Critical, "✗ ", m.vpcErr), m.row(fieldSubnet, "Subnet", m.st.Disabled.Render("—")))
	}
	v := m.vpcs[m.vpc]
	rows := []string{m.row(fieldVPC, "VPC", picker(m.vpcName(v)+" "+v.CIDR, m.vpc, len(m.vpcs)))}
	if len(v.Subnets) == 0 {
		return append(rows, m.row(fieldSubnet, "Subnet", m.st.Critical.Render("✗ no subnet in this VPC: pick another")))
	}
	s := v.Subnets[m.subnet]
	return append(rows, m.row(fieldSubnet, "Subnet", picker(s.Name+" "+s.CIDR, m.subnet, len(v.Subnets))))
}

func (m Model) submitRows() []string {
	label := "[ Fetch ]"
	if m.focus == fieldSubmit {
		label = m.st.Focused.Render("▸ [ Fetch ]")
	} else {
		label = "  " + label
	}
	rows := []string{label + m.st.Muted.Render("   enter fetch · esc cancel")}
	if m.err != "" {
		rows = append(rows, m.wrapped("", m.st.Critical, "✗ ", sanitize.Line(m.err))...)
	}
	return rows
}

// wrapped lays inert text out after prefix (already rendered), wrapped to
// the inner width; continuation lines line up under the text after mark.
// Each line is styled on its own, so no style spans a line break.
func (m Model) wrapped(prefix string, st lipgloss.Style, mark, text string) []string {
	lead := lipgloss.Width(prefix) + lipgloss.Width(mark)
	lines := strings.Split(ansi.Wrap(text, max(m.width-4-lead, 10), ""), "\n")
	out := make([]string, len(lines))
	for i, l := range lines {
		if i == 0 {
			out[i] = prefix + st.Render(mark+l)
		} else {
			out[i] = strings.Repeat(" ", lead) + st.Render(l)
		}
	}
	return out
}

// choices renders a row of options, the chosen one in brackets, disabled
// ones faint.
func (m Model) choices(labels []string, chosen int, disabled []bool) string {
	parts := make([]string, len(labels))
	for i, l := range labels {
		switch {
		case i == chosen:
			parts[i] = "[" + l + "]"
		case disabled != nil && disabled[i]:
			parts[i] = m.st.Disabled.Render(" " + l + " ")
		default:
			parts[i] = " " + l + " "
		}
	}
	return strings.Join(parts, "")
}

func picker(label string, i, n int) string {
	return fmt.Sprintf("‹ %s › %d/%d", sanitize.Line(label), i+1, n)
}

func checkbox(on bool) string {
	if on {
		return "[x]"
	}
	return "[ ]"
}

func modeIndex(m store.Mode) int {
	if m == store.ModeExec {
		return 1
	}
	return 0
}

func modeHint(m store.Mode) string {
	if m == store.ModeExec {
		return "runs `ccecert credential`; the key stays encrypted"
	}
	return "cert and key written into the file"
}

func padRight(s string, w int) string {
	if n := lipgloss.Width(s); n < w {
		return s + strings.Repeat(" ", w-n)
	}
	return s
}
