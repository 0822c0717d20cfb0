package cli

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"

	"ccecert/api/emulator"
)

// BenchmarkComplete is one TAB (`ccecert __complete ...`, in-process) over
// a cache of 1,000 clusters in 30 regions and 100 credentials: what the
// shell waits for beyond starting the process (target: well under 50 ms).
func BenchmarkComplete(b *testing.B) {
	_, vars, _ := newInstallation(b, emulator.Options{Clusters: 1000, Regions: 30})
	run := func(args ...string) string {
		var out, errb bytes.Buffer
		e := env{getenv: func(k string) string { return vars[k] }, now: time.Now, stdin: strings.NewReader(""), stdout: &out, stderr: &errb, deps: testDeps}
		if code := execute(context.Background(), e, args); code != 0 {
			b.Fatalf("ccecert %s = exit %d\n%s", strings.Join(args, " "), code, errb.String())
		}
		return out.String()
	}
	run("list")
	names := strings.Fields(run("list", "-o", "name"))
	for _, n := range names[:100] {
		run("get", n, "--duration", "30d", "-q")
	}
	bin := ccecertBinary(b)
	b.Run("get process", func(b *testing.B) { // the whole `ccecert __complete get ''` process
		environ := make([]string, 0, len(vars))
		for k, v := range vars {
			environ = append(environ, k+"="+v)
		}
		for b.Loop() {
			cmd := exec.Command(bin, "__complete", "get", "")
			cmd.Env = environ
			if out, err := cmd.Output(); err != nil || strings.Count(string(out), "\n") < 1000 {
				b.Fatalf("__complete get: %v\n%.200s", err, out)
			}
		}
	})
	for _, args := range [][]string{{"get", ""}, {"revoke", ""}, {"list", "--region", ""}} {
		b.Run(strings.Join(args[:len(args)-1], " "), func(b *testing.B) {
			var got string
			for b.Loop() {
				got = run(append([]string{"__complete"}, args...)...)
			}
			if n := strings.Count(got, "\n"); n < 30 {
				b.Fatalf("__complete %v: %d lines", args, n)
			}
			b.ReportMetric(float64(strings.Count(got, "\n")-1), "candidates")
		})
	}
}
