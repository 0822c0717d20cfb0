package api

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
)

// InventoryOptions narrow an Inventory call.
type InventoryOptions struct {
	Kinds   []Kind   // empty = every kind
	Regions []string // empty = every region (after Config.Regions)
	// Progress, when set, is called after each listing with the number
	// done and the total; calls come from several goroutines, one at a time.
	// With Known the total grows once IAM has answered if it names
	// projects the last refresh did not have.
	Progress func(done, total int)
	// Known are the region projects of a recent refresh (from its cached
	// targets). Their listings start at once, beside the IAM call that
	// checks them, instead of after it: a refresh costs one round of
	// connections and requests, not two. Once IAM answers, the projects it
	// no longer lists are dropped (their answers unused) and those it adds
	// are listed then. Only the ID and Region of each are needed; nil means
	// IAM first, then the listings.
	Known []Project
}

// Inventory is every target listed, and the regions that could not be.
type Inventory struct {
	Targets []Target
	Errors  []RegionError
	// Notes say which kinds were not listed because the site's documents
	// do not confirm them (CCE Autopilot or UCS on some sites).
	Notes []string
}

// RegionError is one region (or, for fleets, "global") that failed to list
// one kind of target; the other regions' results stand.
type RegionError struct {
	Region    string
	ProjectID string
	Kind      Kind
	Err       error
	// Partial: the region's targets of this kind were listed and are in
	// Inventory.Targets; only a detail of them is missing (fleets whose
	// member clusters could not be listed have no Members).
	Partial bool
}

// Error implements error. An *Error already names the region.
func (e RegionError) Error() string {
	msg := fmt.Sprintf("list %s in %s: %v", e.Kind, e.Region, e.Err)
	if _, ok := asError(e.Err); ok {
		msg = e.Err.Error()
	}
	if e.Partial {
		return fmt.Sprintf("%s listing incomplete: %s", e.Kind, msg)
	}
	return msg
}

// Unwrap returns the underlying error.
func (e RegionError) Unwrap() error { return e.Err }

// job lists one kind of target in one project (or the global fleets, or
// the fleets' member clusters).
type job struct {
	kind    Kind
	project Project
	region  string
	members bool // list the member clusters of every fleet (kind fleet)
}

type jobResult struct {
	targets []Target
	members fleetMembers
	err     error
}

// Inventory lists every target: one IAM round trip for the projects, then
// (or, for the projects in opts.Known, beside it) one parallel round
// (bounded by Config.Concurrency) of a cluster listing per project and
// kind, plus the fleets and, beside them, the clusters UCS manages in
// fleets (their members). Each listing gets Config.RegionTimeout;
// a failing region becomes a RegionError beside the others' targets, and a
// failed member listing a Partial one beside the fleets. The error is
// non-nil only when nothing at all could be listed, or ctx ended.
func (c *Client) Inventory(ctx context.Context, opts InventoryOptions) (*Inventory, error) {
	kinds, skipped := c.siteKinds(opts.Kinds)
	jobs, results, err := c.listTargets(ctx, opts, kinds)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, c.classify(ctx, op{name: "list targets"}, err, callRecord{})
	}
	inv, listings, failed := collect(jobs, results)
	for _, sk := range skipped {
		if slices.Contains(opts.Kinds, sk.kind) {
			// Asked for by name: an error of its own.
			inv.Errors = append(inv.Errors, RegionError{Region: "all", Kind: sk.kind, Err: sk.err})
			listings++
			failed++
			continue
		}
		inv.Notes = append(inv.Notes, fmt.Sprintf("%s not listed: %v", sk.kind, sk.err))
	}
	sortTargets(inv.Targets)
	if listings > 0 && failed == listings {
		errs := make([]error, len(inv.Errors))
		for i, e := range inv.Errors {
			errs[i] = e
		}
		return inv, fmt.Errorf("nothing could be listed: %w", errors.Join(errs...))
	}
	return inv, nil
}

// collect gathers the jobs' targets and errors and gives the fleets their
// members. It also returns how many jobs were target listings and how many
// of them failed (the member listing is not one: alone, it lists nothing).
func collect(jobs []job, results []jobResult) (inv *Inventory, listings, failed int) {
	inv = &Inventory{}
	var (
		members      jobResult
		membersJob   job
		fleetsListed bool
	)
	for i, r := range results {
		j := jobs[i]
		if j.members {
			members, membersJob = r, j
			continue
		}
		listings++
		if r.err != nil {
			failed++
			inv.Errors = append(inv.Errors, RegionError{Region: j.region, ProjectID: j.project.ID, Kind: j.kind, Err: r.err})
			continue
		}
		fleetsListed = fleetsListed || j.kind == KindFleet
		inv.Targets = append(inv.Targets, r.targets...)
	}
	if fleetsListed {
		members.members.apply(inv.Targets)
		if members.err != nil {
			inv.Errors = append(inv.Errors, RegionError{Region: membersJob.region, Kind: membersJob.kind, Err: members.err, Partial: true})
		}
	}
	return inv, listings, failed
}

