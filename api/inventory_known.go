package api

import "context"

// jobKey identifies a listing across two plans of jobs.
type jobKey struct {
	kind      Kind
	projectID string
	region    string
	members   bool
}

func keyOf(j job) jobKey { return jobKey{j.kind, j.project.ID, j.region, j.members} }

// listOverlapped lists opts.Known's projects' targets beside the IAM call
// (KeystoneListAuthProjects) instead of after it, so their hosts'
// connections and requests overlap IAM's: a refresh costs about one round
// of connect, handshake and request where it would cost two. Then it
// reconciles with what IAM answered: the listings of projects IAM still
// lists stand; those of projects it no longer lists are dropped, unused;
// the projects it adds, and the fleets (UCS needs the account id IAM
// returns), are listed then. Every host it connects to is one the last
// refresh used or one this refresh uses. An IAM failure fails the
// Inventory, as without Known. All listings share one Concurrency bound.
func (c *Client) listOverlapped(ctx context.Context, opts InventoryOptions, kinds []Kind) ([]job, []jobResult, error) {
	known := filterRegions(filterRegions(opts.Known, c.cfg.Regions), opts.Regions)
	early := planProjectJobs(known, kinds)
	sem := c.jobSlots()
	pr := newProgress(opts.Progress, len(early))
	earlyCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	earlyDone := make(chan []jobResult, 1)
	go func() { earlyDone <- c.runJobs(earlyCtx, early, sem, pr) }()

	projects, err := c.Projects(ctx)
	if err != nil {
		cancel()
		<-earlyDone
		return nil, nil, err
	}
	jobs := planJobs(filterRegions(projects, opts.Regions), kinds)
	earlyAt := make(map[jobKey]int, len(early))
	for i, j := range early {
		earlyAt[keyOf(j)] = i
	}
	var late []job
	for _, j := range jobs {
		if _, ok := earlyAt[keyOf(j)]; !ok {
			late = append(late, j)
		}
	}
	pr.add(len(late))
	lateResults := c.runJobs(ctx, late, sem, pr)
	earlyResults := <-earlyDone

	results := make([]jobResult, len(jobs))
	next := 0
	for i, j := range jobs {
		if at, ok := earlyAt[keyOf(j)]; ok {
			results[i] = named(earlyResults[at], j.project.Name)
			continue
		}
		results[i] = lateResults[next]
		next++
	}
	return jobs, results, nil
}

// planProjectJobs is planJobs without the fleets.
func planProjectJobs(projects []Project, kinds []Kind) []job {
	var out []job
	for _, j := range planJobs(projects, kinds) {
		if j.kind != KindFleet {
			out = append(out, j)
		}
	}
	return out
}

// named gives an early listing's error the project name IAM reported
// (Known projects may come without one).
func named(r jobResult, name string) jobResult {
	if e, ok := asError(r.err); ok && e.Target == "" {
		e.Target = name
	}
	return r
}
