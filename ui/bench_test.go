package ui

import (
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"ccecert/api"
	"ccecert/store"
)

// bigFake has 1,000 clusters in 30 regions and 10,000 credentials whose
// expiries spread from a month ago to five years ahead.
func bigFake() *fakeBackend {
	f := newFake()
	f.inv.Targets = nil
	for i := range 1000 {
		f.inv.Targets = append(f.inv.Targets, api.Target{
			Kind: api.KindCCE, ID: fmt.Sprintf("c-%04d", i), Name: fmt.Sprintf("cluster-%04d", i),
			Region: fmt.Sprintf("region-%02d", i%30), Version: "v1.28", Phase: api.PhaseAvailable,
			Endpoints: api.Endpoints{Internal: "https://10.0.0.1:5443", External: "https://100.0.0.1:5443"},
		})
	}
	f.creds = make([]store.Credential, 0, 10000)
	for i := range 10000 {
		t := f.inv.Targets[i%1000]
		na := testNow.Add(time.Duration(i*157)*time.Minute - 30*day)
		f.creds = append(f.creds, newCred(fmt.Sprintf("%08x", i), t, na.Add(-365*day), na))
	}
	return f
}

func benchModel(b *testing.B, clock *time.Time) Model {
	b.Helper()
	f := bigFake()
	m := New(f, testOptions(clock))
	m.ticker = noTick
	m, _ = update(m, tea.WindowSizeMsg{Width: 200, Height: 50})
	inv, _ := f.CachedTargets(nil)
	m, _ = update(m, inventoryMsg{id: 1, inv: inv})
	creds, _ := f.Credentials(nil)
	m, _ = update(m, credentialsMsg{id: 2, creds: creds})
	m.active = pageCredentials
	if len(m.data.creds) != 10000 {
		b.Fatalf("%d credentials loaded", len(m.data.creds))
	}
	return m
}

// BenchmarkView10kCredentials is View() of the Credentials page with 10,000
// credentials at 200×50 (target: < 5 ms).
func BenchmarkView10kCredentials(b *testing.B) {
	clock := testNow
	m := benchModel(b, &clock)
	m.page().table.SetCursor(5000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		_ = m.View()
	}
}

// BenchmarkTickUpdate10kCredentials is the once-a-second tick with 10,000
// credentials, the clock moving one second per tick (target: < 1 ms).
func BenchmarkTickUpdate10kCredentials(b *testing.B) {
	clock := testNow
	m := benchModel(b, &clock)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		clock = clock.Add(time.Second)
		nm, _ := m.Update(tickMsg{gen: m.req.tickGen})
		m = nm.(Model)
	}
}
