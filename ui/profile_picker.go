package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"ccecert/ui/sanitize"
)

// ProfileSwitcher is what a Backend with several profiles (accounts)
// implements besides Backend: the picker key (P) lists them and switches
// without a restart. A Backend without it has one profile and no picker.
type ProfileSwitcher interface {
	// Profiles lists the profiles, the current one marked. It reads what
	// the backend holds already (no I/O), so Update may call it.
	Profiles() []ProfileInfo
	// SwitchProfile makes name the current profile: from then on every
	// call is that profile's (its inventory, credentials and keys). The
	// new profile's header labels come back.
	SwitchProfile(ctx context.Context, name string) (ProfileInfo, error)
}

// ProfileInfo is one profile as the picker and the header show it; all
// text is made inert before it is drawn.
type ProfileInfo struct {
	Name    string
	Site    string
	Source  string // the credential source, never a secret
	Current bool
	Account string // the header's account label under this profile
	Regions string // the header's regions label under this profile
	// Kubeconfig is the profile's default kubeconfig for the fetch
	// dialog; empty: Options.KubeconfigPath.
	Kubeconfig string
}

// profilePicker is the open picker: the profiles and the cursor.
type profilePicker struct {
	items  []ProfileInfo
	cursor int
}

// profileSwitchedMsg is a switch's answer.
type profileSwitchedMsg struct {
	id   int
	info ProfileInfo
	err  error
}

// switcher is the backend's ProfileSwitcher when it has more than one
// profile to switch between.
func (m Model) switcher() (ProfileSwitcher, bool) {
	ps, ok := m.backend.(ProfileSwitcher)
	if !ok || len(ps.Profiles()) < 2 {
		return nil, false
	}
	return ps, true
}

// openProfilePicker opens the picker on the current profile.
func (m *Model) openProfilePicker() {
	ps, ok := m.switcher()
	if !ok {
		return
	}
	p := profilePicker{items: ps.Profiles()}
	for i, it := range p.items {
		if it.Current {
			p.cursor = i
		}
	}
	m.widgets.picker = p
	m.dialog = dialogProfile
}

// pickerKey moves the cursor, switches on enter, closes on esc.
func (m *Model) pickerKey(k tea.KeyMsg) tea.Cmd {
	p := &m.widgets.picker
	km := m.widgets.keys
	switch {
	case k.Type == tea.KeyEsc || key.Matches(k, km.Quit) || key.Matches(k, km.Profile):
		m.dialog = dialogNone
	case k.Type == tea.KeyUp || k.String() == "k":
		p.cursor = max(p.cursor-1, 0)
	case k.Type == tea.KeyDown || k.String() == "j":
		p.cursor = min(p.cursor+1, len(p.items)-1)
	case k.Type == tea.KeyEnter:
		m.dialog = dialogNone
		if len(p.items) == 0 || p.items[p.cursor].Current {
			return nil
		}
		ps, ok := m.switcher()
		if !ok {
			return nil
		}
		name := p.items[p.cursor].Name
		id := m.begin("switching to profile " + sanitize.Line(name))
		return switchProfile(m.ctx, ps, m.opts.Timeouts.Action, id, name)
	}
	return nil
}

func switchProfile(parent context.Context, ps ProfileSwitcher, d time.Duration, id int, name string) tea.Cmd {
	return call(parent, d, func(ctx context.Context) tea.Msg {
		info, err := ps.SwitchProfile(ctx, name)
		return profileSwitchedMsg{id: id, info: info, err: err}
	}, func(err error) tea.Msg { return profileSwitchedMsg{id: id, err: err} })
}

// onProfileSwitched shows the new profile: every answer asked before the
// switch is dropped, the screen is emptied and the new profile's cache,
// credentials and a refresh are loaded.
func (m *Model) onProfileSwitched(msg profileSwitchedMsg) tea.Cmd {
	m.end(msg.id)
	if msg.err != nil {
		m.fail("", "switch profile", msg.err)
		return nil
	}
	r := m.requests
	r.invApplied, r.credsApplied = r.seq, r.seq // what the old profile still answers is stale
	m.profile = msg.info
	m.fetchedAt, m.regionErrs = time.Time{}, nil
	m.setData(nil, nil)
	cached, creds := m.begin("loading cache"), m.begin("loading credentials")
	m.succeed("", "profile "+sanitize.Line(msg.info.Name))
	return tea.Batch(
		loadCached(m.ctx, m.backend, m.opts.Timeouts.Load, cached),
		loadCredentials(m.ctx, m.backend, m.opts.Timeouts.Load, creds),
		m.startRefresh(),
	)
}

// pickerView draws the picker: one line per profile, the cursor's marked
// with ▸ and the current one with "(current)", so colour is never the only
// signal.
func (m Model) pickerView() string {
	p := m.widgets.picker
	st := m.styles
	width := min(max(m.width-4, 20), 72)
	lines := []string{st.DialogTitle.Render("Switch profile"), st.Muted.Render("enter switch · esc close")}
	for i, it := range p.items {
		mark := "  "
		if i == p.cursor {
			mark = "▸ "
		}
		line := fmt.Sprintf("%s%-16s %-15s %s", mark, sanitize.Line(it.Name), sanitize.Line(it.Site), sanitize.Line(it.Source))
		if it.Current {
			line += "  (current)"
		}
		line = ansi.Truncate(line, width-4, "…")
		if i == p.cursor {
			line = st.Focused.Render(line)
		}
		lines = append(lines, line)
	}
	return st.Dialog.Width(width).Render(strings.Join(lines, "\n"))
}

// headerProfile is the profile label of the header, "" with one profile.
func (m Model) headerProfile() string {
	if m.profile.Name == "" {
		return ""
	}
	return "profile " + sanitize.Line(m.profile.Name)
}

// kubeconfigPath is the fetch dialog's default file: the current
// profile's, else the options'.
func (m Model) kubeconfigPath() string {
	if m.profile.Kubeconfig != "" {
		return m.profile.Kubeconfig
	}
	return m.opts.KubeconfigPath
}
