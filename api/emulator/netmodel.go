package emulator

import (
	"context"
	"fmt"
	"net"
	"sync"
	"time"
)

// NetModel is what setting up a connection costs, on top of the
// per-request Faults.Latency. With RTT > 0 every new connection — to the
// base URL, or a CONNECT tunnel in proxy mode, which is charged as if it
// were a direct connection to its host — pays:
//
//   - the TCP connect: 1 RTT (the SYN and its SYN-ACK), played by holding
//     the connection's first byte (on the base URL) or the CONNECT answer
//     (in proxy mode) for RTT;
//   - the TLS handshake: TLSRoundTrips × RTT (TLS 1.3: 1, the client sends
//     its request right behind its Finished; a full TLS 1.2 handshake: 2),
//     played by holding the server's first flight (ServerHello onwards)
//     until that long after the ClientHello arrived (flightConn).
//
// So a request on a new connection costs 2 RTT + Latency with TLS 1.3, one
// on a kept-alive connection Latency alone; setting Latency to RTT makes
// the request itself one round trip. Under a model the Latency is the
// network's too: the request is served when it arrives and only its answer
// waits (statusWriter.holdUntil), as the handshake's does. The emulator
// shares its clients' cores: served after the wait, its work landed on them
// just when the clients decode the answers, which a server elsewhere never
// does. There is no TCP Fast Open, TLS session
// resumption or 0-RTT: every connection pays in full.
//
// With RTT zero the base URL charges nothing per connection and a proxy
// tunnel keeps its older model: Faults.Latency for the connect and again
// for the handshake.
type NetModel struct {
	RTT           time.Duration
	TLSRoundTrips int // 0 means 1 (TLS 1.3)
}

// check refuses a model the emulator cannot play.
func (m NetModel) check() error {
	if m.RTT < 0 || m.TLSRoundTrips < 0 || m.TLSRoundTrips > 2 {
		return fmt.Errorf("network model: RTT %v and TLS round trips %d: use an RTT ≥ 0 and 1 (TLS 1.3) or 2 (TLS 1.2) round trips", m.RTT, m.TLSRoundTrips)
	}
	return nil
}

// handshake is what the TLS handshake costs.
func (m NetModel) handshake() time.Duration {
	n := m.TLSRoundTrips
	if n == 0 {
		n = 1
	}
	return time.Duration(n) * m.RTT
}

// tunnelCosts are the connect and handshake delays of a proxy tunnel under
// the model, or the legacy ones (latency each) when it has no RTT.
func (m NetModel) tunnelCosts(latency time.Duration) (connect, handshake time.Duration) {
	if m.RTT > 0 {
		return m.RTT, m.handshake()
	}
	return latency, latency
}

// SetNetwork replaces the network model of every account; connections
// already open keep what they paid.
func (s *Server) SetNetwork(m NetModel) {
	for _, o := range s.others {
		o.SetNetwork(m)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.network = m
}

func (s *Server) currentNetwork() NetModel {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.network
}

// Connections is how many connections were opened to each host so far:
// the proxy's tunnels by host name (cce.cn-north-4.myhuaweicloud.com), the
// base URL by its host:port. It counts this account's listener and the
// proxy, not the further accounts' base URLs.
func (s *Server) Connections() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.conns))
	for h, n := range s.conns {
		out[h] = n
	}
	return out
}

func (s *Server) countConn(host string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns == nil {
		s.conns = map[string]int{}
	}
	s.conns[host]++
}

// flightConn holds a server connection's first write — the server's first
// handshake flight, ServerHello to Finished in TLS 1.3 — until hold() after
// its first read returned (the ClientHello's arrival). The server's
// handshake work runs when the ClientHello arrives, as a real server's does
// half a round trip before its client sees the answer; only the answer
// waits. Holding before the work (as GetConfigForClient did) put the
// emulator's key exchange and signature on the machine's cores at the
// moment its clients finish their own handshakes, which no network does.
type flightConn struct {
	net.Conn
	s    *Server
	hold func() time.Duration

	mu   sync.Mutex
	due  time.Time // set by the first read
	sent bool
}

func (c *flightConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 {
		c.mu.Lock()
		if c.due.IsZero() {
			c.due = time.Now().Add(c.hold())
		}
		c.mu.Unlock()
	}
	return n, err
}

func (c *flightConn) Write(b []byte) (int, error) {
	c.mu.Lock()
	first, due := !c.sent, c.due
	c.sent = true
	c.mu.Unlock()
	if first && !due.IsZero() {
		if wait := time.Until(due); wait > 0 && !c.s.sleep(context.Background(), wait) {
			return 0, net.ErrClosed
		}
	}
	return c.Conn.Write(b)
}

// netListener counts the base URL's connections and charges each one the
// model's connect (its first byte held) and handshake (flightConn).
type netListener struct {
	net.Listener
	s *Server
}

// Accept implements net.Listener.
func (l *netListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.s.countConn(l.Addr().String())
	if m := l.s.currentNetwork(); m.RTT > 0 {
		return &flightConn{Conn: &slowStartConn{Conn: c, s: l.s, delay: m.RTT}, s: l.s, hold: m.handshake}, nil
	}
	return c, nil
}

// slowStartConn delays its first Read: the TCP connect's round trip, paid
// on the connection's own goroutine so connections set up in parallel.
type slowStartConn struct {
	net.Conn
	s     *Server
	delay time.Duration
	once  sync.Once
	ok    bool
}

func (c *slowStartConn) Read(b []byte) (int, error) {
	c.once.Do(func() { c.ok = c.s.sleep(context.Background(), c.delay) })
	if !c.ok {
		return 0, net.ErrClosed
	}
	return c.Conn.Read(b)
}
