package ui

import (
	"slices"
	"strings"
	"time"

	"ccecert/ui/components/table"
	"ccecert/ui/styles"
)

// pageSource is what a page lists: its items by index, how to sort, filter
// and draw them.
type pageSource interface {
	Title() string
	Columns() []table.Column
	Len() int
	Key(i int) string      // stable identity, to keep the selection
	Haystack(i int) string // lowercased text the filter matches
	SortModes() []sortMode
	// Row fills buf with item i's cells at now; cc keeps the row's
	// countdown text between frames. It also returns an instant (Unix
	// nanoseconds; never if none) no later than the first at which the
	// row reads differently with nothing but the clock moved.
	Row(i int, now time.Time, cc *clockCell, buf []string) (table.Row, int64)
	Empty() string // shown when there is nothing to list
}

// contentSource is a page whose columns are laid out from their cells
// (table.Model.SetContent); a page without it is laid out by the columns'
// Width and Flex.
type contentSource interface {
	Content() []table.Content
}

// measureCells is the Content of n rows' cells, which cells fills (the
// columns it leaves empty hold fixed text, as wide as their Width).
func measureCells(cols []table.Column, n int, cells func(i int, buf []string)) []table.Content {
	out := make([]table.Content, len(cols))
	buf, last := make([]string, len(cols)), make([]string, len(cols))
	for i := range n {
		clear(buf)
		cells(i, buf)
		for c, s := range buf {
			if s != "" && s != last[c] { // rows often repeat a column's text
				out[c].Grow(cols[c].Fit, s)
				last[c] = s
			}
		}
	}
	return out
}

// sortMode is one way to order a page; cmp compares item indexes.
type sortMode struct {
	name string
	cmp  func(a, b int) int
}

// page is a list over a pageSource: filter, sort order and the virtual
// table. order holds the visible items' indexes, filtered and sorted.
//
// Until the operator moves the cursor (or an action selects an item) the
// cursor stays on the first row, whatever comes to sort there; from then on
// the selection follows its item when the list reloads or re-sorts.
type page struct {
	src    pageSource
	table  table.Model
	order  []int
	sort   int
	filter string
	query  query
	fields []rowFields // every item's, for the filter; nil = not made yet
	follow bool        // the selection follows its item
	noKeys bool        // no cloud call can work: an empty page says so
	clocks []clockCell // the visible rows' countdown texts, row i in i mod len

	// What the last view drew, so a frame where only the clock moved
	// reads only the rows whose text changes: the model revision it was
	// drawn at, and per row (i mod len) the span of instants its text
	// holds for. This is a memo's key and span (see memo) without its
	// value: the table keeps the lines it drew (LinesKeeping) and asks
	// only which of them still hold, so the page keeps no copy of them.
	drawn       bool
	drawnRev    uint64
	since, till []int64
	until       int64 // the first instant a visible row reads differently
}

func newPage(src pageSource, st *styles.Styles) *page {
	p := &page{src: src, table: table.New(src.Columns(), table.Styles{
		Header: st.TableHeader, Selected: st.Selected, Empty: st.Muted, Rows: rowStyles(st),
	})}
	p.measure()
	p.rebuild()
	return p
}

// measure gives the table what the source's cells need.
func (p *page) measure() {
	if cs, ok := p.src.(contentSource); ok {
		p.table.SetContent(cs.Content())
	}
}

// setSource swaps in new data, keeping filter, sort and the selection.
func (p *page) setSource(src pageSource) {
	key := p.selectedKey()
	p.src = src
	p.fields = nil
	p.measure()
	p.rebuild()
	p.restore(key)
}

// rebuild recomputes the visible order: filter, then sort. It leaves the
// cursor where it was; callers restore the selection.
func (p *page) rebuild() {
	n := p.src.Len()
	p.order = p.order[:0]
	if !p.query.empty() && len(p.fields) != n {
		p.fields = make([]rowFields, n)
		for i := range n {
			p.fields[i] = rowFieldsOf(p.src, i)
		}
	}
	for i := range n {
		if p.query.empty() || p.query.match(&p.fields[i]) {
			p.order = append(p.order, i)
		}
	}
	p.sortOrder()
}

