//go:build linux

package ui

import (
	"io"
	"slices"
	"testing"
	"time"

	"github.com/muesli/termenv"
	"golang.org/x/sys/unix"

	altscreen "ccecert/ui/screen"
)

// threadCPU is the CPU time the calling thread has used.
func threadCPU(b *testing.B) time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ts.Nano())
}

// BenchmarkIdleSecondAfterSleep is BenchmarkIdleSecond as the running TUI
// meets it: after a second asleep. It reports the thread's CPU time for the
// tick, the frame and the screen write (median and max of the ops); ns/op is mostly the
// sleep. On the VMs this project is built on, memory untouched for a second
// costs tens of µs a page on first touch again, so this, not the warm
// figure, is what the idle CPU target (`ccecert bench`) feels: the number
// of distinct pages an idle second touches. Run it with -benchtime=10x.
func BenchmarkIdleSecondAfterSleep(b *testing.B) {
	clock := testNow
	m := idleModel(b, &clock, termenv.ANSI256)
	scr := altscreen.New(io.Discard, 30)
	scr.Resize(m.width, m.height)
	_ = scr.Start()
	var cpu []time.Duration
	for i := 1; b.Loop(); i++ {
		time.Sleep(time.Second)
		clock = testNow.Add(time.Duration(i%1200) * time.Second)
		start := threadCPU(b)
		m, _ = m.update(tickMsg{gen: m.requests.tickGen})
		scr.Draw(m.View())
		cpu = append(cpu, threadCPU(b)-start)
	}
	slices.Sort(cpu)
	b.ReportMetric(float64(cpu[len(cpu)/2].Microseconds()), "median_cpu_us/op")
	b.ReportMetric(float64(cpu[len(cpu)-1].Microseconds()), "max_cpu_us/op")
}