// skippedKind is a kind the site does not document, and why.
type skippedKind struct {
	kind Kind
	err  error
}

// siteKinds splits the asked kinds (empty = all) into those the site
// documents and those it does not.
func (c *Client) siteKinds(asked []Kind) ([]Kind, []skippedKind) {
	all := []Kind{KindCCE, KindAutopilot, KindFleet}
	if len(asked) > 0 {
		all = asked
	}
	var kinds []Kind
	var skipped []skippedKind
	for _, k := range all {
		if err := c.supports(k, c.cfg.IAMRegion); err != nil {
			skipped = append(skipped, skippedKind{k, err})
			continue
		}
		kinds = append(kinds, k)
	}
	if kinds == nil {
		kinds = []Kind{} // nothing to list, not "everything"
	}
	return kinds, skipped
}

func planJobs(projects []Project, kinds []Kind) []job {
	want := func(k Kind) bool { return kinds == nil || slices.Contains(kinds, k) }
	var jobs []job
	for _, p := range projects {
		for _, k := range []Kind{KindCCE, KindAutopilot} {
			if want(k) {
				jobs = append(jobs, job{kind: k, project: p, region: p.Region})
			}
		}
	}
	if want(KindFleet) {
		jobs = append(jobs, job{kind: KindFleet, region: "global"}, job{kind: KindFleet, region: "global", members: true})
	}
	return jobs
}

// listTargets lists the projects, then their targets (or, with
// opts.Known, both at once) and returns the jobs run and their results.
func (c *Client) listTargets(ctx context.Context, opts InventoryOptions, kinds []Kind) ([]job, []jobResult, error) {
	if opts.Known != nil {
		return c.listOverlapped(ctx, opts, kinds)
	}
	projects, err := c.Projects(ctx)
	if err != nil {
		return nil, nil, err
	}
	jobs := planJobs(filterRegions(projects, opts.Regions), kinds)
	pr := newProgress(opts.Progress, len(jobs))
	return jobs, c.runJobs(ctx, jobs, c.jobSlots(), pr), nil
}

// jobSlots is the semaphore that bounds one Inventory's parallel listings
// to Concurrency.
func (c *Client) jobSlots() chan struct{} { return make(chan struct{}, c.cfg.Concurrency) }

// progress reports listings done against a total that may grow.
type progress struct {
	fn func(done, total int)

	mu          sync.Mutex
	done, total int
}

func newProgress(fn func(done, total int), total int) *progress {
	return &progress{fn: fn, total: total}
}

// add grows the total by n.
func (p *progress) add(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total += n
}

// step counts one listing done.
func (p *progress) step() {
	if p.fn == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	p.fn(p.done, p.total)
}

// runJobs runs the jobs, each holding one of sem's slots, and returns their
// results in job order.
func (c *Client) runJobs(ctx context.Context, jobs []job, sem chan struct{}, pr *progress) []jobResult {
	results := make([]jobResult, len(jobs))
	var wg sync.WaitGroup
	for i, j := range jobs {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			results[i] = jobResult{err: ctx.Err()}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			results[i] = c.runJob(ctx, j)
			pr.step()
		}()
	}
	wg.Wait()
	return results
}

func (c *Client) runJob(ctx context.Context, j job) jobResult {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.RegionTimeout)
	defer cancel()
	var r jobResult
	switch j.kind {
	case KindCCE:
		r.targets, r.err = c.listCCE(ctx, j.project)
	case KindAutopilot:
		r.targets, r.err = c.listAutopilot(ctx, j.project)
	case KindFleet:
		if j.members {
			r.members, r.err = c.listFleetMembers(ctx)
		} else {
			r.targets, r.err = c.listFleets(ctx)
		}
	}
	return r
}

// sortTargets orders by kind, region, name, id: stable output for lists.
func sortTargets(ts []Target) {
	sort.SliceStable(ts, func(a, b int) bool {
		x, y := ts[a], ts[b]
		if x.Kind != y.Kind {
			return x.Kind < y.Kind
		}
		if x.Region != y.Region {
			return x.Region < y.Region
		}
		if x.Name != y.Name {
			return x.Name < y.Name
		}
		return x.ID < y.ID
	})
}
