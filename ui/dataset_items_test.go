package ui

import (
	"reflect"
	"testing"
	"time"

	"ccecert/store"
)

// Built in two halves at once (past parallelItemsFrom), the items are
// exactly those built one by one, in the credentials' order, with none
// for a replaced credential; the dataset lists them in that order.
func TestCredItemsInHalvesAreTheItemsOneByOne(t *testing.T) {
	creds := bigFake().creds
	if len(creds) < parallelItemsFrom {
		t.Fatalf("%d credentials: too few to build in halves", len(creds))
	}
	for i := 0; i < len(creds); i += 7 {
		creds[i].ReplacedBy = "renewal-" + creds[i].ID
	}
	disp := display{location: time.UTC, thresholds: store.DefaultThresholds(), home: "/home/op"}
	items := newCredItems(creds, disp, testNow)
	var order []string
	for i, c := range creds {
		if c.ReplacedBy != "" {
			if items[i] != nil {
				t.Fatalf("credential %d is replaced but has an item", i)
			}
			continue
		}
		order = append(order, c.ID)
		if want := newCredItem(c, disp, testNow); !reflect.DeepEqual(items[i], want) {
			t.Fatalf("item %d differs from the one built alone:\n%+v\n%+v", i, items[i], want)
		}
	}
	d := newDataset(nil, creds, testNow, disp)
	if len(d.creds) != len(order) {
		t.Fatalf("dataset has %d credentials, want %d", len(d.creds), len(order))
	}
	for i, it := range d.creds {
		if it.cred.ID != order[i] {
			t.Fatalf("dataset credential %d is %s, want %s", i, it.cred.ID, order[i])
		}
	}
}
