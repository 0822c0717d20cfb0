// Package ui is the Bubble Tea TUI of ccecert: Clusters, Fleets and
// Credentials pages over one Backend, with live countdowns, a fetch dialog
// and every action on a key. All I/O runs in tea.Cmds (see commands.go);
// Update and View only compute.
package ui

import (
	"context"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/spinner"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"

	"ccecert/api"
	"ccecert/store"
	"ccecert/ui/components/confirm"
	"ccecert/ui/components/eventlog"
	"ccecert/ui/components/fetch"
	"ccecert/ui/components/prompt"
	"ccecert/ui/keymap"
	"ccecert/ui/styles"
)

// The pages, in tab order.
const (
	pageClusters = iota
	pageFleets
	pageCredentials
	pageContexts
	numPages
)

// dialogKind is the open dialog, if any.
type dialogKind int

const (
	dialogNone dialogKind = iota
	dialogFetch
	dialogConfirm
	dialogPrompt
	dialogEvents
	dialogProfile // the profile picker (profile_picker.go)
)

// Model is the root model: it owns the layout, the data and the pages, and
// routes messages. It is a value; its big state sits behind pointers, so
// copies are cheap.
type Model struct {
	backend Backend
	opts    *Options // read-only after New
	ctx     context.Context
	styles  *styles.Styles
	widgets *widgets // big sub-models, behind a pointer so Update copies little

	width, height int
	layout        layout

	now     time.Time
	targets []api.Target
	creds   []store.Credential
	data    *dataset
	pages   [numPages]*page
	active  int

	filtering bool
	dialog    dialogKind
	pending   pendingAction

	requests *requests
	bulk     *bulkRenew
	ticker   func(gen int, at time.Time) tea.Cmd // tick; tests replace it to step the clock by hand

	fetchedAt  time.Time
	regionErrs []api.RegionError
	status     status
	itemErr    map[string]string   // last error per credential id or target key
	itemWarn   map[string][]string // the engine's warnings per credential id

	profile ProfileInfo   // the current profile, for the header; zero: one profile
	kube    *kubeContexts // the Contexts page's list

	rev       uint64     // bumped by every change the screen may show
	viewCache *viewCache // the last frame and its parts
}

// widgets are the key map, the spinner and the sub-models with text
// inputs: help, the filter and the dialogs. Only one dialog is open at a
// time (Model.dialog). Every copy of a Model shares them: Update keeps
// them in step with the newest one.
type widgets struct {
	keys     keymap.KeyMap // enabled to match the model (syncKeys)
	spin     spinner.Model
	help     help.Model
	filterIn textinput.Model
	fetch    fetch.Model
	confirm  confirm.Model
	prompt   prompt.Model
	events   eventlog.Model
	picker   profilePicker
}

// requests tracks ids: every request gets the next one; results older than
// what was applied are dropped.
type requests struct {
	seq          int
	tickGen      int       // the live tick chain; ticks of older ones are dropped
	tickAt       time.Time // when the live chain's next tick is due
	invApplied   int       // id of the inventory on screen
	refreshID    int       // refresh in flight; 0 = none
	refreshCh    chan tea.Msg
	done, total  int // refresh progress
	credsApplied int
	vpcs         int // the fetch dialog's VPC request
	events       int // the events dialog's request
	busy         map[int]string
	busyOrder    []int
}

// status is the last action's result.
type status struct {
	text  string
	err   bool
	warn  bool // a success with a warning
	plain bool // neither success nor error
	why   bool // a key's refusal: why it cannot act (shown as a warning)
}

// NewContext is New with a parent context for every Backend call.
func NewContext(ctx context.Context, b Backend, o Options) Model {
	o = o.withDefaults()
	st := styles.Default(o.Renderer)
	m := Model{
		backend: b, opts: &o, ctx: ctx, styles: st,
		widgets: &widgets{
			keys: keymap.Default(), spin: spinner.New(spinner.WithSpinner(spinner.MiniDot)),
			help: newHelp(st), filterIn: newFilterInput(st),
		},
		now:      o.Now(),
		requests: &requests{busy: map[int]string{}},
		itemErr:  map[string]string{},
		itemWarn: map[string][]string{},
		width:    80, height: 24,
		ticker:    tick,
		viewCache: &viewCache{},
		profile:   ProfileInfo{Name: o.Profile, Account: o.Account, Regions: o.Regions},
		kube:      &kubeContexts{quitOnSwitch: o.PickContext},
	}
	if o.PickContext {
		m.active = pageContexts
	}
	m.data = newDataset(nil, nil, m.now, m.display())
	for i, src := range m.sources() {
		m.pages[i] = newPage(src, st)
	}
	m.relayout()
	m.syncKeys()
	return m
}

// Init loads the cache and the credentials at once, starts the clock and a
// background refresh.
func (m Model) Init() tea.Cmd {
	// Ids are handed out here, before the first Update, into the shared
	// request tracker.
	r := m.requests
	r.tickGen = 1
	cached, creds := m.begin("loading cache"), m.begin("loading credentials")
	cmds := []tea.Cmd{
		m.schedule(r.tickGen),
		loadCached(m.ctx, m.backend, m.opts.Timeouts.Load, cached),
		loadCredentials(m.ctx, m.backend, m.opts.Timeouts.Load, creds),
		m.widgets.spin.Tick,
	}
	if !m.opts.NoRefreshOnStart && m.opts.NoKeys == "" {
		cmds = append(cmds, m.startRefresh())
	}
	cmds = append(cmds, m.reloadContexts(), m.watchLive())
	return tea.Batch(cmds...)
}

// begin hands out a request id and marks the TUI busy with label.
func (m Model) begin(label string) int {
	r := m.requests
	r.seq++
	r.busy[r.seq] = label
	r.busyOrder = append(r.busyOrder, r.seq)
	return r.seq
}

// end clears a request's busy mark.
func (m Model) end(id int) {
	r := m.requests
	if _, ok := r.busy[id]; !ok {
		return
	}
	delete(r.busy, id)
	for i, v := range r.busyOrder {
		if v == id {
			r.busyOrder = append(r.busyOrder[:i], r.busyOrder[i+1:]...)
			break
		}
	}
}

// busy reports whether anything is running.
func (m Model) busy() bool { return len(m.requests.busy) > 0 }

// sources are the pages' data sources over the current dataset.
func (m Model) sources() [numPages]pageSource {
	return [numPages]pageSource{
		clustersPage{items: m.data.clusters},
		fleetsPage{items: m.data.fleets},
		credentialsPage{items: m.data.creds},
		contextsPage{items: m.kube.items},
	}
}

// setData rebuilds the dataset and points the pages at it, keeping each
// page's filter, sort and selection.
func (m *Model) setData(targets []api.Target, creds []store.Credential) {
	m.targets, m.creds = targets, creds
	m.data = newDataset(targets, creds, m.now, m.display())
	m.kube.items = contextItems(m.kube.list, creds, m.data.byID, m.opts.Home)
	for i, src := range m.sources() {
		m.pages[i].setSource(src)
	}
}

func (m Model) page() *page { return m.pages[m.active] }

// display is how the dataset prepares items for the screen.
func (m Model) display() display {
	return display{location: m.opts.Location, thresholds: m.opts.Thresholds, home: m.opts.Home}
}
