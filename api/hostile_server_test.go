package api

import (
	"context"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// hostileBody is what a hostile or broken endpoint answers with 200.
type hostileBody func(w http.ResponseWriter, r *http.Request)

var hostileBodies = map[string]hostileBody{
	// An endless chunked body: JSON that never closes.
	"endless": func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"projects":[`))
		chunk := []byte(strings.Repeat(`{"id":"p","name":"cn-north-4"},`, 2048))
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	},
	// A huge body announced by its length: 200 MB.
	"huge": func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", "200000000")
		chunk := make([]byte, 1<<16)
		for i := range chunk {
			chunk[i] = ' '
		}
		for sent := 0; sent < 200000000 && r.Context().Err() == nil; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	},
	// A trickle: a byte every 50 ms, forever.
	"trickle": func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		f, _ := w.(http.Flusher)
		for r.Context().Err() == nil {
			if _, err := w.Write([]byte(" ")); err != nil {
				return
			}
			if f != nil {
				f.Flush()
			}
			time.Sleep(50 * time.Millisecond)
		}
	},
	// Malformed: not JSON at all.
	"malformed": func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte("<html>\x1b[31mnot json\x00"))
	},
}

// TestHostileServerBodies: every call the product makes, answered with an
// endless, huge, trickling or malformed body, ends in one clear error
// within its timeout, and memory stays bounded (the SDK reads a whole body
// before decoding it, so only the transport's limit stops it).
func TestHostileServerBodies(t *testing.T) {
	isolateHome(t)
	var mode atomic.Value
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mode.Load().(hostileBody)(w, r)
	}))
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	writeFile(t, caFile, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})))
	c, err := New(Config{AK: "HOSTILEAK0000000000", SK: Secret("hostile-secret"), Endpoint: srv.URL, CAFile: caFile,
		UserAgent: "ccecert/test", Timeout: 2 * time.Second, Retry: RetryPolicy{MaxAttempts: 2, Sleep: func(context.Context, time.Duration) error { return nil }}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	cce := Target{Kind: KindCCE, ID: "c1", Name: "prod-web", Region: "cn-north-4", ProjectID: "p1", Version: "v1.31"}
	calls := map[string]func(ctx context.Context) error{
		"list projects": func(ctx context.Context) error { _, err := c.Projects(ctx); return err },
		"issue a cert": func(ctx context.Context) error {
			_, err := c.Issue(ctx, cce, CertRequest{Validity: Days(1)})
			return err
		},
		"list VPCs": func(ctx context.Context) error { _, err := c.VPCs(ctx, "p1"); return err },
	}
	stop := make(chan struct{})
	peak := make(chan uint64)
	go func() { peak <- samplePeakHeap(stop) }()
	for name, body := range hostileBodies {
		mode.Store(body)
		for call, fn := range calls {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			err := fn(ctx)
			ended := ctx.Err()
			cancel()
			if err == nil {
				t.Errorf("%s answered %s: no error", call, name)
				continue
			}
			msg := err.Error()
			if strings.Count(msg, "\n") > 0 || strings.ContainsAny(msg, "\x1b\x00") || len(msg) > 600 {
				t.Errorf("%s answered %s: not one clean line: %q", call, name, msg)
			}
			if ended != nil {
				t.Errorf("%s answered %s: only the test's minute ended it: %v", call, name, err)
			}
			t.Logf("%s, %s: %s", call, name, msg)
		}
	}
	close(stop)
	if p := <-peak; p > 100<<20 {
		t.Errorf("peak heap %d MiB; want under 100 MiB", p>>20)
	} else {
		t.Logf("peak heap %.1f MiB", float64(p)/(1<<20))
	}
	if status, err := os.ReadFile("/proc/self/status"); err == nil { // Linux: the process's peak RSS so far
		for _, l := range strings.Split(string(status), "\n") {
			if strings.HasPrefix(l, "VmHWM:") {
				t.Logf("peak RSS of the test process: %s", strings.TrimSpace(strings.TrimPrefix(l, "VmHWM:")))
			}
		}
	}
}

// samplePeakHeap reads the live heap every 5 ms until stop; the most seen.
func samplePeakHeap(stop <-chan struct{}) uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var most uint64
	for {
		metrics.Read(s)
		most = max(most, s[0].Value.Uint64())
		select {
		case <-stop:
			return most
		case <-time.After(5 * time.Millisecond):
		}
	}
}
