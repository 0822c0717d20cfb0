// Package fetch is the fetch dialog: the operator picks a validity, the
// contexts, the write mode and the kubeconfig for a new credential of one
// cluster or fleet. Whatever cannot apply is shown disabled with its reason.
package fetch

import (
	"slices"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"

	"ccecert/api"
	"ccecert/store"
	"ccecert/store/engine"
	"ccecert/ui/sanitize"
	"ccecert/ui/styles"
)

// Contexts is which contexts to write for a CCE cluster.
type Contexts int

// Context choices. A fleet always gets its one federation context.
const (
	ContextsInternal Contexts = iota
	ContextsExternal
	ContextsBoth
)

// String is the choice as shown.
func (c Contexts) String() string {
	return [...]string{"internal", "external", "both"}[c]
}

// Roles are the contexts the engine writes for the choice; a fleet has
// its one federation context, so none.
func (c Contexts) Roles(kind api.Kind) []api.ContextRole {
	if kind == api.KindFleet {
		return nil
	}
	switch c {
	case ContextsExternal:
		return []api.ContextRole{api.RoleExternal}
	case ContextsBoth:
		return []api.ContextRole{api.RoleInternal, api.RoleExternal}
	}
	return []api.ContextRole{api.RoleInternal}
}

// Options configure a new dialog.
type Options struct {
	Now        time.Time
	Location   *time.Location // for dates typed and shown; nil = UTC
	Kubeconfig string         // default target file
	Mode       store.Mode     // default write mode; empty = inline
	Styles     *styles.Styles
	// HasConnection: a credential was fetched for this fleet before, so its
	// federation connection was made; the dialog then reuses it by default.
	HasConnection bool
}

// field identifies a row of the dialog.
type field int

const (
	fieldValidity field = iota
	fieldCustom
	fieldUntil
	fieldContexts
	fieldConnection
	fieldVPC
	fieldSubnet
	fieldMode
	fieldKubeconfig
	fieldUse
	fieldSubmit
)

// Model is the dialog state.
type Model struct {
	target   api.Target
	name     string // inert display name
	now      time.Time
	loc      *time.Location
	st       *styles.Styles
	keys     KeyMap
	presets  []preset
	preset   int
	custom   textinput.Model
	until    textinput.Model
	kubecfg  textinput.Model
	contexts Contexts
	mode     store.Mode
	use      bool
	newConn  bool // fleets: create a new federation connection (VPC, subnet)
	focus    field
	width    int
	err      string // submit-time error

	vpcs       []engine.ProjectVPC
	vpc        int
	subnet     int
	vpcLoading bool
	vpcErr     string
}

// New opens the dialog for t.
func New(t api.Target, o Options) Model {
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.Styles == nil {
		o.Styles = styles.Default(nil)
	}
	m := Model{
		target:  t,
		name:    sanitize.Line(t.Name),
		now:     o.Now,
		loc:     o.Location,
		st:      o.Styles,
		keys:    DefaultKeyMap(),
		presets: presets(t.Kind),
		preset:  defaultPreset,
		custom:  newInput("days", 6, o.Styles),
		until:   newInput(o.Now.In(o.Location).AddDate(0, 3, 0).Format(time.DateOnly), 25, o.Styles),
		kubecfg: newInput("~/.kube/config", 200, o.Styles),
		mode:    o.Mode,
		use:     engine.DefaultUse,
		newConn: !o.HasConnection,
		width:   72,
	}
	if m.mode == "" {
		m.mode = store.ModeInline
	}
	if slices.Equal(engine.DefaultRoles(t), []api.ContextRole{api.RoleExternal}) {
		m.contexts = ContextsExternal // the engine's auto: the EIP, now verified when it can be
	}
	m.kubecfg.SetValue(o.Kubeconfig)
	if t.Kind == api.KindFleet {
		m.vpcLoading = t.Federation
	}
	m.focus = m.focusable()[0]
	m.syncFocus()
	return m
}

func newInput(placeholder string, limit int, st *styles.Styles) textinput.Model {
	in := textinput.New()
	in.PlaceholderStyle = st.Muted
	in.Prompt = ""
	in.Placeholder = placeholder
	in.CharLimit = limit
	in.Cursor.SetMode(cursor.CursorStatic)
	return in
}

// Target is the dialog's target.
func (m Model) Target() api.Target { return m.target }

// TextFocused reports whether a text field has the focus (keys are text).
func (m Model) TextFocused() bool {
	return m.focus == fieldCustom || m.focus == fieldUntil || m.focus == fieldKubeconfig
}

// KeyMap is the dialog's key map, for the help line.
func (m Model) KeyMap() KeyMap { return m.keys }

// SetNow moves the dialog's clock (validation depends on it).
func (m *Model) SetNow(now time.Time) { m.now = now }

// maxWidth is the widest the dialog grows: its longest line whole.
const maxWidth = 100

