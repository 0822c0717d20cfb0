package keysource

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"ccecert/api"
	"ccecert/api/emulator"
)

// fedOpener is an Opener whose Federate exchanges ID tokens at e's IAM,
// and the refresh events it saw.
func (e *emu) fedOpener(t *testing.T) (Opener, func() []RefreshEvent) {
	t.Helper()
	fc, err := api.New(api.Config{Keys: api.UnsignedKeys, Endpoint: e.srv.URL, CAFile: e.caFile, UserAgent: "ccecert/test", Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(fc.Close)
	var mu sync.Mutex
	var evs []RefreshEvent
	o := Opener{Home: e.home,
		Federate: func(ctx context.Context, idp, tok string) (api.Keys, error) {
			return fc.FederatedKeys(ctx, idp, tok, api.FederationKeyLifetime)
		},
		OnRefresh: func(ev RefreshEvent) { mu.Lock(); evs = append(evs, ev); mu.Unlock() }}
	return o, func() []RefreshEvent { mu.Lock(); defer mu.Unlock(); return append([]RefreshEvent(nil), evs...) }
}

// writeFile writes data at path with mode 0600.
func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestSDKFileFederationRenewsDuringListings: a credentials file with
// idp_id and id_token_file, as the SDK reads it, gives keys of 3 s that
// are exchanged again before they expire while listings run for 8 s:
// nothing is refused, and every exchange (one pair of IAM calls) is one
// refresh event. The ID token file is read at each exchange.
func TestSDKFileFederationRenewsDuringListings(t *testing.T) {
	e := startEmuWith(t, emulator.Options{TempKeyLifetime: 3 * time.Second})
	dir := t.TempDir()
	tokFile := filepath.Join(dir, "id_token")
	writeFile(t, tokFile, e.srv.MintIDToken("corp-idp", time.Hour)+"\n")
	creds := filepath.Join(dir, "credentials")
	writeFile(t, creds, "[basic]\nidp_id = corp-idp\nid_token_file = "+tokFile+"\n")
	o, events := e.fedOpener(t)
	src, err := o.Open("sso", Spec{Type: "sdk-file", File: creds})
	if err != nil {
		t.Fatal(err)
	}
	c := e.client(t, src)
	ctx := context.Background()
	start := time.Now()
	listings := 0
	for time.Since(start) < 8*time.Second {
		if time.Since(start) > 4*time.Second && listings%5 == 0 { // the IdP's login rewrites the token
			writeFile(t, tokFile, e.srv.MintIDToken("corp-idp", time.Hour))
		}
		inv, err := c.Inventory(ctx, api.InventoryOptions{})
		if err != nil || len(inv.Errors) > 0 || len(inv.Targets) == 0 {
			t.Fatalf("listing %d at %s: %v %v", listings, time.Since(start), err, inv.Errors)
		}
		listings++
	}
	exchanges := 0
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		exchanges = 0
		for _, r := range e.srv.Log() {
			if r.Status >= 400 {
				t.Fatalf("a request was refused: %+v", r)
			}
			if r.Path == "/v3.0/OS-CREDENTIAL/securitytokens" {
				exchanges++
			}
		}
		if exchanges == len(events()) {
			break
		}
	}
	evs := events()
	if len(evs) < 3 || exchanges != len(evs) {
		t.Fatalf("%d refresh events, %d exchanges over 8 s of %d listings; want ≥ 3, one exchange each", len(evs), exchanges, listings)
	}
	for _, ev := range evs {
		if ev.Err != nil || ev.Source != "sdk-file "+creds+" (OIDC corp-idp)" {
			t.Fatalf("event %+v", ev)
		}
	}
	t.Logf("%d listings, %d exchanges", listings, exchanges)
}

// TestSDKFileFederationBadInput: a missing or empty token file, a token
// of another IdP, and a file naming only idp_id each give one line that
// names the profile and the fix, and never the token.
func TestSDKFileFederationBadInput(t *testing.T) {
	e := startEmu(t)
	dir := t.TempDir()
	tokFile := filepath.Join(dir, "id_token")
	creds := filepath.Join(dir, "credentials")
	writeFile(t, creds, "[basic]\nidp_id = corp-idp\nid_token_file = "+tokFile+"\n")
	o, _ := e.fedOpener(t)
	other := e.srv.MintIDToken("other-idp", time.Hour)
	for _, tc := range []struct {
		name, token, creds, want string
	}{
		{"missing token file", "", "", "does not exist: log in with the identity provider"},
		{"empty token file", "\n", "", "is empty"},
		{"other IdP's token", other, "", "IAM refused the ID token"},
		{"idp_id alone", "", "[basic]\nidp_id = corp-idp\n", "needs both idp_id and id_token_file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(tokFile)
			if tc.token != "" {
				writeFile(t, tokFile, tc.token)
			}
			file := creds
			if tc.creds != "" {
				file = filepath.Join(t.TempDir(), "credentials")
				writeFile(t, file, tc.creds)
			}
			src, err := o.Open("sso", Spec{Type: "sdk-file", File: file})
			if err != nil {
				t.Fatal(err)
			}
			_, err = src.Keys(context.Background())
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.Contains(msg, `profile "sso"`) || !strings.Contains(msg, tc.want) || strings.Contains(msg, "\n") ||
				strings.Contains(msg, other) {
				t.Fatalf("%q, want one line naming the profile and %q, without the token", msg, tc.want)
			}
		})
	}
	// Without a Federate (no cloud client), such a file is refused, never
	// read as keys.
	writeFile(t, tokFile, other)
	src, _ := Opener{Home: e.home}.Open("sso", Spec{Type: "sdk-file", File: creds})
	if _, err := src.Keys(context.Background()); err == nil || !strings.Contains(err.Error(), "OIDC") {
		t.Fatalf("no federator: %v", err)
	}
}
