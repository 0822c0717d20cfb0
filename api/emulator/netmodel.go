package emulator

import (
	"context"
	"crypto/tls"
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
//     played by holding the ServerHello.
//
// So a request on a new connection costs 2 RTT + Latency with TLS 1.3, one
// on a kept-alive connection Latency alone; setting Latency to RTT makes
// the request itself one round trip. There is no TCP Fast Open, TLS
// session resumption or 0-RTT: every connection pays in full.
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

// handshakeDelay holds a TLS handshake for the model's handshake cost
// (GetConfigForClient runs before the ServerHello is sent).
func (s *Server) handshakeDelay(d func() time.Duration) func(*tls.ClientHelloInfo) (*tls.Config, error) {
	return func(hello *tls.ClientHelloInfo) (*tls.Config, error) {
		if wait := d(); wait > 0 && !s.sleep(hello.Context(), wait) {
			return nil, net.ErrClosed
		}
		return nil, nil
	}
}

// netListener counts the base URL's connections and holds each one's
// first byte for the model's connect cost.
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
	if rtt := l.s.currentNetwork().RTT; rtt > 0 {
		return &slowStartConn{Conn: c, s: l.s, delay: rtt}, nil
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
