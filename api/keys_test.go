package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"ccecert/api/emulator"
)

// fakeClock is a settable clock for the emulator.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeClock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// mintingSource hands out the emulator's temporary keys, minting new ones
// when invalidated.
type mintingSource struct {
	srv         *emulator.Server
	mu          sync.Mutex
	cur         Keys
	mints       atomic.Int32
	invalidated atomic.Int32
	tamper      bool // send a wrong security token
}

func (m *mintingSource) Describe() string { return "process mint-test" }

func (m *mintingSource) Keys(context.Context) (Keys, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cur.AK == "" {
		k := m.srv.MintTempKeys(time.Minute)
		m.mints.Add(1)
		m.cur = Keys{AK: k.AK, SK: Secret(k.SK), SecurityToken: Secret(k.SecurityToken), Expires: k.Expires}
		if m.tamper {
			m.cur.SecurityToken = Secret(k.SecurityToken[1:] + "x")
		}
	}
	return m.cur, nil
}

func (m *mintingSource) Invalidate(refused Keys) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cur.Same(refused) {
		m.cur = Keys{}
		m.invalidated.Add(1)
	}
}

// TestTemporaryKeysExpireAndRenew: temporary keys from Config.Keys sign
// with their security token; once expired, the emulator answers 401
// APIGW.0307, the client reports ErrKeysExpired naming the source without
// retrying, and the next call signs with the source's new keys.
func TestTemporaryKeysExpireAndRenew(t *testing.T) {
	clock := &fakeClock{now: time.Now()}
	var src *mintingSource
	e := newTestEnv(t, emulator.Options{Now: clock.Now}, func(c *Config) {
		c.AK, c.SK = "", nil
		c.Keys = &lazySource{get: func() KeySource { return src }}
	})
	src = &mintingSource{srv: e.srv}
	ctx := context.Background()
	if _, err := e.client.Projects(ctx); err != nil {
		t.Fatalf("with fresh temporary keys: %v", err)
	}
	first, _ := src.Keys(ctx)

	clock.Add(2 * time.Minute) // past the keys' expiry, within the 15 min date skew
	before := e.srv.Requests()
	_, err := e.client.Projects(ctx)
	if !errors.Is(err, ErrKeysExpired) {
		t.Fatalf("expired keys: %v, want ErrKeysExpired", err)
	}
	var ae *Error
	if !errors.As(err, &ae) || ae.Status != http.StatusUnauthorized || ae.Code != CodeTokenExpired {
		t.Fatalf("expired keys: %#v", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "process mint-test") || !strings.Contains(msg, "renew") {
		t.Fatalf("the error does not name the source to renew: %s", msg)
	}
	for _, secret := range []string{string(first.SK), string(first.SecurityToken)} {
		if strings.Contains(msg, secret) {
			t.Fatal("the error holds a secret")
		}
	}
	if n := e.srv.Requests() - before; n != 1 || len(e.sleeps.waits) != 0 {
		t.Fatalf("expired keys: %d requests, waits %v; want 1 request, no retry", n, e.sleeps.waits)
	}
	if src.invalidated.Load() != 1 {
		t.Fatal("the source was not told its keys were refused")
	}
	if _, err := e.client.Projects(ctx); err != nil {
		t.Fatalf("after renewal: %v", err)
	}
	if src.mints.Load() != 2 {
		t.Fatalf("%d mints, want 2", src.mints.Load())
	}
}

// TestSecurityTokenIsVerified: temporary keys with a wrong security token
// are refused (401 APIGW.0301, the signature is right, the token is not).
func TestSecurityTokenIsVerified(t *testing.T) {
	var src *mintingSource
	e := newTestEnv(t, emulator.Options{}, func(c *Config) {
		c.AK, c.SK = "", nil
		c.Keys = &lazySource{get: func() KeySource { return src }}
	})
	src = &mintingSource{srv: e.srv, tamper: true}
	_, err := e.client.Projects(context.Background())
	var ae *Error
	if !errors.As(err, &ae) || ae.Status != http.StatusUnauthorized || ae.Code != "APIGW.0301" {
		t.Fatalf("wrong token: %v", err)
	}
}

// lazySource defers to a source built after the client (it needs the
// emulator the client's env starts).
type lazySource struct{ get func() KeySource }

func (l *lazySource) Describe() string { return l.get().Describe() }

func (l *lazySource) Keys(ctx context.Context) (Keys, error) { return l.get().Keys(ctx) }

func (l *lazySource) Invalidate(k Keys) {
	if inv, ok := l.get().(KeyInvalidator); ok {
		inv.Invalidate(k)
	}
}
