package ui

import (
	"fmt"
	"io"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

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

// benchModel is the Credentials page of bigFake at 200×50, in 256
// colours as most terminals show it.
func benchModel(b *testing.B, clock *time.Time) Model {
	b.Helper()
	m := benchLoaded(bigFake(), clock, termenv.ANSI256, 200, 50)
	m.active = pageCredentials
	if len(m.data.creds) != 10000 {
		b.Fatalf("%d credentials loaded", len(m.data.creds))
	}
	return m
}

// BenchmarkView10kCredentials is a frame of the Credentials page with
// 10,000 credentials at 200×50 (target: < 5 ms). "move" is the cursor
// moving a row per op (a key press, then the frame: the detail pane, the
// status and help lines and the rows whose selection changed are drawn);
// "cold" draws every op's frame with nothing kept from the last one, as
// after a resize.
func BenchmarkView10kCredentials(b *testing.B) {
	b.Run("move", func(b *testing.B) {
		clock := testNow
		m := benchModel(b, &clock)
		m.page().table.SetCursor(5000)
		frames := m.viewCache.frames
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			k := "j" // down 2,000 rows, then up again
			if i%4000 >= 2000 {
				k = "k"
			}
			m, _ = update(m, keyMsg(k))
			_ = m.View()
		}
		b.StopTimer()
		if m.viewCache.frames-frames != b.N {
			b.Fatalf("%d frames drawn in %d moves", m.viewCache.frames-frames, b.N)
		}
	})
	b.Run("cold", func(b *testing.B) {
		clock := testNow
		m := benchModel(b, &clock)
		m.page().table.SetCursor(5000)
		frames := 0
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			c := uncached(m)
			_ = c.View()
			frames += c.viewCache.frames
		}
		b.StopTimer()
		if frames != b.N {
			b.Fatalf("%d frames drawn in %d ops", frames, b.N)
		}
	})
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
		nm, _ := m.Update(tickMsg{gen: m.requests.tickGen})
		m = nm.(Model)
	}
}

// idleModel is the TUI as `ccecert bench` measures it idle: the Clusters
// page of 1,000 clusters at 120×40, one credential each, expiring from two
// days ago to a year ahead, a second apart within each day (so countdowns
// in seconds are on screen).
func idleModel(b *testing.B, clock *time.Time, profile termenv.Profile) Model {
	b.Helper()
	m := benchLoaded(idleFake(), clock, profile, 120, 40)
	if !secondsOnScreen(m) {
		b.Fatal("no countdown in seconds on screen: the idle case is not measured")
	}
	return m
}

// idleFake is the data of idleModel: 1,000 clusters, one credential each.
func idleFake() *fakeBackend {
	f := bigFake()
	f.creds = f.creds[:0]
	for i := range 1000 {
		na := testNow.Add(time.Duration(i%367-2)*day + time.Duration(i)*time.Second)
		f.creds = append(f.creds, newCred(fmt.Sprintf("%08x", i), f.inv.Targets[i], na.Add(-400*day), na))
	}
	return f
}

// benchLoaded is the model over f in profile at w×h, its inventory and
// credentials loaded.
func benchLoaded(f *fakeBackend, clock *time.Time, profile termenv.Profile, w, h int) Model {
	m := New(f, colourOptions(clock, profile))
	m.ticker = noTick
	m, _ = update(m, tea.WindowSizeMsg{Width: w, Height: h})
	inv, _ := f.CachedTargets(nil)
	m, _ = update(m, inventoryMsg{id: 1, inv: inv})
	creds, _ := f.Credentials(nil)
	m, _ = update(m, credentialsMsg{id: 2, creds: creds})
	return m
}

// colourOptions are testOptions drawing in profile on a dark background.
func colourOptions(clock *time.Time, profile termenv.Profile) Options {
	o := testOptions(clock)
	o.Renderer = lipgloss.NewRenderer(io.Discard)
	o.Renderer.SetColorProfile(profile)
	o.Renderer.SetHasDarkBackground(true)
	return o
}

// BenchmarkIdleSecond is one second of the idle TUI: the tick, then the
// frame Bubble Tea asks for. Each op draws a new frame (the countdowns in
// seconds changed); the clock walks a 10-minute window so they stay on
// screen however long the benchmark runs (idleFake's last countdown in
// seconds ends 12m16s in; past it the TUI rightly draws no frame a second).
func BenchmarkIdleSecond(b *testing.B) {
	for _, p := range []struct {
		name    string
		profile termenv.Profile
	}{{"ansi256", termenv.ANSI256}, {"truecolor", termenv.TrueColor}, {"ascii", termenv.Ascii}} {
		b.Run(p.name, func(b *testing.B) { benchIdleSecond(b, p.profile) })
	}
}

func benchIdleSecond(b *testing.B, profile termenv.Profile) {
	clock := testNow
	m := idleModel(b, &clock, profile)
	frames := m.viewCache.frames
	b.ReportAllocs()
	b.ResetTimer()
	for i := 1; b.Loop(); i++ {
		clock = testNow.Add(time.Duration(i%600) * time.Second)
		nm, _ := m.Update(tickMsg{gen: m.requests.tickGen})
		m = nm.(Model)
		_ = m.View()
	}
	b.StopTimer()
	if m.viewCache.frames-frames != b.N {
		b.Fatalf("%d frames drawn in %d seconds", m.viewCache.frames-frames, b.N)
	}
}
