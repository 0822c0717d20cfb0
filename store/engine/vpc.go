package engine

import (
	"context"
	"errors"
	"sync"

	"ccecert/api"
)

// ProjectVPC is a VPC with the project (and region) it lives in: a fleet's
// federation connection is created in one, of any project.
type ProjectVPC struct {
	api.VPC
	ProjectID string
	Region    string
}

// VPCs lists the VPCs a target's federation connection can use: those of
// its project, or for a fleet (global) those of every project the key can
// use, listed concurrently. A project that fails is skipped unless all do.
func (e *Engine) VPCs(ctx context.Context, t api.Target) ([]ProjectVPC, error) {
	cloud, err := e.cloud()
	if err != nil {
		return nil, err
	}
	projects := []api.Project{{ID: t.ProjectID, Region: t.Region}}
	if t.ProjectID == "" {
		if projects, err = cloud.Projects(ctx); err != nil {
			return nil, err
		}
	}
	results := make([][]ProjectVPC, len(projects))
	errs := make([]error, len(projects))
	var wg sync.WaitGroup
	for i, p := range projects {
		wg.Add(1)
		go func() {
			defer wg.Done()
			vpcs, err := cloud.VPCs(ctx, p.ID)
			errs[i] = err
			for _, v := range vpcs {
				results[i] = append(results[i], ProjectVPC{VPC: v, ProjectID: p.ID, Region: p.Region})
			}
		}()
	}
	wg.Wait()
	var out []ProjectVPC
	failed := 0
	for i := range projects {
		if errs[i] != nil {
			failed++
		}
		out = append(out, results[i]...)
	}
	if failed == len(projects) && failed > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}
