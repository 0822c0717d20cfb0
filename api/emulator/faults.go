package emulator

import (
	"context"
	"crypto/tls"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strconv"
	"time"
)

// nextFaults returns the current faults and whether this request is one of
// the TooMany to throttle.
func (s *Server) nextFaults() (Faults, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	throttle := s.tooMany > 0
	if throttle {
		s.tooMany--
	}
	return s.faults, throttle
}

// currentFaults returns the faults in force.
func (s *Server) currentFaults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

// legacyOnly reports whether the cluster's region plays a gateway without
// POST clustercert.
func (s *Server) legacyOnly(cl *Cluster) bool {
	p := s.idx.projectByName[cl.Project]
	return p != nil && slices.Contains(s.currentFaults().LegacyOnlyRegions, p.Region())
}

// injectFaults applies the configured faults to one request and reports
// whether it should go on to be served.
func (s *Server) injectFaults(w *statusWriter, r *http.Request, region string) bool {
	f, throttle := s.nextFaults()
	delay := f.Latency
	if f.Jitter > 0 {
		delay += rand.N(f.Jitter)
	}
	switch {
	case delay <= 0:
	case s.currentNetwork().RTT > 0:
		// The network's round trip: the request is served on arrival, as a
		// server far away serves it, and its answer waits out the rest.
		w.holdUntil(time.Now().Add(delay), func(d time.Duration) bool { return s.sleep(r.Context(), d) })
	case !s.sleep(r.Context(), delay):
		panic(http.ErrAbortHandler) // the client left or the server closed: no answer
	}
	if region != "" && slices.Contains(f.HangRegions, region) {
		w.release()
		s.sleep(r.Context(), -1)
		panic(http.ErrAbortHandler)
	}
	if f.ResetRate > 0 && rand.Float64() < f.ResetRate {
		w.release()
		resetConnection(w)
		return false
	}
	if throttle {
		w.Header().Set("Retry-After", retryAfterSeconds(f.RetryAfter))
		writeGatewayError(w, http.StatusTooManyRequests, codeThrottled,
			"The throttling threshold has been reached: policy user over ratelimit")
		return false
	}
	if f.ErrorRate > 0 && rand.Float64() < f.ErrorRate {
		writeCCEError(w, http.StatusInternalServerError, codeInternal, "Internal server error (injected fault)")
		return false
	}
	return true
}

// sleep waits d (forever when d < 0) unless the request is abandoned or the
// server closes; it reports whether the whole wait elapsed.
func (s *Server) sleep(ctx context.Context, d time.Duration) bool {
	var elapsed <-chan time.Time
	if d >= 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		elapsed = t.C
	}
	select {
	case <-elapsed:
		return true
	case <-ctx.Done():
	case <-s.closing:
	}
	return false
}

// retryAfterSeconds is d in whole seconds, rounded up; default 1.
func retryAfterSeconds(d time.Duration) string {
	if d <= 0 {
		return "1"
	}
	return strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10)
}

// resetConnection hijacks the connection and closes it with a TCP reset.
func resetConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	raw := conn
	if tc, ok := conn.(*tls.Conn); ok {
		raw = tc.NetConn()
	}
	if tcp, ok := raw.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = raw.Close()
}