// SetWidth gives the dialog the room it has (its outer width): it takes
// what it needs, up to maxWidth, and wraps within it.
func (m *Model) SetWidth(w int) {
	m.width = max(40, min(w, maxWidth))
	inner := m.width - 4 - labelWidth
	m.kubecfg.Width = max(10, inner-1)
}

// SetVPCs gives a fleet dialog its VPCs (or the error listing them).
func (m *Model) SetVPCs(vpcs []engine.ProjectVPC, err error) {
	m.vpcLoading = false
	m.vpcs, m.vpc, m.subnet = vpcs, 0, 0
	m.vpcErr = ""
	switch {
	case err != nil:
		m.vpcErr = "could not list VPCs: " + sanitize.Line(err.Error())
	case len(vpcs) == 0:
		m.vpcErr = "no VPC in this project: create one in the VPC console, then reopen"
	}
}

// vpcName is a VPC's name, with its region when the VPCs offered span
// several (a fleet's connection may be in any project).
func (m Model) vpcName(v engine.ProjectVPC) string {
	for _, o := range m.vpcs {
		if o.Region != v.Region && v.Region != "" {
			return v.Name + " (" + v.Region + ")"
		}
	}
	return v.Name
}

// Disabled says why nothing can be fetched for the target, or "".
func (m Model) Disabled() string {
	switch {
	case m.target.Kind == api.KindFleet && !m.target.Federation:
		return "federation is off for this fleet: enable it in the UCS console, then refresh (ctrl+r)"
	case m.target.Kind != api.KindFleet && m.target.Hibernated():
		return "the cluster is hibernating: wake it in the CCE console, then refresh (ctrl+r)"
	}
	return ""
}

// validityFixed says why the validity cannot be chosen, or "".
func (m Model) validityFixed() string {
	if m.target.Legacy() {
		return "cluster " + sanitize.Line(m.target.Version) + " predates v1.13: the validity is the cluster's own"
	}
	return ""
}

// externalDisabled says why external contexts cannot apply, or "".
func (m Model) externalDisabled() string {
	if !m.target.HasEIP() {
		return "no EIP: the cluster has no external endpoint"
	}
	return ""
}

// focusable lists the fields that take focus now, in order.
func (m Model) focusable() []field {
	if m.Disabled() != "" {
		return []field{fieldSubmit}
	}
	var fs []field
	if m.validityFixed() == "" {
		fs = append(fs, fieldValidity)
		switch m.presets[m.preset].kind {
		case presetCustom:
			fs = append(fs, fieldCustom)
		case presetUntil:
			fs = append(fs, fieldUntil)
		}
	}
	if m.target.Kind == api.KindFleet {
		fs = append(fs, fieldConnection)
		if m.newConn {
			fs = append(fs, fieldVPC, fieldSubnet)
		}
	} else {
		fs = append(fs, fieldContexts)
	}
	return append(fs, fieldMode, fieldKubeconfig, fieldUse, fieldSubmit)
}

// Result returns the operator's choice, or the error that blocks it.
func (m Model) Result() (engine.FetchRequest, error) {
	if reason := m.Disabled(); reason != "" {
		return engine.FetchRequest{}, errString(reason)
	}
	r := engine.FetchRequest{Target: m.target, Roles: m.contexts.Roles(m.target.Kind), Mode: m.mode, Kubeconfig: m.kubecfg.Value(), Use: m.use}
	if m.validityFixed() != "" {
		r.Validity = api.Days(30) // ignored by the legacy API, valid for the checks before it
	} else {
		v, err := m.validity()
		if err != nil {
			return engine.FetchRequest{}, err
		}
		r.Validity = v
	}
	if m.target.Kind == api.KindFleet && m.newConn {
		vpc, err := m.selectedNetwork()
		if err != nil {
			return engine.FetchRequest{}, err
		}
		r.VPCID, r.SubnetID, r.ProjectID = vpc.ID, vpc.Subnets[m.subnet].ID, vpc.ProjectID
	}
	if r.Kubeconfig == "" {
		return engine.FetchRequest{}, errString("type the kubeconfig file to write")
	}
	return r, nil
}

// selectedNetwork is the VPC picked for a new connection; it has the
// subnet picked.
func (m Model) selectedNetwork() (engine.ProjectVPC, error) {
	switch {
	case m.vpcLoading:
		return engine.ProjectVPC{}, errString("VPCs are still loading")
	case m.vpcErr != "":
		return engine.ProjectVPC{}, errString(m.vpcErr)
	}
	v := m.vpcs[m.vpc]
	if len(v.Subnets) == 0 {
		return engine.ProjectVPC{}, errString("VPC " + sanitize.Line(v.Name) + " has no subnet: pick another VPC")
	}
	return v, nil
}

type errString string

func (e errString) Error() string { return string(e) }
