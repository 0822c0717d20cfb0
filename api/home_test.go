package api

import (
	"context"
	"io/fs"
	"path/filepath"
	"testing"

	"ccecert/api/emulator"
)

// TestNothingWrittenUnderHome runs every call with HOME in a temp dir: the
// SDK must not create ~/.huaweicloud (user agent set) or anything else.
func TestNothingWrittenUnderHome(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	ctx := context.Background()
	inv, err := e.client.Inventory(ctx, InventoryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range inv.Targets {
		switch {
		case tg.Kind == KindFleet && tg.Federation:
			p, vpc := fleetVPC(t, e, "cn-north-4")
			_, err = e.client.Issue(ctx, tg, CertRequest{Validity: Days(1), ProjectID: p.ID, VPCID: vpc.ID, SubnetID: vpc.Subnets[0].ID})
		case tg.Kind != KindFleet && !tg.Hibernated():
			_, err = e.client.Issue(ctx, tg, CertRequest{Validity: Days(1)})
		default:
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", tg.Name, err)
		}
	}
	var found []string
	_ = filepath.WalkDir(e.home, func(p string, d fs.DirEntry, err error) error {
		if p != e.home {
			found = append(found, p)
		}
		return nil
	})
	if len(found) != 0 {
		t.Fatalf("files appeared under HOME: %v", found)
	}
}
