package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"ccecert/api/emulator"
)

// federation is a client of e's emulator that holds no keys.
func (e *testEnv) federation(t *testing.T) *Client {
	t.Helper()
	c, err := New(Config{Keys: UnsignedKeys, Endpoint: e.cfg.Endpoint, CAFile: e.cfg.CAFile,
		UserAgent: "ccecert/test", Timeout: 10 * time.Second, Retry: RetryPolicy{Sleep: e.sleeps.sleep}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// An ID token of the IdP becomes temporary keys that list the account's
// projects, in the two documented calls.
func TestFederatedKeysExchangeAnIDToken(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	ctx := context.Background()
	from := len(e.srv.Log())
	k, err := e.federation(t).FederatedKeys(ctx, "corp-idp", e.srv.MintIDToken("corp-idp", time.Minute), FederationKeyLifetime)
	if err != nil {
		t.Fatal(err)
	}
	if !k.Temporary() || !within(k.Expires, time.Now().Add(FederationKeyLifetime), time.Minute) {
		t.Fatalf("keys temporary=%v expiring %v, want a security token and %v from now", k.Temporary(), k.Expires, FederationKeyLifetime)
	}
	var posts []string
	for _, r := range e.srv.Log()[from:] {
		posts = append(posts, r.Method+" "+r.Path)
		if r.Status != http.StatusCreated {
			t.Errorf("%s %s answered %d, want 201", r.Method, r.Path, r.Status)
		}
	}
	if strings.Join(posts, ", ") != "POST /v3.0/OS-AUTH/id-token/tokens, POST /v3.0/OS-CREDENTIAL/securitytokens" {
		t.Fatalf("requests %v", posts)
	}
	c, err := New(Config{AK: k.AK, SK: k.SK, SecurityToken: k.SecurityToken, Endpoint: e.cfg.Endpoint, CAFile: e.cfg.CAFile, UserAgent: "ccecert/test"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if ps, err := c.Projects(ctx); err != nil || len(ps) == 0 {
		t.Fatalf("projects with the federated keys: %d, %v", len(ps), err)
	}
}

// A token of another IdP, an expired one and garbage each get one error
// that says what to do and holds no token.
func TestFederatedKeysRefusals(t *testing.T) {
	e := newTestEnv(t, emulator.Options{}, nil)
	fed := e.federation(t)
	ctx := context.Background()
	other := e.srv.MintIDToken("other-idp", time.Minute)
	expired := e.srv.MintIDToken("corp-idp", time.Second)
	time.Sleep(1100 * time.Millisecond)
	for name, tok := range map[string]string{"other idp": other, "expired": expired, "garbage": "eyJnot-a-token-at-all"} {
		_, err := fed.FederatedKeys(ctx, "corp-idp", tok, FederationKeyLifetime)
		if err == nil {
			t.Fatalf("%s: no error", name)
		}
		msg := err.Error()
		if !strings.Contains(msg, "HTTP 401") || !strings.Contains(msg, "id_token_file") || strings.Contains(msg, tok) || strings.Contains(msg, "\n") {
			t.Errorf("%s: %q, want one line with the 401 and the fix, without the token", name, msg)
		}
	}
	if _, err := fed.FederatedKeys(ctx, "corp-idp", "  ", FederationKeyLifetime); err == nil || !strings.Contains(err.Error(), "non-empty ID token") {
		t.Errorf("empty token: %v", err)
	}
}

// Options.TempKeyLifetime makes federated keys short-lived; once expired
// they are refused as expired (ErrKeysExpired), not retried.
func TestFederatedKeysShortLifetimeExpire(t *testing.T) {
	e := newTestEnv(t, emulator.Options{TempKeyLifetime: 2 * time.Second}, nil)
	ctx := context.Background()
	k, err := e.federation(t).FederatedKeys(ctx, "corp-idp", e.srv.MintIDToken("corp-idp", time.Minute), FederationKeyLifetime)
	if err != nil {
		t.Fatal(err)
	}
	if !within(k.Expires, time.Now().Add(2*time.Second), time.Second) {
		t.Fatalf("expires %v, want in 2 s", k.Expires)
	}
	time.Sleep(time.Until(k.Expires) + 100*time.Millisecond)
	c, err := New(Config{AK: k.AK, SK: k.SK, SecurityToken: k.SecurityToken, Endpoint: e.cfg.Endpoint, CAFile: e.cfg.CAFile,
		UserAgent: "ccecert/test", Retry: RetryPolicy{Sleep: e.sleeps.sleep}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Projects(ctx); err == nil || !errors.Is(err, ErrKeysExpired) {
		t.Fatalf("expired federated keys: %v, want ErrKeysExpired", err)
	}
}