// resort reorders (health changed, or a new sort); it refilters only when
// the filter reads the health.
func (p *page) resort() {
	key := p.selectedKey()
	if p.query.names(fieldHealth) {
		p.fields = nil
		p.rebuild()
	} else {
		p.sortOrder()
	}
	p.restore(key)
}

// sortOrder sorts the visible items by the current mode, ties by key.
func (p *page) sortOrder() {
	modes := p.src.SortModes()
	cmp := modes[p.sort%len(modes)].cmp
	slices.SortStableFunc(p.order, func(a, b int) int {
		if c := cmp(a, b); c != 0 {
			return c
		}
		return strings.Compare(p.src.Key(a), p.src.Key(b))
	})
	p.table.SetRowCount(len(p.order))
}

// setFilter narrows the page to the items matching text.
func (p *page) setFilter(text string) {
	key := p.selectedKey()
	p.filter = text
	p.query = compileQuery(text)
	p.rebuild()
	p.restore(key)
}

// cycleSort moves to the next sort mode and returns its name.
func (p *page) cycleSort() string {
	modes := p.src.SortModes()
	p.sort = (p.sort + 1) % len(modes)
	p.resort()
	return modes[p.sort].name
}

// sortName is the current sort mode's name.
func (p *page) sortName() string {
	modes := p.src.SortModes()
	return modes[p.sort%len(modes)].name
}

// selected is the selected item's index, or -1.
func (p *page) selected() int {
	c := p.table.Cursor()
	if c < 0 || c >= len(p.order) {
		return -1
	}
	return p.order[c]
}

func (p *page) selectedKey() string {
	if i := p.selected(); i >= 0 && i < p.src.Len() {
		return p.src.Key(i)
	}
	return ""
}

// selectKey selects the item with key, if it is visible, as an action
// does (a fetch selects the new credential): from then on the selection
// follows it.
func (p *page) selectKey(key string) bool {
	if !p.cursorTo(key) {
		return false
	}
	p.follow = true
	return true
}

// moved records that the operator moved the cursor: from then on the
// selection follows its item.
func (p *page) moved() { p.follow = true }

// restore puts the cursor back on the item with key after the order
// changed, once the selection follows its item; before that the cursor
// stays on its row (the first, most urgent one).
func (p *page) restore(key string) {
	if p.follow {
		p.cursorTo(key)
	}
}

// cursorTo moves the cursor to the item with key, if it is visible. It is
// O(visible rows), done on data changes only.
func (p *page) cursorTo(key string) bool {
	if key == "" {
		return false
	}
	for row, i := range p.order {
		if p.src.Key(i) == key {
			p.table.SetCursor(row)
			return true
		}
	}
	return false
}

// view renders the table's lines; only visible rows are drawn, and only
// the rows whose text changed since the last frame are painted.
func (p *page) view(now time.Time, rev uint64) []table.Line {
	empty := ""
	switch {
	case len(p.order) > 0:
	case p.filter != "":
		empty = "nothing matches “" + p.filter + "” — esc clears the filter"
	case p.noKeys:
		empty = "nothing listed, and no access key to list with — `ccecert configure` adds one"
	default:
		empty = p.src.Empty()
	}
	h := p.table.Height()
	if len(p.clocks) != h {
		p.clocks, p.since, p.till, p.drawn = make([]clockCell, h), make([]int64, h), make([]int64, h), false
	}
	t := now.UnixNano()
	var keep func(row int) bool
	if p.drawn && p.drawnRev == rev { // only the clock moved since
		keep = func(row int) bool { return p.since[row%h] <= t && t < p.till[row%h] }
	}
	lines := p.table.LinesKeeping(func(row int, buf []string) table.Row {
		r, till := p.src.Row(p.order[row], now, &p.clocks[row%h], buf)
		p.since[row%h], p.till[row%h] = t, till
		return r
	}, keep, empty)
	p.drawn, p.drawnRev, p.until = true, rev, never
	from, to := p.table.Visible()
	for r := from; r < to; r++ {
		p.until = min(p.until, p.till[r%h])
	}
	return lines
}

// counts are the rows shown (after the filter) and all rows.
func (p *page) counts() (shown, total int) { return len(p.order), p.src.Len() }
